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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.inmemory.InMemoryBackend;
import dev.baton.lock.Coordinator;
import dev.baton.lock.LockLostException;
import dev.baton.lock.SessionState;
import dev.baton.lock.tck.TckTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BatonLockRegistry} on the in-memory backend: the {@link Lock} contract that {@code LockRegistry} users rely
 * on, mutual exclusion between two registries over two coordinators, and what happens when the Baton lock is lost.
 */
@Timeout(60)
class BatonLockRegistryTest {
    private final String cluster = "registry-" + UUID.randomUUID();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private InMemoryBackend backend() {
        InMemoryBackend backend = InMemoryBackend.builder().name(cluster).build();
        closing.add(backend);
        return backend;
    }

    private Coordinator coordinator(InMemoryBackend backend, Duration sessionTtl) {
        Coordinator coordinator =
                Coordinator.builder(backend).sessionTtl(sessionTtl).build();
        closing.add(coordinator);
        return coordinator;
    }

    private BatonLockRegistry registry() {
        return new BatonLockRegistry(coordinator(backend(), Duration.ofSeconds(10)));
    }

    @Test
    void obtain_returns_one_lock_per_key() {
        BatonLockRegistry registry = registry();
        assertThat(registry.obtain("orders/1")).isSameAs(registry.obtain("orders/1"));
        assertThat(registry.obtain("orders/1")).isNotSameAs(registry.obtain("orders/2"));
        assertThat(registry.obtain("orders/1").name()).isEqualTo("orders/1");
    }

    @Test
    void lock_is_reentrant_and_released_by_the_last_unlock() throws Exception {
        BatonLockRegistry registry = registry();
        BatonLockRegistry other = registry();
        BatonLock lock = registry.obtain("reentrant");
        lock.lock();
        assertThat(lock.tryLock()).as("reentrant tryLock").isTrue();
        assertThat(lock.tryLock(1, TimeUnit.SECONDS))
                .as("reentrant timed tryLock")
                .isTrue();
        long token = lock.fencingToken();
        lock.unlock();
        lock.unlock();
        assertThat(lock.fencingToken()).as("the same hold, the same token").isEqualTo(token);
        assertThat(other.obtain("reentrant").tryLock())
                .as("still held after 2 of 3 unlocks")
                .isFalse();
        lock.unlock();
        Lock taken = other.obtain("reentrant");
        assertThat(taken.tryLock()).as("free after the last unlock").isTrue();
        assertThat(((BatonLock) taken).fencingToken()).isGreaterThan(token);
        taken.unlock();
    }

    @Test
    void unlock_by_a_thread_that_does_not_own_it_throws() throws Exception {
        BatonLock lock = registry().obtain("owned");
        lock.lock();
        try {
            CompletableFuture<Void> other = CompletableFuture.runAsync(lock::unlock);
            assertThatThrownBy(other::join).hasCauseInstanceOf(IllegalMonitorStateException.class);
            CompletableFuture<Boolean> tryOther = CompletableFuture.supplyAsync(lock::tryLock);
            assertThat(tryOther.join()).as("another thread of this JVM").isFalse();
            assertThatThrownBy(
                            () -> CompletableFuture.runAsync(lock::fencingToken).join())
                    .hasCauseInstanceOf(IllegalMonitorStateException.class);
        } finally {
            lock.unlock();
        }
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    void tryLock_with_a_timeout_waits_for_the_holder_or_gives_up() throws Exception {
        BatonLock held = registry().obtain("timed");
        BatonLock waiting = registry().obtain("timed");
        held.lock();
        long start = System.nanoTime();
        assertThat(waiting.tryLock(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        CountDownLatch waitingStarted = new CountDownLatch(1);
        CompletableFuture<Boolean> acquired = CompletableFuture.supplyAsync(() -> {
            waitingStarted.countDown();
            try {
                boolean got = waiting.tryLock(30, TimeUnit.SECONDS);
                if (got) {
                    waiting.unlock();
                }
                return got;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        waitingStarted.await();
        held.unlock();
        assertThat(acquired.get(30, TimeUnit.SECONDS))
                .as("acquired once the holder unlocked")
                .isTrue();
    }

    @Test
    void lock_is_not_interruptible_and_keeps_the_interrupt() throws Exception {
        BatonLock held = registry().obtain("uninterruptible");
        BatonLock waiting = registry().obtain("uninterruptible");
        held.lock();
        CompletableFuture<Boolean> interruptedWhenHeld = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            waiting.lock();
            try {
                interruptedWhenHeld.complete(Thread.currentThread().isInterrupted() && waiting.isHeldByCurrentThread());
            } finally {
                waiting.unlock();
            }
        });
        waiter.start();
        await().atMost(TckTimeouts.scaled(Duration.ofSeconds(10)))
                .until(() -> waiter.getState() != Thread.State.RUNNABLE);
        waiter.interrupt();
        assertThat(interruptedWhenHeld).as("still waiting after the interrupt").isNotDone();
        held.unlock();
        assertThat(interruptedWhenHeld.get(30, TimeUnit.SECONDS))
                .as("acquired after the holder unlocked, with the interrupt restored")
                .isTrue();
        waiter.join(TckTimeouts.scaled(Duration.ofSeconds(10)).toMillis());
    }

    @Test
    void two_registries_over_two_coordinators_exclude_each_other() throws Exception {
        List<BatonLockRegistry> registries = List.of(registry(), registry());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            BatonLockRegistry registry = registries.get(w % 2);
            workers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 25; i++) {
                    Lock lock = registry.obtain("shared");
                    lock.lock();
                    try {
                        if (inside.incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        entries.incrementAndGet();
                        Thread.yield();
                        inside.decrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        CompletableFuture.allOf(workers.toArray(new CompletableFuture<?>[0])).get(50, TimeUnit.SECONDS);
        assertThat(entries).hasValue(100);
        assertThat(overlaps).as("holders inside at once").hasValue(0);
    }

    @Test
    void a_lost_lock_fails_the_next_entry_and_its_unlock() throws Exception {
        InMemoryBackend backend = backend();
        Coordinator coordinator = coordinator(backend, Duration.ofSeconds(1));
        BatonLock lock = new BatonLockRegistry(coordinator).obtain("lost");
        lock.lock();
        assertThat(lock.tryLock()).isTrue();
        backend.disconnect();
        await().atMost(TckTimeouts.scaled(Duration.ofSeconds(10)))
                .until(() -> coordinator.sessionState() == SessionState.LOST);
        assertThat(lock.isHeldByCurrentThread()).isFalse();
        assertThat(lock.tryLock()).as("a reentrant entry checks the Baton lock").isFalse();
        assertThatThrownBy(lock::unlock)
                .as("every hold of the thread ended with the lost lock")
                .isInstanceOf(IllegalMonitorStateException.class);
        backend.reconnect();
        await().atMost(TckTimeouts.scaled(Duration.ofSeconds(10)))
                .until(() -> coordinator.sessionState() == SessionState.CONNECTED);
        assertThat(lock.tryLock(10, TimeUnit.SECONDS)).as("acquired afresh").isTrue();
        backend.disconnect();
        await().atMost(TckTimeouts.scaled(Duration.ofSeconds(10)))
                .pollInSameThread()
                .until(() -> !lock.isHeldByCurrentThread());
        assertThatThrownBy(lock::unlock)
                .as("the last unlock of a lock lost meanwhile")
                .isInstanceOf(LockLostException.class)
                .hasMessageContaining("'lost'");
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        backend.reconnect();
    }

    @Test
    void expireUnusedOlderThan_forgets_only_unused_locks() {
        BatonLockRegistry registry = registry();
        BatonLock held = registry.obtain("held");
        BatonLock idle = registry.obtain("idle");
        held.lock();
        try {
            registry.expireUnusedOlderThan(-1_000);
            assertThat(registry.obtain("held")).as("held: kept").isSameAs(held);
            assertThat(registry.obtain("idle")).as("unused: dropped").isNotSameAs(idle);
            BatonLock recent = registry.obtain("idle");
            registry.expireUnusedOlderThan(60_000);
            assertThat(registry.obtain("idle")).as("younger than the age: kept").isSameAs(recent);
        } finally {
            held.unlock();
        }
    }

    @Test
    void newCondition_is_not_supported() {
        assertThatThrownBy(() -> registry().obtain("c").newCondition())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
