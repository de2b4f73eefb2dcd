package dev.baton.lock;

/**
 * Told of every change of a coordinator's {@link SessionState}.
 *
 * <p>Called on the coordinator's callback executor, in the order the changes happened. Exceptions are logged and
 * ignored.
 */
@FunctionalInterface
public interface SessionListener {
    /**
     * Called after the session changed state.
     *
     * @param previous the state before
     * @param current the state now
     */
    void onStateChanged(SessionState previous, SessionState current);
}
