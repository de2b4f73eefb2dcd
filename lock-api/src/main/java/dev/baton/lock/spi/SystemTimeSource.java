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
package dev.baton.lock.spi;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The system's monotonic clock with one daemon timer thread: what coordinators use unless given another
 * {@link TimeSource}. Tasks must be short: they only hand work to executors. Threadsafe; {@link #close()} stops the
 * timer thread.
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
        long nanos = Math.max(0, TimeSource.saturatedNanos(delay));
        ScheduledFuture<?> f = timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
