package dev.baton.lock;

import java.util.Optional;

/**
 * Told whenever an election's leader, or the leader's proclaimed value, changes as seen on the server.
 *
 * <p>Called on the coordinator's callback executor, one call at a time and in order. Exceptions are logged and
 * ignored.
 */
@FunctionalInterface
public interface LeaderObserver {
    /**
     * Called with the current leader after a change, and once with the leader at registration.
     *
     * @param leader the leader, or empty when nobody leads
     */
    void onLeaderChanged(Optional<LeaderInfo> leader);
}
