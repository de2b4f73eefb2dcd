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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Lock} over one {@link Acquirable}, with {@link ReentrantLock}'s ownership rules: owned by the locking
 * thread, reentrant with a hold count, {@link #unlock()} by a thread that does not own it throws {@link
 * IllegalMonitorStateException}. A local fair {@code ReentrantLock} decides ownership among this JVM's threads; the
 * distributed lock is acquired on the first hold and released when the count returns to zero, so one thread of this
 * JVM at a time queues on the server with the other processes. {@link #newCondition()} is not supported.
 *
 * <p>What a lost lock does (its session could not be renewed in time, see the README's early loss) is the {@link
 * OnLoss} given at construction: {@link OnLoss#UNCHECKED} is the view {@link Acquirable#asJavaLock()} returns;
 * {@link OnLoss#FAIL} is the one Spring's lock registries expect.
 *
 * <p>Make one per {@code Acquirable} and share it between threads ({@code asJavaLock()} returns the same view on
 * every call): two views over one {@code Acquirable} do not exclude each other's threads locally, and the second to
 * acquire fails with {@link IllegalStateException}.
 *
 * <p>Threadsafe.
 */
public final class ThreadOwnedLock implements Lock {
    /** What entries and the last {@code unlock()} do once the distributed lock under a hold was lost. */
    public enum OnLoss {
        /**
         * Nothing: entries and {@code unlock()} do not check the distributed lock; a reentrant entry succeeds and the
         * last {@code unlock()} releases it quietly. A loss while waiting for the first hold propagates as the
         * {@code Acquirable} throws it ({@link LockLostException}), from {@code tryLock} too.
         */
        UNCHECKED,
        /**
         * Every entry, a reentrant one included, checks that the distributed lock is still valid. If it was lost, the
         * entry fails ({@code tryLock} returns false, {@code lock} and {@code lockInterruptibly} throw {@link
         * LockLostException}) and ends every hold of the owning thread, so that the next entry acquires the lock
         * afresh; a later {@code unlock()} for one of those holds throws {@link IllegalMonitorStateException}. The
         * last {@code unlock()} of a lock that was lost meanwhile releases it and then throws {@link
         * LockLostException}: the work done under it may have overlapped another holder's. A loss while waiting for
         * the first hold makes {@code tryLock} return false. The exceptions' reason is {@link
         * LossReason#SESSION_LOST} (a handle does not tell why it turned invalid), which suits a session-bound {@link
         * DistributedLock}.
         */
        FAIL
    }

    private final Acquirable<?> lock;
    private final OnLoss onLoss;
    private final ReentrantLock local = new ReentrantLock(true);
    // Written and read only by the thread that holds `local`.
    private LockHandle handle;
    private volatile long lastUsedNanos = System.nanoTime();

    /**
     * Creates a view over {@code lock}; nothing is written to the server until it is locked.
     *
     * @param lock the distributed lock
     * @param onLoss what entries and unlock() do once the distributed lock was lost
     * @throws NullPointerException if an argument is null
     */
    public ThreadOwnedLock(Acquirable<?> lock, OnLoss onLoss) {
        this.lock = Objects.requireNonNull(lock, "lock must not be null");
        this.onLoss = Objects.requireNonNull(onLoss, "onLoss must not be null");
    }

    /**
     * Returns the name of the distributed lock.
     *
     * @return the name
     */
    public String name() {
        return lock.name();
    }

    /**
     * Returns the fencing token of the current thread's hold: pass it to the resource you write, which rejects tokens
     * older than the newest it has seen.
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
     * Tells whether the current thread holds this lock and the distributed lock under it is still valid.
     *
     * @return whether held and valid
     */
    public boolean isHeldByCurrentThread() {
        return local.isHeldByCurrentThread() && handle != null && handle.isValid();
    }

    /**
     * Returns the current thread's hold count, as {@link ReentrantLock#getHoldCount()}.
     *
     * @return the holds of the current thread, 0 if it does not hold this lock
     */
    public int holdCount() {
        return local.getHoldCount();
    }

    /**
     * Tells whether no thread holds this lock or waits for it here, and none entered or unlocked it since {@code
     * nanoTime}, for a registry that forgets unused locks.
     *
     * @param nanoTime a {@link System#nanoTime()} reading
     * @return whether unused since then
     */
    public boolean isUnusedSince(long nanoTime) {
        return !local.isLocked() && !local.hasQueuedThreads() && lastUsedNanos - nanoTime < 0;
    }

    /**
     * Waits as long as it takes; not interruptible (an interrupt is kept and restored on return).
     *
     * @throws LockLostException with {@link OnLoss#FAIL}, if this thread's hold was lost (a reentrant entry); with
     *     either, if the session was lost while waiting
     * @throws IllegalStateException if the coordinator is closed
     * @throws BackendUnavailableException if the server could not be reached
     */
    @Override
    public void lock() {
        local.lock();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    enter(() -> Optional.of(lock.acquire()), true);
                    return;
                } catch (InterruptedException e) {
                    // Lock.lock() is not interruptible: remember the interrupt, keep waiting, restore it after.
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
     * @throws IllegalStateException if the coordinator is closed
     * @throws BackendUnavailableException if the server could not be reached
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        local.lockInterruptibly();
        enter(() -> Optional.of(lock.acquire()), false);
    }

    /**
     * Takes the lock only if no other thread of this JVM holds it and nobody holds or waits for it on the server.
     *
     * @return whether this thread now holds it; with {@link OnLoss#FAIL}, false also when this thread's hold was
     *     found lost
     * @throws LockLostException with {@link OnLoss#UNCHECKED}, if the session was lost
     * @throws IllegalStateException if the coordinator is closed
     * @throws BackendUnavailableException if the server could not be reached
     */
    @Override
    public boolean tryLock() {
        if (!local.tryLock()) {
            return false;
        }
        try {
            return enterOrFalse(lock::tryAcquire);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits at most {@code time} for the lock, here and on the server together.
     *
     * @return whether this thread now holds it; with {@link OnLoss#FAIL}, false also when this thread's hold was
     *     found lost
     * @throws InterruptedException if interrupted; this entry is abandoned
     * @throws NullPointerException if {@code unit} is null
     * @throws LockLostException with {@link OnLoss#UNCHECKED}, if the session was lost while waiting
     * @throws IllegalStateException if the coordinator is closed
     * @throws BackendUnavailableException if the server could not be reached
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit must not be null");
        long deadline = System.nanoTime() + unit.toNanos(time);
        if (!local.tryLock(time, unit)) {
            return false;
        }
        return enterOrFalse(() -> lock.tryAcquire(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    }

    /**
     * Ends one hold; the last one releases the distributed lock.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock (with {@link OnLoss#FAIL},
     *     also when its hold ended as the lock was found lost)
     * @throws LockLostException with {@link OnLoss#FAIL}, if this was the last hold and the distributed lock had been
     *     lost meanwhile; the lock is released all the same
     */
    @Override
    public void unlock() {
        if (!local.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException(
                    onLoss == OnLoss.FAIL
                            ? "the current thread does not hold lock '" + name()
                                    + "' (or its hold ended when the lock was found lost)"
                            : "the current thread does not hold the lock view of '" + name() + "'");
        }
        lastUsedNanos = System.nanoTime();
        if (local.getHoldCount() > 1) {
            local.unlock();
            return;
        }
        LockHandle held = handle;
        handle = null;
        boolean valid = onLoss == OnLoss.UNCHECKED || held.isValid();
        try {
            // Released before the local lock: the next thread of this JVM asks the same Acquirable, which refuses
            // while a handle of its own is still open.
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

    /**
     * The part of an entry after the local lock was taken: a first hold acquires the distributed lock by {@code how};
     * a reentrant one checks, with {@link OnLoss#FAIL}, that it is still valid. A failed first entry gives its local
     * hold up, except that an interrupted one keeps it when {@code keepPlace} (lock(), which retries); a reentrant entry
     * that finds the lock lost gives up every hold of the thread.
     */
    private boolean enter(Acquire how, boolean keepPlace) throws InterruptedException {
        lastUsedNanos = System.nanoTime();
        if (local.getHoldCount() > 1) {
            if (onLoss == OnLoss.UNCHECKED || handle.isValid()) {
                return true;
            }
            // The distributed lock is gone: every hold of this thread ends with it, so that the next entry starts
            // afresh.
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
            Optional<? extends LockHandle> acquired = how.acquire();
            if (acquired.isPresent()) {
                handle = acquired.get();
                return true;
            }
            local.unlock();
            return false;
        } catch (InterruptedException e) {
            if (!keepPlace) {
                local.unlock();
            }
            throw e;
        } catch (RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /** {@link #enter}, for tryLock: with {@link OnLoss#FAIL} a loss found or met while waiting is a false. */
    private boolean enterOrFalse(Acquire how) throws InterruptedException {
        try {
            return enter(how, false);
        } catch (LockLostException e) {
            if (onLoss == OnLoss.UNCHECKED) {
                throw e;
            }
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
        return "ThreadOwnedLock{" + name() + ", " + onLoss + ", holdCount(current thread)=" + local.getHoldCount()
                + "}";
    }

    /** How a first hold acquires the distributed lock. */
    @FunctionalInterface
    private interface Acquire {
        Optional<? extends LockHandle> acquire() throws InterruptedException;
    }
}
