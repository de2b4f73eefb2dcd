package dev.baton.lock;

/** Why a {@link LockHandle} or {@link Leadership} stopped being valid. */
public enum LossReason {
    /** The holder released it ({@link LockHandle#close()} or {@link Leadership#close()}). */
    RELEASED,
    /**
     * The coordinator could not renew its session before the local deadline (a safety margin ahead of the server's
     * expiry), or the server reported the session gone. Declared before the server can hand the lock over.
     */
    SESSION_LOST,
    /** The lock's own TTL ran out: a TTL lock reached its fixed expiry, or a lease was not renewed in time. */
    EXPIRED,
    /** The server no longer holds the holder's entry (deleted by an operator, or its lease revoked). */
    ENTRY_REMOVED,
    /** The coordinator was closed while the lock was held. */
    COORDINATOR_CLOSED
}
