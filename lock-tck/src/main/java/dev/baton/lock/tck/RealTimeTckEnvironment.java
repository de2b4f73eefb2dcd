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
package dev.baton.lock.tck;

import dev.baton.lock.spi.SystemTimeSource;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.Objects;

/**
 * The part of a {@link TckEnvironment} that every environment on a real server shares: the system's monotonic clock
 * with a timer thread of its own, time that passes by sleeping, and fixed TTLs. A subclass gives the clients and the
 * view of the server's state, and calls {@code super.close()} from its own {@link #close()}.
 *
 * <p>Threadsafe, as {@link TckEnvironment} requires, as far as this class goes.
 */
public abstract class RealTimeTckEnvironment implements TckEnvironment {
    private final SystemTimeSource time = new SystemTimeSource("baton-tck-timer");
    private final Duration sessionTtl;
    private final Duration shortTtl;

    /**
     * Creates the shared part.
     *
     * @param sessionTtl the session TTL the kit gives every coordinator, within the backend's limits
     * @param shortTtl the TTL for TTL-lock and lease tests, at least the backend's minimum
     * @throws NullPointerException if either is null
     */
    protected RealTimeTckEnvironment(Duration sessionTtl, Duration shortTtl) {
        this.sessionTtl = Objects.requireNonNull(sessionTtl, "sessionTtl must not be null");
        this.shortTtl = Objects.requireNonNull(shortTtl, "shortTtl must not be null");
    }

    /**
     * Returns the system's monotonic clock, with this environment's own daemon timer thread.
     *
     * @return the time source
     */
    @Override
    public final TimeSource timeSource() {
        return time;
    }

    /**
     * Returns false: time is real.
     *
     * @return false
     */
    @Override
    public final boolean manualTime() {
        return false;
    }

    /**
     * Sleeps for {@code duration}.
     *
     * @param duration how long
     * @throws InterruptedException if interrupted while sleeping
     */
    @Override
    public final void advance(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    }

    /**
     * Returns the session TTL given to the constructor.
     *
     * @return the session TTL
     */
    @Override
    public final Duration sessionTtl() {
        return sessionTtl;
    }

    /**
     * Returns the short TTL given to the constructor.
     *
     * @return the short TTL
     */
    @Override
    public final Duration shortTtl() {
        return shortTtl;
    }

    /** Stops the timer thread; idempotent. Subclasses stop what they started and then call this. */
    @Override
    public void close() {
        time.close();
    }
}
