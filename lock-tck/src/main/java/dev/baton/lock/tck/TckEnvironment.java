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

import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * What a backend's test gives the conformance kit: clients to one fresh cluster (or namespace), its clock, and a view
 * of the server's state for leak checks. The kit creates one environment per test and closes it afterwards.
 *
 * <p>Implementations must be threadsafe: the kit calls {@link #keysOnServer()} and {@link #newBackend()} from several
 * threads.
 */
public interface TckEnvironment extends AutoCloseable {
    /**
     * Opens a new client to the environment's cluster and namespace. Every call returns a separate client, as a
     * separate process would have; the kit closes each one it opened.
     *
     * @return a new backend client
     */
    CoordinationBackend newBackend();

    /**
     * Returns the clock and timer that the server and every coordinator of this environment share when time is
     * manual; for a real server, the system's monotonic one.
     *
     * @return the time source
     */
    TimeSource timeSource();

    /**
     * Tells whether time only moves through {@link #advance(Duration)}. When it does, the kit builds coordinators that
     * run every callback and blocking call inline, so that each test runs deterministically.
     *
     * @return whether time is manual
     */
    boolean manualTime();

    /**
     * Lets {@code duration} pass: advances a manual clock (running every timer task that falls due, in order), or
     * sleeps that long when time is real. The only place the kit lets time pass on purpose.
     *
     * @param duration how much time passes; positive
     * @throws InterruptedException if interrupted while sleeping
     */
    void advance(Duration duration) throws InterruptedException;

    /**
     * Returns the session TTL the kit gives every coordinator it builds.
     *
     * @return the session TTL, within the backend's limits
     */
    Duration sessionTtl();

    /**
     * Returns a TTL for TTL-lock and lease tests: at least the backend's minimum, and short enough that tests
     * waiting for expiry stay quick.
     *
     * @return the short TTL
     */
    Duration shortTtl();

    /**
     * Lists every key on the server that the recipes or the kit may have written in this environment's namespace:
     * keys as the SPI names them, one per key created through {@link CoordinationBackend#createIfAbsent}; structure a
     * backend adds for its own layout (parent nodes, directories) is not listed. Must be empty whenever nothing is
     * held, waited for or campaigned on: the kit counts these keys to know when a waiter has queued, and to find
     * leaks.
     *
     * @return the keys, in any order
     */
    List<String> keysOnServer();

    /**
     * Counts the leases (sessions) alive on the server in this environment, when the backend can tell.
     *
     * @return the count, or empty when the backend cannot count leases
     */
    OptionalInt liveLeases();

    /**
     * Describes the leases alive on the server (ids, TTLs, ages: whatever the backend can tell), for the message of a
     * failed leak check; starts with a separator such as {@code ": "} unless empty.
     *
     * @return the description, or an empty string (the default) when the backend cannot tell more than the count
     */
    default String liveLeaseDetails() {
        return "";
    }

    /** Stops what the environment started (servers, clocks, threads); idempotent. */
    @Override
    void close();
}
