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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Several mutexes taken together, all or none ({@link Coordinator#multiLock(String...)}): the locks are the same as
 * {@link Coordinator#lock(String)} gives for each name, so a multi-lock over {@code a} and {@code b} excludes a
 * mutex of {@code a}. They are always acquired one after the other in one global order (by name, {@link
 * String#compareTo}), so two multi-locks over overlapping names, on any coordinators, cannot deadlock: whoever holds
 * the smaller shared name first gets the rest. An acquisition that times out, is interrupted, fails or is cancelled
 * releases what it had taken before it returns; so does a try that finds one lock taken.
 *
 * <p>Threadsafe, but one instance serves one holder at a time: asking for the locks while a handle this instance gave
 * is still valid throws {@link IllegalStateException} (see {@link Acquirable}).
 */
public interface DistributedMultiLock {
    /**
     * Returns the names of the locks, in the order they are acquired.
     *
     * @return the names, sorted
     */
    List<String> names();

    /**
     * Waits as long as it takes to acquire every lock.
     *
     * @return the handle
     * @throws InterruptedException if the thread was interrupted; what was taken is released
     * @throws IllegalStateException if a handle from this instance is still valid, or the coordinator is closed
     * @throws LockLostException if the session was lost while waiting; what was taken is released
     * @throws BackendUnavailableException if the server could not be reached; what was taken is released
     */
    MultiLockHandle acquire() throws InterruptedException;

    /**
     * Waits at most {@code timeout}, for all the locks together, to acquire every lock.
     *
     * @param timeout how long to wait in all; zero behaves like {@link #tryAcquire()}
     * @return the handle
     * @throws LockAcquisitionTimeoutException if the locks were not all acquired in time (naming the first lock that
     *     was not); what was taken is released
     * @throws InterruptedException if the thread was interrupted; what was taken is released
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if a handle from this instance is still valid, or the coordinator is closed
     * @throws LockLostException if the session was lost while waiting; what was taken is released
     * @throws BackendUnavailableException if the server could not be reached; what was taken is released
     */
    MultiLockHandle acquire(Duration timeout) throws InterruptedException;

    /**
     * Acquires every lock only if none is held or waited for by anyone else now. Losing is not an error.
     *
     * @return the handle, or empty when one of the locks is taken (nothing is held then)
     * @throws InterruptedException if the thread was interrupted; what was taken is released
     * @throws IllegalStateException if a handle from this instance is still valid, or the coordinator is closed
     * @throws BackendUnavailableException if the server could not be reached; what was taken is released
     */
    Optional<MultiLockHandle> tryAcquire() throws InterruptedException;

    /**
     * Waits at most {@code timeout}, for all the locks together, to acquire every lock. Losing is not an error.
     *
     * @param timeout how long to wait in all
     * @return the handle, or empty when not all were acquired in time (nothing is held then)
     * @throws InterruptedException if the thread was interrupted; what was taken is released
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if a handle from this instance is still valid, or the coordinator is closed
     * @throws LockLostException if the session was lost while waiting; what was taken is released
     * @throws BackendUnavailableException if the server could not be reached; what was taken is released
     */
    Optional<MultiLockHandle> tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * Starts acquiring every lock without blocking the caller. Cancelling the returned future abandons the wait and
     * releases what was taken.
     *
     * @return a future completed with the handle, or exceptionally with the exceptions {@link #acquire()} throws
     * @throws IllegalStateException if a handle from this instance is still valid, or the coordinator is closed
     */
    CompletableFuture<MultiLockHandle> acquireAsync();
}
