package dev.baton.lock;

import java.util.Optional;

/**
 * Runs a {@link SingletonTask} only while its candidate leads, interrupts it when leadership is lost, and campaigns
 * again afterwards, until closed.
 *
 * <p>Threadsafe. {@link #close()} stops campaigning, interrupts a running task, waits for it to finish, resigns, and
 * is idempotent.
 */
public interface SingletonRunner extends AutoCloseable {
    /**
     * Returns the term the task is currently running under.
     *
     * @return the term, or empty while not leading
     */
    Optional<Leadership> currentTerm();

    /**
     * Returns how many terms this runner has started the task in.
     *
     * @return the count
     */
    int termsStarted();

    /** Stops the runner; idempotent. */
    @Override
    void close();
}
