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
import java.util.concurrent.locks.Lock;

/**
 * A named lock on the cluster that gives handles of type {@code H} when acquired: the common shape of a {@link
 * DistributedLock} (a mutex or a TTL lock, whose handles are {@link LockHandle}s) and a {@link DistributedLease}
 * (whose handles are {@link LeaseHandle}s and can be renewed). Code that treats every kind alike takes an {@code
 * Acquirable<?>}. Waiters are served in the order they asked (FIFO), and a release wakes only the next waiter.
 *
 * <p>Threadsafe, but one instance serves one holder at a time: asking an instance for the lock while a handle it
 * returned is still valid throws {@link IllegalStateException} instead of deadlocking, whichever thread asks,
 * because handles, not threads, own locks (a handle may have been passed to another thread or an async stage).
 * Instances are cheap and create nothing on the server until used, so threads that compete for one name should
 * each ask the {@link Coordinator} for an instance, or share the {@link #asJavaLock()} view, which queues this JVM's
 * threads locally with {@link java.util.concurrent.locks.ReentrantLock}'s rules.
 *
 * @param <H> the type of the handles this lock gives
 */
public interface Acquirable<H extends LockHandle> {
    /**
     * Returns the lock's name as the user gave it.
     *
     * @return the name
     */
    String name();

    /**
     * Waits as long as it takes to acquire the lock.
     *
     * @return the handle
     * @throws InterruptedException if the thread was interrupted; the wait is abandoned and its entry removed
     * @throws IllegalStateException if a handle from this instance is still valid, or the coordinator is closed
     * @throws LockLostException if the session was lost while waiting
     * @throws BackendUnavailableException if the server could not be reached
     */
    H acquire() throws InterruptedException;

    /**
     * Waits at most {@code timeout} to acquire the lock.
     *
     * @param timeout how long to wait; zero behaves like {@link #tryAcquire()}
     * @return the handle
     * @throws LockAcquisitionTimeoutException if the lock was not acquired in time
     * @throws InterruptedException if the thread was interrupted; the wait is abandoned and its entry removed
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if a handle from this instance is still valid, or the coordinator is closed
     * @throws LockLostException if the session was lost while waiting
     * @throws BackendUnavailableException if the server could not be reached
     */
    H acquire(Duration timeout) throws InterruptedException;

    /**
     * Acquires the lock only if nobody holds it or waits for it now. Losing is not an error.
     *
     * @return the handle, or empty when the lock is taken
     * @throws InterruptedException if the thread was interrupted
     * @throws IllegalStateException if a handle from this instance is still valid, or the coordinator is closed
     * @throws BackendUnavailableException if the server could not be reached
     */
    Optional<H> tryAcquire() throws InterruptedException;

    /**
     * Waits at most {@code timeout} to acquire the lock. Losing is not an error.
     *
     * @param timeout how long to wait
     * @return the handle, or empty when the lock was not acquired in time
     * @throws InterruptedException if the thread was interrupted
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if a handle from this instance is still valid, or the coordinator is closed
     * @throws LockLostException if the session was lost while waiting
     * @throws BackendUnavailableException if the server could not be reached
     */
    Optional<H> tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * Starts acquiring without blocking the caller. Cancelling the returned future abandons the wait and removes the
     * waiter's entry; if the lock was acquired concurrently with the cancellation, it is released.
     *
     * @return a future completed with the handle, or exceptionally with the exceptions {@link #acquire()} throws
     * @throws IllegalStateException if a handle from this instance is still valid, or the coordinator is closed
     */
    CompletableFuture<H> acquireAsync();

    /**
     * Returns a {@link Lock} view with {@link java.util.concurrent.locks.ReentrantLock}'s ownership rules: owned by
     * the locking thread, reentrant with a hold count, {@code unlock()} by a thread that does not own it throws
     * {@link IllegalMonitorStateException}. The distributed lock is acquired on the first hold and released when the
     * count returns to zero. {@code newCondition()} is not supported. Every call returns the same view.
     *
     * @return the view
     */
    Lock asJavaLock();
}
