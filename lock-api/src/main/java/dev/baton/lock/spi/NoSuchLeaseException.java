package dev.baton.lock.spi;

import dev.baton.lock.LockException;

/**
 * Thrown by a backend when a lease it was asked to use or renew no longer exists on the server (expired or revoked).
 *
 * <p>Immutable and threadsafe.
 */
public class NoSuchLeaseException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param leaseId the lease that is gone
     */
    public NoSuchLeaseException(long leaseId) {
        super(null, "lease " + Long.toHexString(leaseId) + " no longer exists on the server", null);
    }
}
