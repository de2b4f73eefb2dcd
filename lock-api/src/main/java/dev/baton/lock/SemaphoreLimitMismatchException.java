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
 * Thrown when a semaphore is asked for permits with a limit that differs from the limit of the acquisitions already
 * queued or holding on the server: two processes that disagree on how many permits a semaphore has would each count
 * against their own limit, and together hold more permits than either allows. Every acquisition stores its limit in
 * its queue entry, and one that finds an entry with another limit is refused with this exception before it can hold,
 * and removes its own entry. Make every process use the same {@code permits} for the name (a shared constant or
 * setting), or give the semaphore with the new limit a new name; a new limit takes effect once every acquisition made
 * with the old one has been released.
 *
 * <p>Immutable and threadsafe.
 */
public class SemaphoreLimitMismatchException extends LockException {
    private static final long serialVersionUID = 1L;

    /** The limit the refused acquisition asked with. */
    private final int requestedLimit;

    /** The limit found on the server. */
    private final int foundLimit;

    /**
     * Creates the exception.
     *
     * @param semaphoreName the semaphore's name
     * @param requestedLimit the limit the refused acquisition asked with
     * @param foundLimit the limit of an acquisition found on the server
     */
    public SemaphoreLimitMismatchException(String semaphoreName, int requestedLimit, int foundLimit) {
        super(
                semaphoreName,
                "semaphore '" + semaphoreName + "' was asked for with " + requestedLimit + " permits, but acquisitions"
                        + " on the server use " + foundLimit + " permits; use semaphore(\"" + semaphoreName + "\", "
                        + foundLimit + ") in every process (or a new name for the new limit): the limit changes only"
                        + " once every acquisition made with " + foundLimit + " permits was released",
                null);
        this.requestedLimit = requestedLimit;
        this.foundLimit = foundLimit;
    }

    /**
     * Returns the limit the refused acquisition asked with.
     *
     * @return the limit
     */
    public int requestedLimit() {
        return requestedLimit;
    }

    /**
     * Returns the limit found on the server.
     *
     * @return the limit
     */
    public int foundLimit() {
        return foundLimit;
    }
}
