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

import dev.baton.lock.Coordinator;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.integration.support.locks.ExpirableLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * A Spring Integration {@link LockRegistry} whose locks are Baton session-bound locks of one {@link Coordinator}:
 * code written against {@code LockRegistry} (and {@link
 * org.springframework.integration.support.leader.LockRegistryLeaderInitiator} on top of it) switches to Baton by this
 * one bean. {@link #obtain(Object)} returns one {@link BatonLock} per key (the key's {@code toString()} is the lock's
 * name, under the coordinator's namespace), shared by this JVM's threads; see {@link BatonLock} for the {@code Lock}
 * contract and where it differs from a local lock.
 *
 * <p>Spring Integration's {@code DistributedLock} (a TTL given per {@code lock} call) is not offered: a Baton lock is
 * session-bound, held until unlocked or until the process can no longer renew its session. Use a TTL lock of the
 * coordinator ({@code coordinator.lock(name, LockOptions.ttl(...))}) for a lock that must expire by itself.
 *
 * <p>Threadsafe.
 */
public final class BatonLockRegistry implements ExpirableLockRegistry<BatonLock> {
    private final Coordinator coordinator;
    private final ConcurrentMap<String, BatonLock> locks = new ConcurrentHashMap<>();

    /**
     * Creates a registry over {@code coordinator}, which stays the caller's to close.
     *
     * @param coordinator the coordinator
     * @throws NullPointerException if {@code coordinator} is null
     */
    public BatonLockRegistry(Coordinator coordinator) {
        this.coordinator = Objects.requireNonNull(coordinator, "coordinator must not be null");
    }

    /**
     * Returns the lock of {@code lockKey}: the same instance for equal keys until {@link #expireUnusedOlderThan(long)}
     * drops it. Nothing is written to the server until it is locked.
     *
     * @param lockKey the key; its {@code toString()} is the lock's name
     * @return the lock
     * @throws NullPointerException if {@code lockKey} is null
     * @throws IllegalArgumentException if the name breaks Baton's naming rules (the message gives the rule)
     * @throws IllegalStateException if the coordinator is closed
     */
    @Override
    public BatonLock obtain(Object lockKey) {
        String name =
                Objects.requireNonNull(lockKey, "lockKey must not be null").toString();
        return locks.computeIfAbsent(name, n -> new BatonLock(coordinator.lock(n)));
    }

    /**
     * Forgets the locks that no thread holds or waits for and that were last used more than {@code age}
     * milliseconds ago, so that a registry used with many keys does not grow without bound. A forgotten lock still
     * works for a thread that kept it, but no longer excludes the threads of this JVM that obtain the key afresh
     * (the server still does).
     *
     * @param age milliseconds
     */
    @Override
    public void expireUnusedOlderThan(long age) {
        long cutoff = System.nanoTime() - Duration.ofMillis(age).toNanos();
        locks.values().removeIf(lock -> lock.isUnusedSince(cutoff));
    }

    @Override
    public String toString() {
        return "BatonLockRegistry{" + coordinator.id() + ", " + locks.size() + " locks}";
    }
}
