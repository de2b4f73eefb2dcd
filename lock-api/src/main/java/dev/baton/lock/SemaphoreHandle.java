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
 * Proof of holding permits of a {@link DistributedSemaphore}: returned by every successful acquisition, one handle per
 * acquisition whatever the number of permits it took. Closing it gives all of its permits back at once; a semaphore
 * has no partial release.
 *
 * <p>Its {@linkplain #fencingToken() fencing token} is the creation sequence of the acquisition's queue entry: unique
 * per acquisition, and greater than the token of every acquisition of the same semaphore that had returned before this
 * one was asked for. Holders of a semaphore overlap by design, so a token does not exclude the holders that share the
 * semaphore with it; it orders acquisitions in the queue's (FIFO) order.
 *
 * <p>Threadsafe. {@link #close()} releases the permits and is idempotent.
 */
public interface SemaphoreHandle extends LockHandle {
    /**
     * Returns how many permits this acquisition holds.
     *
     * @return the permits, at least 1 and at most the semaphore's limit
     */
    int permits();
}
