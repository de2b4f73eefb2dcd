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
package dev.baton.consul;

import dev.baton.consul.internal.ConsulHttp;
import dev.baton.consul.internal.SessionInfo;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.NoSuchLeaseException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps the SPI's lease ids to Consul session ids. A lease id is the first 64 bits of the session's UUID; the sessions
 * this backend created are known, any other is looked up in {@code GET /v1/session/list}. Threadsafe.
 */
final class SessionDirectory {
    private final ConsulHttp http;
    private final String sessionName;
    private final Duration lockDelay;
    private final Map<Long, String> sessions = new ConcurrentHashMap<>();

    SessionDirectory(ConsulHttp http, String sessionName, Duration lockDelay) {
        this.http = http;
        this.sessionName = sessionName;
        this.lockDelay = lockDelay;
    }

    /** Creates a session (no checks, behaviour {@code delete}, the lock-delay) and returns its lease id. */
    long create(Duration ttl) {
        String id = http.createSession(sessionName, ttl, lockDelay);
        long lease = leaseIdOf(id);
        sessions.put(lease, id);
        return lease;
    }

    /** Renews a session; throws {@link NoSuchLeaseException} if Consul no longer has it. */
    void renew(long leaseId) {
        if (!http.renewSession(require(leaseId))) {
            forget(leaseId);
            throw new NoSuchLeaseException(leaseId);
        }
    }

    /** Destroys a session, if it is known; an unknown one is ignored. */
    void destroy(long leaseId) {
        Optional<String> id = resolve(leaseId);
        if (id.isPresent()) {
            http.destroySession(id.get());
            forget(leaseId);
        }
    }

    /** The session of a lease; throws {@link NoSuchLeaseException} if there is none. */
    String require(long leaseId) {
        return resolve(leaseId).orElseThrow(() -> new NoSuchLeaseException(leaseId));
    }

    /** The session of a lease, or null for {@link Entry#NO_LEASE}. */
    String sessionOf(long leaseId) {
        return leaseId == Entry.NO_LEASE ? null : require(leaseId);
    }

    /** Forgets a session Consul reported gone. */
    void forget(long leaseId) {
        sessions.remove(leaseId);
    }

    private Optional<String> resolve(long leaseId) {
        String id = sessions.get(leaseId);
        if (id != null) {
            return Optional.of(id);
        }
        if (leaseId == Entry.NO_LEASE) {
            return Optional.empty();
        }
        for (SessionInfo s : http.listSessions()) {
            if (leaseIdOf(s.id()) == leaseId) {
                return Optional.of(s.id());
            }
        }
        return Optional.empty();
    }

    /** The lease id of a session: the first 64 bits of its UUID, never {@link Entry#NO_LEASE}. */
    static long leaseIdOf(String sessionId) {
        long id;
        try {
            id = UUID.fromString(sessionId).getMostSignificantBits();
        } catch (IllegalArgumentException notUuid) {
            id = sessionId.hashCode();
        }
        return id == Entry.NO_LEASE ? 1 : id;
    }
}
