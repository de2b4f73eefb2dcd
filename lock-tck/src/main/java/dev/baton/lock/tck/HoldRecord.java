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

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One acquisition as a test observed it: who held which lock with which fencing token, from when the acquire call
 * returned until the release call began or the holder was told of its loss, whichever came first. Instants are read
 * from one monotonic clock of the observing JVM (see {@link HistoryRecorder}).
 *
 * <p>Immutable and threadsafe.
 */
public final class HoldRecord {
    private final String client;
    private final String lockName;
    private final long token;
    private final long acquiredNanos;
    private final OptionalLong releaseStartNanos;
    private final OptionalLong lostNanos;

    /**
     * Creates a record.
     *
     * @param client who held the lock (a coordinator and thread, for messages)
     * @param lockName the lock's name
     * @param token the fencing token of the acquisition
     * @param acquiredNanos when the acquire call returned
     * @param releaseStartNanos when the release call began; empty if the holder never released
     * @param lostNanos when the holder was told the lock was lost; empty if it never was
     * @throws NullPointerException if an argument is null
     */
    public HoldRecord(
            String client,
            String lockName,
            long token,
            long acquiredNanos,
            OptionalLong releaseStartNanos,
            OptionalLong lostNanos) {
        this.client = Objects.requireNonNull(client, "client");
        this.lockName = Objects.requireNonNull(lockName, "lockName");
        this.token = token;
        this.acquiredNanos = acquiredNanos;
        this.releaseStartNanos = Objects.requireNonNull(releaseStartNanos, "releaseStartNanos");
        this.lostNanos = Objects.requireNonNull(lostNanos, "lostNanos");
    }

    /**
     * Returns who held the lock.
     *
     * @return the client's label
     */
    public String client() {
        return client;
    }

    /**
     * Returns the lock's name.
     *
     * @return the name
     */
    public String lockName() {
        return lockName;
    }

    /**
     * Returns the fencing token of the acquisition.
     *
     * @return the token
     */
    public long token() {
        return token;
    }

    /**
     * Returns when the acquire call returned.
     *
     * @return the instant, in nanoseconds of the recording clock
     */
    public long acquiredNanos() {
        return acquiredNanos;
    }

    /**
     * Returns when the release call began.
     *
     * @return the instant, or empty if the holder never released
     */
    public OptionalLong releaseStartNanos() {
        return releaseStartNanos;
    }

    /**
     * Returns when the holder was told of the loss.
     *
     * @return the instant, or empty if it never was
     */
    public OptionalLong lostNanos() {
        return lostNanos;
    }

    /**
     * Tells whether the hold ended by loss: the holder was told of its loss before (or without) releasing.
     *
     * @return whether the hold was lost
     */
    public boolean endedByLoss() {
        return lostNanos.isPresent()
                && (releaseStartNanos.isEmpty() || lostNanos.getAsLong() <= releaseStartNanos.getAsLong());
    }

    /**
     * Returns when the hold interval ends: the earlier of the release start and the loss.
     *
     * @return the instant, or {@link Long#MAX_VALUE} when the hold never ended
     */
    public long endNanos() {
        long end = Long.MAX_VALUE;
        if (releaseStartNanos.isPresent()) {
            end = Math.min(end, releaseStartNanos.getAsLong());
        }
        if (lostNanos.isPresent()) {
            end = Math.min(end, lostNanos.getAsLong());
        }
        return end;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HoldRecord)) {
            return false;
        }
        HoldRecord other = (HoldRecord) o;
        return client.equals(other.client)
                && lockName.equals(other.lockName)
                && token == other.token
                && acquiredNanos == other.acquiredNanos
                && releaseStartNanos.equals(other.releaseStartNanos)
                && lostNanos.equals(other.lostNanos);
    }

    @Override
    public int hashCode() {
        return Objects.hash(client, lockName, token, acquiredNanos, releaseStartNanos, lostNanos);
    }

    @Override
    public String toString() {
        return "HoldRecord{client=" + client + ", lock=" + lockName + ", token=" + token + ", acquired="
                + acquiredNanos + ", releaseStart=" + describe(releaseStartNanos) + ", lost=" + describe(lostNanos)
                + "}";
    }

    private static String describe(OptionalLong instant) {
        return instant.isPresent() ? Long.toString(instant.getAsLong()) : "-";
    }
}
