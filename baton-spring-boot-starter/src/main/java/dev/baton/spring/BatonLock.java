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
package dev.baton.spring;

import dev.baton.lock.DistributedLock;
import dev.baton.lock.LockLostException;
import dev.baton.lock.ThreadOwnedLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Lock} of a {@link BatonLockRegistry}: one Baton session-bound lock, shared by this JVM's threads with
 * {@link ReentrantLock}'s ownership rules, as Spring Integration's registries document theirs. The locking thread
 * owns it; it is reentrant with a hold count; the Baton lock is acquired on the first hold and released when the
 * count returns to zero; {@link #unlock()} by a thread that does not own it throws {@link
 * IllegalMonitorStateException}. Threads of this JVM queue locally (fairly), and one of them at a time queues on the
 * server with the other processes (first come, first served).
 *
 * <p>Where it differs from a local lock, the way Spring's distributed registries do: every entry, a reentrant one
 * included, checks that the Baton lock is still held. If it was lost (its session could not be renewed in time, see
 * the README's early loss), the entry fails ({@code tryLock} returns false, {@code lock} and {@code
 * lockInterruptibly} throw {@link LockLostException}) and ends every hold of the owning thread, so that the next
 * entry acquires the lock afresh; a later {@code unlock()} for one of those holds throws {@link
 * IllegalMonitorStateException}. The outermost {@code unlock()} of a lock that was lost meanwhile releases the local
 * lock and then throws {@link LockLostException}: the work done under it may have overlapped another holder's.
 * {@link #fencingToken()} gives the token to pass to the resource. {@link #newCondition()} is not supported. This is
 * a {@link ThreadOwnedLock} with {@link ThreadOwnedLock.OnLoss#FAIL}.
 *
 * <p>Threadsafe.
 */
public final class BatonLock implements Lock {
    private final ThreadOwnedLock lock;

    BatonLock(DistributedLock lock) {
        this.lock = new ThreadOwnedLock(lock, ThreadOwnedLock.OnLoss.FAIL);
    }

    /**
     * Returns the name of the Baton lock.
     *
     * @return the name
     */
    public String name() {
        return lock.name();
    }

    /**
     * Returns the fencing token of the current hold: pass it to the resource you write, which rejects tokens older
     * than the newest it has seen.
     *
     * @return the token
     * @throws IllegalMonitorStateException if the current thread does not hold this lock
     */
    public long fencingToken() {
        return lock.fencingToken();
    }

    /**
     * Tells whether the current thread holds this lock and the Baton lock under it is still valid.
     *
     * @return whether held and valid
     */
    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /**
     * Waits as long as it takes; not interruptible (an interrupt is kept and restored on return).
     *
     * @throws LockLostException if this thread's hold was lost (a reentrant entry), or the session was lost while
     *     waiting
     * @throws dev.baton.lock.BackendUnavailableException if the server could not be reached
     */
    @Override
    public void lock() {
        lock.lock();
    }

    /**
     * Waits as long as it takes, or until interrupted.
     *
     * @throws InterruptedException if interrupted; this entry is abandoned
     * @throws LockLostException as {@link #lock()}
     * @throws dev.baton.lock.BackendUnavailableException if the server could not be reached
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        lock.lockInterruptibly();
    }

    /**
     * Takes the lock only if no thread of this JVM holds it and nobody holds or waits for it on the server.
     *
     * @return whether this thread now holds it; false also when this thread's hold was found lost
     * @throws dev.baton.lock.BackendUnavailableException if the server could not be reached
     */
    @Override
    public boolean tryLock() {
        return lock.tryLock();
    }

    /**
     * Waits at most {@code time} for the lock, here and on the server together.
     *
     * @return whether this thread now holds it; false also when this thread's hold was found lost
     * @throws InterruptedException if interrupted; this entry is abandoned
     * @throws dev.baton.lock.BackendUnavailableException if the server could not be reached
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return lock.tryLock(time, unit);
    }

    /**
     * Ends one hold; the last one releases the Baton lock.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock (or its hold ended when the
     *     Baton lock was found lost)
     * @throws LockLostException if this was the last hold and the Baton lock had been lost meanwhile; the lock is
     *     released all the same
     */
    @Override
    public void unlock() {
        lock.unlock();
    }

    /**
     * Not supported on a distributed lock.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Condition newCondition() {
        return lock.newCondition();
    }

    boolean isUnusedSince(long nanos) {
        return lock.isUnusedSince(nanos);
    }

    @Override
    public String toString() {
        return "BatonLock{" + name() + ", holdCount(current thread)=" + lock.holdCount() + "}";
    }
}
