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
package dev.baton.lock;

import dev.baton.lock.internal.DefaultCoordinator;
import dev.baton.lock.spi.BackendFactory;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Builds a {@link Coordinator}. Every backend module hands one out from its backend builder, the same way:
 * {@code XxxBackend.builder()...coordinatorBuilder()} returns a builder whose coordinator builds, owns and closes the
 * backend; {@link Coordinator#builder(CoordinationBackend)} builds one over a backend you built and close yourself.
 *
 * <p>Not threadsafe; the coordinator it builds is.
 */
public final class CoordinatorBuilder {
    /** The session TTL used when none is set. */
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofSeconds(10);

    private final CoordinationBackend backend; // null when the factory builds it
    private final BackendFactory factory; // null when the backend was given
    private Duration sessionTtl = DEFAULT_SESSION_TTL;
    private Duration safetyMargin;
    private TimeSource timeSource;
    private Executor callbackExecutor;
    private Executor blockingExecutor;
    private CoordinatorObserver observer;
    private boolean closeBackendOnClose;

    CoordinatorBuilder(CoordinationBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend must not be null");
        this.factory = null;
    }

    CoordinatorBuilder(BackendFactory factory) {
        this.backend = null;
        this.factory = Objects.requireNonNull(factory, "factory must not be null");
        this.closeBackendOnClose = true;
    }

    /**
     * Sets the TTL of the session lease. A crashed process's session-bound locks are free again after about this
     * long; a live one renews every third of it.
     *
     * @param ttl the TTL, within the backend's limits; 10 seconds by default
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     * @throws NullPointerException if {@code ttl} is null
     */
    public CoordinatorBuilder sessionTtl(Duration ttl) {
        this.sessionTtl = Durations.requirePositive("sessionTtl", ttl);
        return this;
    }

    /**
     * Sets how much earlier than the server the client declares a lease lost: the local deadline is the send time of
     * the last acknowledged renewal plus the TTL minus this margin. It must cover clock-rate drift between client
     * and server and the time to run loss listeners.
     *
     * @param margin the margin, less than half the TTL; a fifth of the TTL by default
     * @return this builder
     * @throws IllegalArgumentException if {@code margin} is zero or negative
     * @throws NullPointerException if {@code margin} is null
     */
    public CoordinatorBuilder safetyMargin(Duration margin) {
        this.safetyMargin = Durations.requirePositive("safetyMargin", margin);
        return this;
    }

    /**
     * Sets the clock and timer. Production leaves the default (the system's monotonic clock, on a timer thread the
     * coordinator owns); tests inject a manual one.
     *
     * @param timeSource the time source; not closed by the coordinator
     * @return this builder
     * @throws NullPointerException if {@code timeSource} is null
     */
    public CoordinatorBuilder timeSource(TimeSource timeSource) {
        this.timeSource = Objects.requireNonNull(timeSource, "timeSource must not be null");
        return this;
    }

    /**
     * Sets the executor that runs user callbacks (loss listeners, election listeners, observers). By default the
     * coordinator owns one thread for this. Never a client library's I/O thread.
     *
     * @param executor the executor; not shut down by the coordinator
     * @return this builder
     * @throws NullPointerException if {@code executor} is null
     */
    public CoordinatorBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor must not be null");
        return this;
    }

    /**
     * Sets the executor that runs the recipes' blocking backend calls (renewals, wake-ups of waiters). By default the
     * coordinator owns a small cached pool; no thread is held by a waiting lock.
     *
     * @param executor the executor; not shut down by the coordinator
     * @return this builder
     * @throws NullPointerException if {@code executor} is null
     */
    public CoordinatorBuilder blockingExecutor(Executor executor) {
        this.blockingExecutor = Objects.requireNonNull(executor, "blockingExecutor must not be null");
        return this;
    }

    /**
     * Sets the observer told of the coordinator's acquisitions, timeouts, releases, losses, session changes, renewals
     * and elections, for metrics (see {@link CoordinatorObserver} for when each method is called, and on which
     * thread). None by default, which costs nothing. The coordinator calls it on one thread of its own, which it
     * starts for this and stops on close; an observer that throws or falls behind never holds up a lock.
     *
     * @param observer the observer
     * @return this builder
     * @throws NullPointerException if {@code observer} is null
     */
    public CoordinatorBuilder observer(CoordinatorObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer must not be null");
        return this;
    }

    /**
     * Sets whether {@link Coordinator#close()} also closes the backend. Off by default for a backend you passed to
     * {@link Coordinator#builder(CoordinationBackend)}: close only what you created. A builder from a backend
     * module's {@code coordinatorBuilder()} builds the backend itself and always closes it.
     *
     * @param close whether to close the backend
     * @return this builder
     * @throws IllegalStateException if {@code close} is false on a builder that builds its own backend, which would
     *     then never be closed
     */
    public CoordinatorBuilder closeBackendOnClose(boolean close) {
        if (!close && factory != null) {
            throw new IllegalStateException("this coordinator builds its own backend and must close it; to keep a"
                    + " backend open, build it with the backend builder's build() and pass it to Coordinator.builder");
        }
        this.closeBackendOnClose = close;
        return this;
    }

    /** Whether the coordinator built builds its own backend and closes it (a backend module's builder). */
    boolean buildsOwnBackend() {
        return factory != null;
    }

    /**
     * Opens the session (one request to the server) and returns the coordinator.
     *
     * @return the coordinator
     * @throws IllegalArgumentException if the session TTL is outside the backend's limits, or the margin is not less
     *     than half the TTL
     * @throws IllegalArgumentException if the backend's own settings contradict the session TTL (the message says
     *     which to change)
     * @throws BackendUnavailableException if the server could not be reached
     * @throws AccessDeniedException if the server refused the credentials or the rights to open a session
     */
    public Coordinator build() {
        Duration margin = safetyMargin == null ? sessionTtl.dividedBy(5) : safetyMargin;
        if (margin.multipliedBy(2).compareTo(sessionTtl) >= 0) {
            throw new IllegalArgumentException(
                    "safetyMargin (" + margin + ") must be less than half the sessionTtl (" + sessionTtl + ")");
        }
        if (factory == null) {
            return new DefaultCoordinator(
                            backend,
                            sessionTtl,
                            margin,
                            timeSource,
                            callbackExecutor,
                            blockingExecutor,
                            observer,
                            closeBackendOnClose)
                    .start();
        }
        CoordinationBackend built =
                Objects.requireNonNull(factory.create(sessionTtl), "the backend factory returned null");
        try {
            return new DefaultCoordinator(
                            built, sessionTtl, margin, timeSource, callbackExecutor, blockingExecutor, observer, true)
                    .start();
        } catch (RuntimeException | Error e) {
            try {
                built.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
