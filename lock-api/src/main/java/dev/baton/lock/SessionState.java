package dev.baton.lock;

/** Health of a coordinator's session, the one server-side lease that everything bound to the process hangs on. */
public enum SessionState {
    /** The last renewal was acknowledged and the local deadline lies ahead. */
    CONNECTED,
    /**
     * Renewals are failing, but the local deadline has not passed: handles are still valid, and turn lost if the
     * deadline passes before a renewal succeeds.
     */
    SUSPENDED,
    /**
     * The session was lost: every session-bound handle was declared lost. The coordinator opens a fresh session in
     * the background; new acquisitions wait for it.
     */
    LOST,
    /** The coordinator was closed. */
    CLOSED
}
