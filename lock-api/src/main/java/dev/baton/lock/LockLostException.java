package dev.baton.lock;

/**
 * Thrown when an operation needs a lock, lease or leadership that has been lost (expired, session lost, entry
 * deleted on the server, or released). A holder that sees this must stop touching the protected resource.
 *
 * <p>Immutable and safe to share between threads.
 */
public class LockLostException extends LockException {
    private static final long serialVersionUID = 1L;

    /** Why the lock was lost. */
    private final LossReason reason;

    /**
     * Creates an exception.
     *
     * @param lockName the lock name
     * @param reason why the lock was lost
     * @param message details
     * @param cause the underlying failure, or {@code null}
     */
    public LockLostException(String lockName, LossReason reason, String message, Throwable cause) {
        super(lockName, message, cause);
        this.reason = reason;
    }

    /**
     * Returns why the lock was lost.
     *
     * @return the reason, never {@code null}
     */
    public LossReason reason() {
        return reason;
    }
}
