package dev.baton.lock;

/**
 * Thrown when the coordination server cannot be reached or did not answer in time. Nothing was acquired; any entry
 * that may have been written is cleaned up in the background.
 *
 * <p>Immutable and safe to share between threads.
 */
public class BackendUnavailableException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param lockName the lock name concerned, or {@code null}
     * @param message what failed and what to check (address, credentials, network)
     * @param cause the underlying failure, or {@code null}
     */
    public BackendUnavailableException(String lockName, String message, Throwable cause) {
        super(lockName, message, cause);
    }
}
