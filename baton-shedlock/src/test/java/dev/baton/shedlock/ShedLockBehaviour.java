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
package dev.baton.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.lock.Coordinator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ShedLock's documented behaviour of a {@code LockProvider}, checked on {@link BatonLockProvider} over one backend:
 * acquire, refuse while held (from this process and another), release, {@code lockAtLeastFor}, {@code lockAtMostFor}
 * expiry and extend. Each subclass brings a backend, started by the fixtures of that backend's own tests; every
 * "process" is a coordinator of its own.
 */
abstract class ShedLockBehaviour {
    private final List<Coordinator> coordinators = new ArrayList<>();
    private final Duration ttl;
    private final Duration slack;
    private int names;

    /**
     * @param ttl the {@code lockAtMostFor} of the timed tests: at least the backend's minimum TTL
     * @param slack how late after its server expiry the backend may free a lock (Consul: up to another TTL)
     */
    ShedLockBehaviour(Duration ttl, Duration slack) {
        this.ttl = ttl;
        this.slack = slack;
    }

    /** A new coordinator on the backend under test: one more process. */
    abstract Coordinator newCoordinator();

    @AfterEach
    final void closeCoordinators() {
        for (Coordinator c : coordinators) {
            c.close();
        }
    }

    private BatonLockProvider newProvider() {
        Coordinator coordinator = newCoordinator();
        coordinators.add(coordinator);
        return new BatonLockProvider(coordinator);
    }

    private LockConfiguration config(String what, Duration atMost, Duration atLeast) {
        return new LockConfiguration(Instant.now(), "shedlock-" + what + "-" + ++names, atMost, atLeast);
    }

    @Test
    void acquires_refuses_while_held_and_releases() {
        BatonLockProvider first = newProvider();
        BatonLockProvider second = newProvider();
        LockConfiguration job = config("job", Duration.ofMinutes(5), Duration.ZERO);

        Optional<SimpleLock> held = first.lock(job);
        assertThat(held).as("the first lock of a free name").containsInstanceOf(BatonSimpleLock.class);
        BatonSimpleLock lock = (BatonSimpleLock) held.get();
        assertThat(second.lock(job))
                .as("another process while the lock is held")
                .isEmpty();
        assertThat(first.lock(job))
                .as("the same provider while the lock is held")
                .isEmpty();
        assertThat(first.heldLock(job.getName())).as("the held lock, by name").containsSame(lock);
        assertThat(lock.fencingToken()).isPositive();
        assertThat(lock.isValid()).isTrue();

        lock.unlock();

        assertThat(first.heldLock(job.getName()))
                .as("the held lock after unlock")
                .isEmpty();
        assertThatThrownBy(lock::unlock).as("a second unlock").isInstanceOf(IllegalStateException.class);
        Optional<SimpleLock> next = second.lock(job);
        assertThat(next).as("another process right after the unlock").isPresent();
        assertThat(((BatonSimpleLock) next.get()).fencingToken())
                .as("the next holder's fencing token")
                .isGreaterThan(lock.fencingToken());
        next.get().unlock();
    }

    /**
     * Three jobs at once, so that the backend's TTL is waited for once: one never unlocked (free {@code lockAtMostFor}
     * after it was taken, its holder told first), one unlocked at once with a {@code lockAtLeastFor} by a process that
     * then exits (free after {@code lockAtLeastFor}, long before its {@code lockAtMostFor}), and one extended at once
     * (still held when the first is free; free at once when unlocked).
     */
    @Test
    void lock_at_most_for_lock_at_least_for_and_extend() {
        BatonLockProvider holder = newProvider();
        BatonLockProvider exiting = newProvider();
        BatonLockProvider other = newProvider();
        LockConfiguration atMost = config("at-most", ttl, Duration.ZERO);
        LockConfiguration atLeast = config("at-least", ttl.multipliedBy(3), ttl);
        LockConfiguration extended = config("extended", ttl, Duration.ZERO);

        long start = System.nanoTime();
        BatonSimpleLock hung = (BatonSimpleLock) holder.lock(atMost).orElseThrow();
        AtomicLong hungLostAt = new AtomicLong();
        hung.handle().onLost((h, why) -> hungLostAt.compareAndSet(0, System.nanoTime()));
        SimpleLock early = exiting.lock(atLeast).orElseThrow();
        SimpleLock beforeExtension = holder.lock(extended).orElseThrow();
        Optional<SimpleLock> extension = beforeExtension.extend(ttl.multipliedBy(5), Duration.ZERO);
        assertThat(extension).as("the extension of a held lock").isPresent();
        assertThatThrownBy(beforeExtension::unlock)
                .as("unlock of the lock an extension replaced")
                .isInstanceOf(IllegalStateException.class);
        long unlocking = System.nanoTime();
        early.unlock();
        assertThat(System.nanoTime() - unlocking)
                .as("ns the unlock took, against the lockAtLeastFor it keeps on the server")
                .isLessThan(ttl.toNanos());
        coordinators.get(1).close(); // the process that held it exits

        AtomicLong atMostFreeAt = new AtomicLong();
        AtomicLong atLeastFreeAt = new AtomicLong();
        List<SimpleLock> taken = new ArrayList<>();
        await().atMost(ttl.plus(slack).plusSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    takeWhenFree(other, atMost, atMostFreeAt, start, taken);
                    takeWhenFree(other, atLeast, atLeastFreeAt, start, taken);
                    return atMostFreeAt.get() != 0 && atLeastFreeAt.get() != 0;
                });
        assertThat(other.lock(extended))
                .as("the extended lock once the unextended one is free")
                .isEmpty();

        assertThat(atMostFreeAt.get())
                .as("ns until a lock never unlocked was free, against lockAtMostFor")
                .isGreaterThanOrEqualTo(ttl.toNanos())
                .isLessThanOrEqualTo(ttl.plus(slack).toNanos());
        assertThat(hungLostAt.get()).as("the hung holder was told").isNotZero();
        assertThat(hungLostAt.get() - start)
                .as("ns until the hung holder was told, against the next holder's acquisition")
                .isLessThan(atMostFreeAt.get());
        assertThat(atLeastFreeAt.get())
                .as("ns until a lock unlocked at once was free, against lockAtLeastFor and lockAtMostFor")
                .isGreaterThanOrEqualTo(ttl.toNanos())
                .isLessThan(ttl.multipliedBy(3).toNanos());

        extension.get().unlock();
        Optional<SimpleLock> afterExtension = other.lock(extended);
        assertThat(afterExtension)
                .as("the extended lock right after its unlock")
                .isPresent();
        afterExtension.get().unlock();
        taken.forEach(SimpleLock::unlock);
    }

    private static void takeWhenFree(
            BatonLockProvider provider,
            LockConfiguration config,
            AtomicLong freeAt,
            long start,
            List<SimpleLock> taken) {
        if (freeAt.get() == 0) {
            provider.lock(config).ifPresent(lock -> {
                freeAt.set(System.nanoTime() - start);
                taken.add(lock);
            });
        }
    }
}
