package dev.baton.lock;

import java.time.Duration;

/**
 * Thrown when an acquisition or campaign did not succeed within the time the caller allowed. The waiter's queue
 * entry has been removed (or handed to background cleanup when the server could not be reached) when this is
 * thrown.
 *
 * <p>Immutable and safe to share between threads.
 */
public class LockAcquisitionTimeoutException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param lockName the lock name
     * @param waited how long the caller waited
     */
    public LockAcquisitionTimeoutException(String lockName, Duration waited) {
        super(
                lockName,
                "could not acquire '" + lockName + "' within " + waited
                        + "; another holder kept it. Wait longer, or use tryAcquire() to give up at once.",
                null);
    }
}
