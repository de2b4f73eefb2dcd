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
package dev.baton.lock.internal;

import dev.baton.lock.Acquirable;
import dev.baton.lock.LockHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Acquirable#asJavaLock()}: {@link ReentrantLock} semantics on top of a distributed lock. A local
 * {@code ReentrantLock} decides ownership and the hold count among this JVM's threads; the distributed lock is
 * acquired on the first hold and released when the count returns to zero.
 */
final class JavaLockView implements Lock {
    private final Acquirable<?> lock;
    private final ReentrantLock local = new ReentrantLock(true);
    private LockHandle handle;

    JavaLockView(Acquirable<?> lock) {
        this.lock = lock;
    }

    @Override
    public void lock() {
        local.lock();
        if (local.getHoldCount() > 1) {
            return;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    handle = lock.acquire();
                    return;
                } catch (InterruptedException e) {
                    // Lock.lock() is not interruptible: remember the interrupt, keep waiting, restore it after.
                    interrupted = true;
                }
            }
        } catch (RuntimeException e) {
            local.unlock();
            throw e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        local.lockInterruptibly();
        if (local.getHoldCount() > 1) {
            return;
        }
        try {
            handle = lock.acquire();
        } catch (InterruptedException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public boolean tryLock() {
        if (!local.tryLock()) {
            return false;
        }
        if (local.getHoldCount() > 1) {
            return true;
        }
        try {
            Optional<? extends LockHandle> h = lock.tryAcquire();
            if (h.isPresent()) {
                handle = h.get();
                return true;
            }
            local.unlock();
            return false;
        } catch (InterruptedException e) {
            local.unlock();
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit must not be null");
        long deadline = System.nanoTime() + unit.toNanos(time);
        if (!local.tryLock(time, unit)) {
            return false;
        }
        if (local.getHoldCount() > 1) {
            return true;
        }
        try {
            Optional<? extends LockHandle> h =
                    lock.tryAcquire(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (h.isPresent()) {
                handle = h.get();
                return true;
            }
            local.unlock();
            return false;
        } catch (InterruptedException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public void unlock() {
        if (!local.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException(
                    "the current thread does not hold the lock view of '" + lock.name() + "'");
        }
        try {
            if (local.getHoldCount() == 1) {
                LockHandle h = handle;
                handle = null;
                h.close();
            }
        } finally {
            local.unlock();
        }
    }

    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("conditions are not supported on a distributed lock");
    }

    @Override
    public String toString() {
        return "JavaLockView{" + lock.name() + ", holdCount(current thread)=" + local.getHoldCount() + "}";
    }
}
