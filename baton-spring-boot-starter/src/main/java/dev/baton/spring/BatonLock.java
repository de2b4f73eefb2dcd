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
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossReason;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
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
 * {@link #fencingToken()} gives the token to pass to the resource. {@link #newCondition()} is not supported.
 *
 * <p>Threadsafe.
 */
public final class BatonLock implements Lock {
    private final DistributedLock lock;
    private final ReentrantLock local = new ReentrantLock(true);
    // Written and read only by the thread that holds `local`.
    private LockHandle handle;
    private volatile long lastUsedNanos = System.nanoTime();

    BatonLock(DistributedLock lock) {
        this.lock = lock;
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
        if (!local.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("the current thread does not hold lock '" + name() + "'");
        }
        return handle.fencingToken();
    }

    /**
     * Tells whether the current thread holds this lock and the Baton lock under it is still valid.
     *
     * @return whether held and valid
     */
    public boolean isHeldByCurrentThread() {
        return local.isHeldByCurrentThread() && handle != null && handle.isValid();
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
        boolean interrupted = false;
        try {
            while (true) {
                local.lock();
                try {
                    enter(null);
                    return;
                } catch (InterruptedException e) {
                    // Lock.lock() is not interruptible: enter() gave the local lock up with the wait; take both again,
                    // and restore the interrupt once held.
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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
        local.lockInterruptibly();
        enter(null);
    }

    /**
     * Takes the lock only if no thread of this JVM holds it and nobody holds or waits for it on the server.
     *
     * @return whether this thread now holds it; false also when this thread's hold was found lost
     * @throws dev.baton.lock.BackendUnavailableException if the server could not be reached
     */
    @Override
    public boolean tryLock() {
        if (!local.tryLock()) {
            return false;
        }
        try {
            return enterOrFalse(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        Objects.requireNonNull(unit, "unit must not be null");
        long deadline = System.nanoTime() + unit.toNanos(time);
        if (!local.tryLock(time, unit)) {
            return false;
        }
        return enterOrFalse(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
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
        if (!local.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("the current thread does not hold lock '" + name()
                    + "' (or its hold ended when the lock was found lost)");
        }
        lastUsedNanos = System.nanoTime();
        if (local.getHoldCount() > 1) {
            local.unlock();
            return;
        }
        LockHandle held = handle;
        handle = null;
        boolean valid = held.isValid();
        try {
            // Released before the local lock: the next thread of this JVM asks the same DistributedLock, which
            // refuses while a handle of its own is still open.
            held.close();
        } finally {
            local.unlock();
        }
        if (!valid) {
            throw lost("was lost before unlock(); the work done under it may have overlapped another holder's");
        }
    }

    /**
     * Not supported on a distributed lock.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("conditions are not supported on a distributed lock");
    }

    boolean isUnusedSince(long nanos) {
        return !local.isLocked() && !local.hasQueuedThreads() && lastUsedNanos - nanos < 0;
    }

    /**
     * The part of an entry after the local lock was taken: a first hold acquires the Baton lock (waiting at most
     * {@code timeout}, or as long as it takes when null); a reentrant one checks it is still valid. A failed first
     * entry gives its local hold up; a reentrant entry that finds the lock lost gives up every hold of the thread.
     */
    private boolean enter(Duration timeout) throws InterruptedException {
        lastUsedNanos = System.nanoTime();
        if (local.getHoldCount() > 1) {
            if (handle.isValid()) {
                return true;
            }
            // The Baton lock is gone: every hold of this thread ends with it, so that the next entry starts afresh.
            LockHandle lost = handle;
            handle = null;
            try {
                lost.close(); // before the local lock, as in unlock()
            } finally {
                while (local.isHeldByCurrentThread()) {
                    local.unlock();
                }
            }
            throw lost("was lost; every hold of this thread has ended, and the next entry acquires it afresh");
        }
        try {
            Optional<LockHandle> acquired = timeout == null ? Optional.of(lock.acquire()) : lock.tryAcquire(timeout);
            if (acquired.isPresent()) {
                handle = acquired.get();
                return true;
            }
            local.unlock();
            return false;
        } catch (InterruptedException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    private boolean enterOrFalse(Duration timeout) throws InterruptedException {
        try {
            return enter(timeout);
        } catch (LockLostException e) {
            // Lost while waiting, or this thread's hold was found lost: either way not acquired, and enter() left
            // the local lock released for this entry.
            return false;
        }
    }

    private LockLostException lost(String what) {
        // A handle does not tell why it turned invalid; a session-bound lock is lost with its session or its entry.
        return new LockLostException(name(), LossReason.SESSION_LOST, "lock '" + name() + "' " + what, null);
    }

    @Override
    public String toString() {
        return "BatonLock{" + name() + ", holdCount(current thread)=" + local.getHoldCount() + "}";
    }
}
