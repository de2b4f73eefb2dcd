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
 * A candidate of an election, as the server lists it: see {@link LeaderElection#participants()}.
 *
 * <p>Immutable and threadsafe.
 *
 * @param candidateId the candidate's id (two processes that campaign with one id appear twice)
 * @param leader whether this candidate leads: true for the first of the list only
 */
public record Participant(String candidateId, boolean leader) {
    /**
     * Creates a participant.
     *
     * @param candidateId the candidate's id
     * @param leader whether it leads
     * @throws NullPointerException if {@code candidateId} is null
     */
    public Participant {
        Objects.requireNonNull(candidateId, "candidateId");
    }
}
