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

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a lock from {@link Coordinator#lock(String, LockOptions)} is held: bound to the session (the default: held
 * until released or until the process's session is lost), or with a fixed TTL (also expires {@code ttl} after
 * acquisition even if never released; ShedLock's {@code lockAtMostFor}).
 *
 * <p>Immutable and threadsafe; checked when built.
 */
public final class LockOptions {
    private static final LockOptions DEFAULTS = new LockOptions(null);

    private final Duration ttl;

    private LockOptions(Duration ttl) {
        this.ttl = ttl;
    }

    /**
     * Returns the default options: a mutex bound to the coordinator's session.
     *
     * @return the defaults
     */
    public static LockOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns options for a TTL lock that expires {@code ttl} after acquisition even if never released. The server
     * frees the lock {@code ttl} after it was acquired; the holder's handle turns invalid (and its loss listeners
     * are told {@link LossReason#EXPIRED}) a safety margin earlier, so that it stops before anyone else can start.
     * The backend checks the TTL against its own limits when the lock is created.
     *
     * @param ttl the fixed time the lock is held at most
     * @return the options
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     * @throws NullPointerException if {@code ttl} is null
     */
    public static LockOptions ttl(Duration ttl) {
        return new LockOptions(Durations.requirePositive("ttl", ttl));
    }

    /**
     * Returns the fixed TTL of a TTL lock.
     *
     * @return the TTL, or empty for a session-bound mutex
     */
    public Optional<Duration> fixedTtl() {
        return Optional.ofNullable(ttl);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LockOptions && Objects.equals(ttl, ((LockOptions) o).ttl);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(ttl);
    }

    @Override
    public String toString() {
        return ttl == null ? "LockOptions{session-bound}" : "LockOptions{ttl=" + ttl + "}";
    }
}
