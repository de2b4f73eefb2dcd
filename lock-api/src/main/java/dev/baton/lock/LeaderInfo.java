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
 *
 * @param candidateId the leader's candidate id
 * @param fencingToken the leader's fencing token: greater than that of every earlier leader of this election
 * @param value the value the leader proclaimed last, or the empty string
 */
public record LeaderInfo(String candidateId, long fencingToken, String value) {
    /**
     * Creates a snapshot.
     *
     * @param candidateId the leader's candidate id
     * @param fencingToken the leader's fencing token
     * @param value the value the leader proclaimed last (empty when none)
     * @throws NullPointerException if {@code candidateId} or {@code value} is null
     */
    public LeaderInfo {
        Objects.requireNonNull(candidateId, "candidateId");
        Objects.requireNonNull(value, "value");
    }
}
