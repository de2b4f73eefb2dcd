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
 * acquisition even if never released; ShedLock's {@code lockAtMostFor}), optionally with a minimum hold (ShedLock's
 * {@code lockAtLeastFor}):
 *
 * <pre>{@code
 * LockOptions.ttl(Duration.ofMinutes(10)).holdAtLeast(Duration.ofSeconds(30))
 * }</pre>
 *
 * <p>Immutable and threadsafe; checked when built.
 */
public final class LockOptions {
    private static final LockOptions DEFAULTS = new LockOptions(null, Duration.ZERO);

    private final Duration ttl;
    private final Duration minimumHold;

    private LockOptions(Duration ttl, Duration minimumHold) {
        this.ttl = ttl;
        this.minimumHold = minimumHold;
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
     * The backend checks the TTL against its own limits when the lock is created. The handle of a TTL lock is a
     * {@link TtlLockHandle}, which can be {@linkplain TtlLockHandle#extend(Duration) extended}.
     *
     * @param ttl the fixed time the lock is held at most
     * @return the options
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     * @throws NullPointerException if {@code ttl} is null
     */
    public static LockOptions ttl(Duration ttl) {
        return new LockOptions(Durations.requirePositive("ttl", ttl), Duration.ZERO);
    }

    /**
     * Returns these TTL-lock options with a minimum hold (ShedLock's {@code lockAtLeastFor}): a release earlier than
     * {@code minimum} after acquisition returns at once, but the lock stays taken on the server until {@code minimum}
     * after acquisition, and then frees itself, without the holder (whose process may have exited by then). So a job
     * that fires on two nodes whose clocks disagree by less than {@code minimum} runs once. The server may keep the
     * lock up to the backend's minimum TTL longer (etcd: 2 s by default; Consul: 10 s, and 2 &times; that, see the
     * README), never longer than the TTL. Zero, the default, means no minimum hold.
     *
     * @param minimum how long after acquisition the lock stays taken at least, from zero to the TTL
     * @return new options with the TTL of these and the minimum hold
     * @throws IllegalArgumentException if {@code minimum} is negative or longer than the TTL
     * @throws IllegalStateException if these options are session-bound ({@link #defaults()}): a minimum hold needs a
     *     TTL lock
     * @throws NullPointerException if {@code minimum} is null
     */
    public LockOptions holdAtLeast(Duration minimum) {
        Objects.requireNonNull(minimum, "minimum must not be null");
        if (ttl == null) {
            throw new IllegalStateException("a minimum hold needs a TTL lock: use LockOptions.ttl(lockAtMostFor)"
                    + ".holdAtLeast(lockAtLeastFor)");
        }
        if (minimum.isNegative() || minimum.compareTo(ttl) > 0) {
            throw new IllegalArgumentException(
                    "minimum hold must be from zero to the ttl (" + ttl + "), got " + minimum);
        }
        return new LockOptions(ttl, minimum);
    }

    /**
     * Returns the fixed TTL of a TTL lock.
     *
     * @return the TTL, or empty for a session-bound mutex
     */
    public Optional<Duration> fixedTtl() {
        return Optional.ofNullable(ttl);
    }

    /**
     * Returns the minimum hold of a TTL lock (see {@link #holdAtLeast(Duration)}).
     *
     * @return the minimum hold, {@link Duration#ZERO} when there is none
     */
    public Duration minimumHold() {
        return minimumHold;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LockOptions
                && Objects.equals(ttl, ((LockOptions) o).ttl)
                && minimumHold.equals(((LockOptions) o).minimumHold);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl, minimumHold);
    }

    @Override
    public String toString() {
        if (ttl == null) {
            return "LockOptions{session-bound}";
        }
        return "LockOptions{ttl=" + ttl + (minimumHold.isZero() ? "" : ", minimumHold=" + minimumHold) + "}";
    }
}
