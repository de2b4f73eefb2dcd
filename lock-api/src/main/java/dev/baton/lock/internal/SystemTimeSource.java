package dev.baton.lock.internal;

import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The system's monotonic clock with one daemon timer thread. Tasks must be short: they only hand work to executors.
 * Threadsafe; {@link #close()} stops the timer thread.
 */
public final class SystemTimeSource implements TimeSource, AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;

    /**
     * Creates a time source with its own timer thread.
     *
     * @param threadName the timer thread's name
     */
    public SystemTimeSource(String threadName) {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        if (timer.isShutdown()) {
            return () -> {};
        }
        long nanos = Math.max(0, saturatedNanos(delay));
        ScheduledFuture<?> f = timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
