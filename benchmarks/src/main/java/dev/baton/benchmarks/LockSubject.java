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
package dev.baton.benchmarks;

/**
 * Something that takes named locks: Baton on one backend, a peer library on the same server, or the server's floor (the
 * fewest writes a lock needs, with no exclusion at all). A subject has one or more clients (coordinators, jetcd clients,
 * Curator frameworks), each a separate connection to the server, so contention crosses processes' worth of clients,
 * not just threads.
 *
 * <p>{@link #locker} is threadsafe; each {@link Locker} belongs to one thread.
 */
interface LockSubject extends AutoCloseable {
    /**
     * A lock named {@code name} on client {@code client} (taken modulo the number of clients), for the calling thread.
     */
    Locker locker(int client, String name);

    /** Requests sent through Baton's SPI so far, keep-alives excluded; -1 for a subject that is not Baton. */
    default long requests() {
        return -1;
    }

    /** Keep-alive requests sent through Baton's SPI so far; -1 for a subject that is not Baton. */
    default long keepAlives() {
        return -1;
    }

    @Override
    void close();
}
