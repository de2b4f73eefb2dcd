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

/**
 * Proof of leading an election: returned by {@link LeaderElection#campaign()}. Like a {@link LockHandle}, it learns
 * of its loss before the server could elect anyone else.
 *
 * <p>Threadsafe. {@link #close()} resigns and is idempotent.
 */
public interface Leadership extends AutoCloseable {
    /**
     * Returns the election's name.
     *
     * @return the name
     */
    String electionName();

    /**
     * Returns this candidate's id.
     *
     * @return the id
     */
    String candidateId();

    /**
     * Returns the fencing token of this term: greater than that of every earlier leader of this election.
     *
     * @return the token
     */
    long fencingToken();

    /**
     * Tells whether this term is still held, judged locally (see {@link LockHandle#isValid()}).
     *
     * @return whether still leader
     */
    boolean isValid();

    /**
     * Publishes a value (an address, a role) that observers see with the leader. Conditional on this term still
     * holding its entry on the server.
     *
     * @param value the value, at most 64 KiB of UTF-8
     * @throws LockLostException if leadership was lost
     * @throws IllegalArgumentException if the value is too large
     * @throws NullPointerException if {@code value} is null
     * @throws BackendUnavailableException if the server could not be reached
     */
    void proclaim(String value);

    /** Resigns: idempotent; the next candidate is woken. */
    @Override
    void close();
}
