package dev.baton.lock;

/**
 * Told when a held {@link LockHandle} stops being valid for any reason other than its own release.
 *
 * <p>Called at most once per handle and registration, on the coordinator's callback executor, never on a client
 * library's I/O thread. An exception thrown by the listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface LossListener {
    /**
     * Called when the handle was lost.
     *
     * @param handle the handle that is no longer valid
     * @param reason why it was lost
     */
    void onLost(LockHandle handle, LossReason reason);
}
