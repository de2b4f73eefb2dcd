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

    /**
     * Converts a duration to nanoseconds, saturating at {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} instead of
     * throwing; for implementations of {@link #schedule} and for deadlines.
     *
     * @param d the duration
     * @return its length in nanoseconds, saturated
     * @throws NullPointerException if {@code d} is null
     */
    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not started; idempotent. */
        void cancel();
    }
}
