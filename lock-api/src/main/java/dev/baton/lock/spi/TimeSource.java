package dev.baton.lock.spi;

import java.time.Duration;

/**
 * The monotonic clock and timer a coordinator (and the in-memory backend) runs on. Production uses the system's
 * monotonic clock; tests inject a manual one so that expiry can be tested without sleeping.
 *
 * <p>Implementations must be threadsafe.
 */
public interface TimeSource {
    /**
     * Returns monotonic time in nanoseconds; only differences are meaningful.
     *
     * @return the current time
     */
    long nanoTime();

    /**
     * Runs {@code task} once, {@code delay} from now. The task must be short and must not block.
     *
     * @param delay how long from now; zero or negative runs as soon as possible (on a manual clock: at the next
     *     advance, so code must never wait on a zero-delay task)
     * @param task the task
     * @return a handle that cancels the task if it has not run
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not started; idempotent. */
        void cancel();
    }
}
