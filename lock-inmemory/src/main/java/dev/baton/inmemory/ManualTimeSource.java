/*
 * Copyright 2026 The Baton Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package dev.baton.inmemory;

import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TimeSource} whose clock moves only when a test calls {@link #advance(Duration)}, so that expiry, renewal
 * and timeouts can be tested without sleeping and with the same outcome on every run.
 *
 * <p>Scheduled tasks run inline on the thread that calls {@code advance}, in due-time order (ties in the order they
 * were scheduled), each with the clock reading its own due time. A task scheduled with a delay of zero or less is due
 * <em>now</em>: it does not run at once but at the next {@code advance} (an {@code advance(Duration.ZERO)} runs it).
 * A task that throws a {@link RuntimeException} is logged (SLF4J, WARN) and the window continues, as a task on a real
 * timer thread would be lost without stopping the timer; an {@link Error} propagates out of {@code advance}.
 *
 * <p>Threadsafe. Any thread may read the clock and schedule or cancel tasks at any time, including from inside a
 * running task; concurrent {@code advance} calls are serialized. No lock of this class is held while a task runs
 * (other than the serialization of {@code advance} itself), so tasks may call into code that reads this clock from
 * other threads.
 */
public final class ManualTimeSource implements TimeSource {
    /** The reading of {@link #nanoTime()} on a new instance: arbitrary, positive, and fixed so runs repeat. */
    public static final long START_NANOS = 1_000_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(ManualTimeSource.class);

    private final Object stateLock = new Object();
    /** Serializes advance calls; reentrant so that a task may itself advance the clock. */
    private final ReentrantLock advanceLock = new ReentrantLock();

    private volatile long now = START_NANOS;
    // Guarded by stateLock.
    private final TreeSet<Task> tasks =
            new TreeSet<>(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.sequence));
    private long scheduled;

    /** Creates a clock reading {@link #START_NANOS} with no tasks. */
    public ManualTimeSource() {}

    /**
     * Returns the current reading of the manual clock. Threadsafe.
     *
     * @return the time in nanoseconds
     */
    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Schedules {@code task} to run during the {@link #advance(Duration) advance} that reaches {@code delay} from now.
     * A delay of zero or less makes the task due now: it runs at the next advance, including {@code
     * advance(Duration.ZERO)}. Threadsafe.
     *
     * @param delay how long from now
     * @param task the task; must be short and must not block
     * @return a handle that cancels the task if it has not started
     * @throws NullPointerException if {@code delay} or {@code task} is null
     */
    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay must not be null");
        Objects.requireNonNull(task, "task must not be null");
        long nanos = Math.max(0L, TimeSource.saturatedNanos(delay));
        synchronized (stateLock) {
            Task t = new Task(saturatedAdd(now, nanos), scheduled++, task);
            tasks.add(t);
            return () -> {
                synchronized (stateLock) {
                    tasks.remove(t);
                }
            };
        }
    }

    /**
     * Moves the clock forward by {@code duration}, running on the calling thread every task that falls due within the
     * window (including tasks those tasks schedule within it), in due-time order, with the clock reading each task's
     * due time while it runs; afterwards the clock reads the end of the window. Threadsafe; concurrent calls are
     * serialized.
     *
     * @param duration how far to move; zero runs the tasks that are due now
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws NullPointerException if {@code duration} is null
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration must not be null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, got " + duration);
        }
        advanceLock.lock();
        try {
            long end = saturatedAdd(now, TimeSource.saturatedNanos(duration));
            while (true) {
                Task next;
                synchronized (stateLock) {
                    next = tasks.isEmpty() ? null : tasks.first();
                    if (next == null || next.due > end) {
                        // A nested advance from inside a task may already have moved past this window's end.
                        now = Math.max(now, end);
                        return;
                    }
                    tasks.pollFirst();
                    now = Math.max(now, next.due);
                }
                runQuietly(next.runnable);
            }
        } finally {
            advanceLock.unlock();
        }
    }

    /**
     * Returns how far the clock has moved since this instance was created. Threadsafe.
     *
     * @return the elapsed time
     */
    public Duration elapsed() {
        return Duration.ofNanos(now - START_NANOS);
    }

    /**
     * Returns how many tasks are scheduled and neither run nor cancelled; lets a test check that nothing leaks
     * timers. Threadsafe.
     *
     * @return the number of pending tasks
     */
    public int pendingTaskCount() {
        synchronized (stateLock) {
            return tasks.size();
        }
    }

    @Override
    public String toString() {
        return "ManualTimeSource{elapsed=" + elapsed() + ", pending=" + pendingTaskCount() + "}";
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("A task scheduled on the manual time source threw; continuing", e);
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // Overflow only when both operands have the same sign and the sum's sign differs.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return sum;
    }

    private static final class Task {
        final long due;
        final long sequence;
        final Runnable runnable;

        Task(long due, long sequence, Runnable runnable) {
            this.due = due;
            this.sequence = sequence;
            this.runnable = runnable;
        }
    }
}
