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

import java.util.Objects;

/**
 * Who leads an election, as seen on the server at one moment.
 *
 * <p>Immutable and threadsafe.
 */
public final class LeaderInfo {
    private final String candidateId;
    private final long fencingToken;
    private final String value;

    /**
     * Creates a snapshot.
     *
     * @param candidateId the leader's candidate id
     * @param fencingToken the leader's fencing token
     * @param value the value the leader proclaimed last (empty when none)
     */
    public LeaderInfo(String candidateId, long fencingToken, String value) {
        this.candidateId = Objects.requireNonNull(candidateId, "candidateId");
        this.fencingToken = fencingToken;
        this.value = Objects.requireNonNull(value, "value");
    }

    /**
     * Returns the leader's candidate id.
     *
     * @return the id
     */
    public String candidateId() {
        return candidateId;
    }

    /**
     * Returns the leader's fencing token: greater than that of every earlier leader of this election.
     *
     * @return the token
     */
    public long fencingToken() {
        return fencingToken;
    }

    /**
     * Returns the value the leader proclaimed last, or the empty string.
     *
     * @return the value
     */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LeaderInfo)) {
            return false;
        }
        LeaderInfo other = (LeaderInfo) o;
        return candidateId.equals(other.candidateId) && fencingToken == other.fencingToken && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(candidateId, fencingToken, value);
    }

    @Override
    public String toString() {
        return "LeaderInfo{candidateId=" + candidateId + ", fencingToken=" + fencingToken + ", value=" + value + "}";
    }
}
