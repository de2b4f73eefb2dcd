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

import dev.baton.lock.Leadership;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A term: a session-bound {@link HeldSessionLock} in the election's queue, plus the candidate id and proclaim. */
final class HeldLeadership implements Leadership {
    /** Largest proclaimed value, in UTF-8 bytes. */
    static final int MAX_VALUE_BYTES = 64 * 1024;

    private final String electionName;
    private final String candidateId;
    private final HeldSessionLock held;

    HeldLeadership(String electionName, String candidateId, HeldSessionLock held) {
        this.electionName = electionName;
        this.candidateId = candidateId;
        this.held = held;
    }

    HeldSessionLock held() {
        return held;
    }

    @Override
    public String electionName() {
        return electionName;
    }

    @Override
    public String candidateId() {
        return candidateId;
    }

    @Override
    public long fencingToken() {
        return held.fencingToken();
    }

    @Override
    public boolean isValid() {
        return held.isValid();
    }

    @Override
    public void proclaim(String value) {
        Objects.requireNonNull(value, "value must not be null");
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException(
                    "value must be at most " + MAX_VALUE_BYTES + " bytes in UTF-8, was " + bytes);
        }
        held.replaceValue(new EntryValue(candidateId, value).encode());
    }

    @Override
    public void close() {
        held.close();
    }

    @Override
    public String toString() {
        return "Leadership{election=" + electionName + ", candidate=" + candidateId + ", token=" + fencingToken()
                + ", valid=" + isValid() + "}";
    }
}
