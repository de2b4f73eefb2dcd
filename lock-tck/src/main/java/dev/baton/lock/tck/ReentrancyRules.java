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
package dev.baton.lock.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.DistributedLock;
import dev.baton.lock.LockHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/**
 * The reentrancy rules: a {@link dev.baton.lock.DistributedLock} that holds refuses a second acquisition
 * instead of deadlocking, and its {@link java.util.concurrent.locks.Lock} view is reentrant for its owning thread only.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface ReentrancyRules extends TckRules {
    /**
     * Reentrancy: acquire while holding throws illegal state instead of deadlock.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void reentrancy_acquire_while_holding_throws_illegal_state_instead_of_deadlock() throws Exception {
        TckHarness tck = tck();
        DistributedLock lock = tck.newClient("a").coordinator().lock(tck.name("reentrant"));
        LockHandle handle = lock.acquire(tck.awaitTimeout());
        List<Callable<?>> again = List.of(
                lock::acquire,
                () -> lock.acquire(Duration.ofSeconds(1)),
                lock::tryAcquire,
                () -> lock.tryAcquire(Duration.ofSeconds(1)),
                lock::acquireAsync);
        for (Callable<?> call : again) {
            TckWorker<Object> attempt = tck.startWorker("reacquire", () -> call.call());
            tck.await("a second acquisition on the same instance to return instead of deadlocking")
                    .until(attempt.result()::isDone);
            assertThat(attempt.failure())
                    .as("acquiring an instance that holds a valid handle")
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(handle.isValid()).isTrue();
        tck.assertKeyCount(1, "after the refused re-acquisitions");
        handle.close();
        lock.acquire(tck.awaitTimeout()).close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Reentrancy: java lock view is reentrant for the owning thread.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void reentrancy_java_lock_view_is_reentrant_for_the_owning_thread() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("java-lock");
        DistributedLock lock = tck.newClient("a").coordinator().lock(name);
        DistributedLock other = tck.newClient("b").coordinator().lock(name);
        Lock view = lock.asJavaLock();
        assertThat(lock.asJavaLock()).as("asJavaLock() returns the same view").isSameAs(view);
        view.lock();
        view.lock();
        assertThat(view.tryLock()).as("tryLock by the owner").isTrue();
        view.unlock();
        view.unlock();
        assertThat(other.tryAcquire())
                .as("another coordinator while the hold count is still 1")
                .isEmpty();
        view.unlock();
        LockHandle next =
                tck.acquireEventually(other, tck.env().sessionTtl(), "the lock after the hold count reached 0");
        next.close();
        assertThatThrownBy(view::unlock)
                .as("unlock with a hold count of 0")
                .isInstanceOf(IllegalMonitorStateException.class);
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Reentrancy: java lock view rejects unlock by another thread and blocks others.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void reentrancy_java_lock_view_rejects_unlock_by_another_thread_and_blocks_others() throws Exception {
        TckHarness tck = tck();
        DistributedLock lock = tck.newClient("a").coordinator().lock(tck.name("java-lock-threads"));
        Lock view = lock.asJavaLock();
        view.lock();
        TckWorker<Boolean> tryLock = tck.startWorker("try-lock", view::tryLock);
        assertThat(tryLock.get(tck.awaitTimeout()))
                .as("tryLock by another thread while held")
                .isFalse();
        TckWorker<Object> unlock = tck.startWorker("foreign-unlock", () -> {
            view.unlock();
            return null;
        });
        tck.await("unlock by another thread to return").until(unlock.result()::isDone);
        assertThat(unlock.failure()).isInstanceOf(IllegalMonitorStateException.class);

        AtomicReference<String> acquiredBy = new AtomicReference<>();
        CountDownLatch letGo = new CountDownLatch(1);
        TckWorker<Object> blocked = tck.startWorker("blocked-locker", () -> {
            view.lock();
            try {
                acquiredBy.set(Thread.currentThread().getName());
                letGo.await();
            } finally {
                view.unlock();
            }
            return null;
        });
        tck.await("the other thread to block in lock()").until(() -> {
            Thread.State state = blocked.thread().getState();
            return state == Thread.State.WAITING
                    || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.BLOCKED;
        });
        assertThat(acquiredBy.get())
                .as("the other thread acquired while the owner held the lock")
                .isNull();
        view.unlock();
        tck.await("the other thread to acquire after the owner unlocked").until(() -> acquiredBy.get() != null);
        assertThatThrownBy(view::unlock)
                .as("unlock by the former owner while another thread holds the view")
                .isInstanceOf(IllegalMonitorStateException.class);
        tck.assertKeyCount(1, "while the other thread holds the view");
        letGo.countDown();
        blocked.get(tck.awaitTimeout());
        tck.assertNoKeysLeft("after the other thread unlocked");
    }
}
