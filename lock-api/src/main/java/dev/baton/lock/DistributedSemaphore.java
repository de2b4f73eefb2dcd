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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A counting semaphore on the cluster ({@link Coordinator#semaphore(String, int)}): at most {@link #permits()} permits
 * are held at once, by any number of acquisitions on any coordinators, each of one or more permits. Every acquisition
 * is its own {@link SemaphoreHandle} with a fencing token, bound to the coordinator's session like a mutex's: a holder
 * that is cut off or dies loses its permits within the session TTL (plus the backend's slack), and is told so before
 * the server can give them to anyone else.
 *
 * <p>Waiters are served strictly in the order they asked (FIFO): a waiter never overtakes an earlier one, even when the
 * permits free now would be enough for it but not for the earlier waiter. So a request for many permits is never
 * starved by a stream of small ones; the price is that a large request at the head of the queue holds up the smaller
 * requests behind it until enough permits are free for it. A release wakes the first waiter and, only when that one
 * then holds, the next: never every waiter.
 *
 * <p>Every process must use the same limit for a name: an acquisition that finds acquisitions of another limit on the
 * server is refused with {@link SemaphoreLimitMismatchException} and leaves nothing behind.
 *
 * <p>Threadsafe, and, unlike a {@link DistributedLock}, one instance may hold several acquisitions at once: threads may
 * share it, and each acquisition is its own handle. As with {@link java.util.concurrent.Semaphore}, a thread that
 * holds permits and waits for more can wait for ever if the others do the same; take all the permits a task needs in
 * one acquisition.
 */
public interface DistributedSemaphore {
    /**
     * Returns the semaphore's name as the user gave it.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the semaphore's limit: the most permits held at once.
     *
     * @return the limit, at least 1
     */
    int permits();

    /**
     * Waits as long as it takes to acquire one permit.
     *
     * @return the handle
     * @throws InterruptedException if the thread was interrupted; the wait is abandoned and its entry removed
     * @throws SemaphoreLimitMismatchException if acquisitions on the server use another limit
     * @throws IllegalStateException if the coordinator is closed
     * @throws LockLostException if the session was lost while waiting
     * @throws BackendUnavailableException if the server could not be reached
     */
    SemaphoreHandle acquire() throws InterruptedException;

    /**
     * Waits as long as it takes to acquire {@code permits} permits, as one acquisition.
     *
     * @param permits how many permits, 1 to {@link #permits()}
     * @return the handle
     * @throws IllegalArgumentException if {@code permits} is below 1 or above the limit (nothing is written)
     * @throws InterruptedException if the thread was interrupted; the wait is abandoned and its entry removed
     * @throws SemaphoreLimitMismatchException if acquisitions on the server use another limit
     * @throws IllegalStateException if the coordinator is closed
     * @throws LockLostException if the session was lost while waiting
     * @throws BackendUnavailableException if the server could not be reached
     */
    SemaphoreHandle acquire(int permits) throws InterruptedException;

    /**
     * Waits at most {@code timeout} to acquire one permit.
     *
     * @param timeout how long to wait; zero behaves like {@link #tryAcquire()}
     * @return the handle
     * @throws LockAcquisitionTimeoutException if the permit was not acquired in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException if the thread was interrupted; the wait is abandoned and its entry removed
     * @throws SemaphoreLimitMismatchException if acquisitions on the server use another limit
     * @throws IllegalStateException if the coordinator is closed
     * @throws LockLostException if the session was lost while waiting
     * @throws BackendUnavailableException if the server could not be reached
     */
    SemaphoreHandle acquire(Duration timeout) throws InterruptedException;

    /**
     * Waits at most {@code timeout} to acquire {@code permits} permits, as one acquisition.
     *
     * @param permits how many permits, 1 to {@link #permits()}
     * @param timeout how long to wait; zero behaves like {@link #tryAcquire(int)}
     * @return the handle
     * @throws LockAcquisitionTimeoutException if the permits were not acquired in time
     * @throws IllegalArgumentException if {@code permits} is below 1 or above the limit, or {@code timeout} is negative
     *     (nothing is written)
     * @throws InterruptedException if the thread was interrupted; the wait is abandoned and its entry removed
     * @throws SemaphoreLimitMismatchException if acquisitions on the server use another limit
     * @throws IllegalStateException if the coordinator is closed
     * @throws LockLostException if the session was lost while waiting
     * @throws BackendUnavailableException if the server could not be reached
     */
    SemaphoreHandle acquire(int permits, Duration timeout) throws InterruptedException;

    /**
     * Acquires one permit only if it is free now and nobody waits. Losing is not an error.
     *
     * @return the handle, or empty when no permit is free or others wait
     * @throws InterruptedException if the thread was interrupted
     * @throws SemaphoreLimitMismatchException if acquisitions on the server use another limit
     * @throws IllegalStateException if the coordinator is closed
     * @throws BackendUnavailableException if the server could not be reached
     */
    Optional<SemaphoreHandle> tryAcquire() throws InterruptedException;

    /**
     * Acquires {@code permits} permits only if they are free now and nobody waits. Losing is not an error.
     *
     * @param permits how many permits, 1 to {@link #permits()}
     * @return the handle, or empty when not enough permits are free or others wait
     * @throws IllegalArgumentException if {@code permits} is below 1 or above the limit (nothing is written)
     * @throws InterruptedException if the thread was interrupted
     * @throws SemaphoreLimitMismatchException if acquisitions on the server use another limit
     * @throws IllegalStateException if the coordinator is closed
     * @throws BackendUnavailableException if the server could not be reached
     */
    Optional<SemaphoreHandle> tryAcquire(int permits) throws InterruptedException;

    /**
     * Waits at most {@code timeout} to acquire one permit. Losing is not an error.
     *
     * @param timeout how long to wait
     * @return the handle, or empty when no permit was acquired in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException if the thread was interrupted
     * @throws SemaphoreLimitMismatchException if acquisitions on the server use another limit
     * @throws IllegalStateException if the coordinator is closed
     * @throws LockLostException if the session was lost while waiting
     * @throws BackendUnavailableException if the server could not be reached
     */
    Optional<SemaphoreHandle> tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * Waits at most {@code timeout} to acquire {@code permits} permits. Losing is not an error.
     *
     * @param permits how many permits, 1 to {@link #permits()}
     * @param timeout how long to wait
     * @return the handle, or empty when the permits were not acquired in time
     * @throws IllegalArgumentException if {@code permits} is below 1 or above the limit, or {@code timeout} is negative
     *     (nothing is written)
     * @throws InterruptedException if the thread was interrupted
     * @throws SemaphoreLimitMismatchException if acquisitions on the server use another limit
     * @throws IllegalStateException if the coordinator is closed
     * @throws LockLostException if the session was lost while waiting
     * @throws BackendUnavailableException if the server could not be reached
     */
    Optional<SemaphoreHandle> tryAcquire(int permits, Duration timeout) throws InterruptedException;

    /**
     * Starts acquiring one permit without blocking the caller; see {@link #acquireAsync(int)}.
     *
     * @return a future completed with the handle, or exceptionally with the exceptions {@link #acquire()} throws
     * @throws IllegalStateException if the coordinator is closed
     */
    CompletableFuture<SemaphoreHandle> acquireAsync();

    /**
     * Starts acquiring {@code permits} permits without blocking the caller. Cancelling the returned future abandons the
     * wait and removes the waiter's entry; if the permits were acquired concurrently with the cancellation, they are
     * released.
     *
     * @param permits how many permits, 1 to {@link #permits()}
     * @return a future completed with the handle, or exceptionally with the exceptions {@link #acquire(int)} throws
     * @throws IllegalArgumentException if {@code permits} is below 1 or above the limit (nothing is written)
     * @throws IllegalStateException if the coordinator is closed
     */
    CompletableFuture<SemaphoreHandle> acquireAsync(int permits);
}
