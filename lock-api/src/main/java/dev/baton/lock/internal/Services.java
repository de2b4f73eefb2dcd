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
package dev.baton.lock.internal;

import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the recipes share from their coordinator. Threadsafe. */
final class Services {
    private static final Logger log = LoggerFactory.getLogger("dev.baton.lock");

    private final String coordinatorId = UUID.randomUUID().toString().replace("-", "");
    private final AtomicLong entrySequence = new AtomicLong();
    private final CoordinationBackend backend;
    private final TimeSource time;
    private final Executor blocking;
    private final SerialExecutor callbacks;
    private final Observation observation;
    private final Janitor janitor;
    private final Duration sessionTtl;
    private final Duration sessionMargin;
    private SessionKeeper keeper;
    /** Waiter entries left by this coordinator's lost sessions: key to the lost session's lease. */
    private final Map<String, Abandoned> abandoned = new ConcurrentHashMap<>();

    private record Abandoned(long leaseId, long atNanos) {}

    Services(
            CoordinationBackend backend,
            TimeSource time,
            Executor blocking,
            SerialExecutor callbacks,
            Observation observation,
            Duration sessionTtl,
            Duration sessionMargin) {
        this.backend = backend;
        this.time = time;
        this.blocking = blocking;
        this.callbacks = callbacks;
        this.observation = observation;
        this.sessionTtl = sessionTtl;
        this.sessionMargin = sessionMargin;
        this.janitor = new Janitor(backend, time, blocking, sessionTtl.dividedBy(2), sessionTtl.multipliedBy(2));
    }

    void attach(SessionKeeper keeper) {
        this.keeper = keeper;
    }

    String coordinatorId() {
        return coordinatorId;
    }

    /** A key segment unique across every coordinator: the coordinator's random id and a counter. */
    String newEntryId() {
        return coordinatorId + "-" + Long.toHexString(entrySequence.incrementAndGet());
    }

    CoordinationBackend backend() {
        return backend;
    }

    TimeSource time() {
        return time;
    }

    Executor blocking() {
        return blocking;
    }

    SerialExecutor callbacks() {
        return callbacks;
    }

    /** The user's observer of this coordinator's events, or {@link Observation#NONE}. */
    Observation observation() {
        return observation;
    }

    Janitor janitor() {
        return janitor;
    }

    SessionKeeper keeper() {
        return keeper;
    }

    /**
     * Records that the waiter entry {@code key} on {@code leaseId} belongs to a session this coordinator declared lost
     * while the entry waited: it never held, and its attempt has failed, so it will never hold. The server removes it
     * when the lease is revoked or expires; until then {@link #isAbandoned} lets this coordinator's later waiters of
     * the same queue pass it. Records older than four session TTLs (by then the lease is gone) are dropped.
     */
    void abandonedWaiterEntry(String key, long leaseId) {
        long now = time.nanoTime();
        long keep = sessionTtl.toNanos() * 4;
        abandoned.values().removeIf(a -> now - a.atNanos() > keep);
        abandoned.put(key, new Abandoned(leaseId, now));
    }

    /** Whether {@code e} is a waiter entry of a lost session of this coordinator (see {@link #abandonedWaiterEntry}). */
    boolean isAbandoned(Entry e) {
        Abandoned a = abandoned.get(e.key());
        return a != null && a.leaseId() == e.leaseId();
    }

    Logger log() {
        return log;
    }

    /** The safety margin for a lease of {@code ttl}: the same fraction of it as the session's margin. */
    Duration marginFor(Duration ttl) {
        return Duration.ofNanos((long) (ttl.toNanos() * ((double) sessionMargin.toNanos() / sessionTtl.toNanos())));
    }
}
