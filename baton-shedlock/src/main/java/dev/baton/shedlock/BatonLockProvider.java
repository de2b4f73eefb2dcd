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

import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.TtlLockHandle;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A ShedLock {@link net.javacrumbs.shedlock.core.LockProvider} over Baton TTL locks: {@code @SchedulerLock} jobs
 * switch to Baton by one bean, and gain fencing tokens and early loss.
 *
 * <pre>{@code
 * @Bean
 * LockProvider lockProvider(Coordinator coordinator) {
 *     return new BatonLockProvider(coordinator);
 * }
 * }</pre>
 *
 * <p>Each {@link #lock(LockConfiguration)} takes a TTL lock named after the job, {@code coordinator.lock(name,
 * LockOptions.ttl(lockAtMostFor).holdAtLeast(lockAtLeastFor))}, with {@code tryAcquire()}: it never waits for another
 * holder. ShedLock's {@code lockAtMostFor} is the lock's TTL, measured on the server: the lock is free again that long
 * after it was taken, even if the job hangs or its process dies. {@code lockAtLeastFor} is its minimum hold: an
 * earlier {@link SimpleLock#unlock()} returns at once, but the lock stays taken on the server until then and frees
 * itself afterwards, even if the process has exited. The holder is told a safety margin before the lock expires
 * ({@link BatonSimpleLock#isValid()}, {@link BatonSimpleLock#handle()}{@code .onLost(...)}).
 *
 * <p>The held lock's fencing token, which a job passes to the resource it writes so that a holder paused past its
 * expiry cannot overwrite a newer one's work, is reachable two ways: the {@link SimpleLock} this provider returns is a
 * {@link BatonSimpleLock} ({@link BatonSimpleLock#fencingToken()}); and a job run by ShedLock's executor or
 * {@code @SchedulerLock}, which never sees that object, asks {@link #heldLock(String)} with its lock name.
 *
 * <p>{@link SimpleLock#extend(java.time.Duration, java.time.Duration)} works (ShedLock's {@code LockExtender} too): it
 * calls {@link TtlLockHandle#extend(java.time.Duration, java.time.Duration)}, so the lock then expires {@code
 * lockAtMostFor} from now on the server, with the new {@code lockAtLeastFor} from now.
 *
 * <p>The lock name is ShedLock's, as Baton names go (any string of 1 to 256 UTF-8 bytes without control characters).
 * A {@code lockAtMostFor} outside the backend's TTL limits (etcd: at least 2 s by default; Consul: 10 s to 24 h) is
 * refused with an {@link IllegalArgumentException} that names the limit.
 *
 * <p>Threadsafe; one provider serves every job of the application. The coordinator is the caller's: the provider
 * never closes it.
 */
public final class BatonLockProvider implements ExtensibleLockProvider {
    private final Coordinator coordinator;
    private final Map<String, BatonSimpleLock> held = new ConcurrentHashMap<>();

    /**
     * Creates a provider whose locks are TTL locks of {@code coordinator}.
     *
     * @param coordinator the coordinator, which the caller keeps open while the provider is used and closes
     * @throws NullPointerException if {@code coordinator} is null
     */
    public BatonLockProvider(Coordinator coordinator) {
        this.coordinator = Objects.requireNonNull(coordinator, "coordinator must not be null");
    }

    /**
     * Takes the lock {@code configuration} names, if no one holds it, without waiting.
     *
     * @param configuration the job's lock name, {@code lockAtMostFor} and {@code lockAtLeastFor}
     * @return the held lock, a {@link BatonSimpleLock}; empty if another holder (in this process or another) has it,
     *     or if the calling thread was interrupted (its interrupt flag is then set again)
     * @throws IllegalArgumentException if the name is not a valid Baton name, or {@code lockAtMostFor} is outside the
     *     backend's TTL limits
     * @throws NullPointerException if {@code configuration} is null
     * @throws IllegalStateException if the coordinator is closed
     * @throws dev.baton.lock.BackendUnavailableException if the server could not be reached
     */
    @Override
    public Optional<SimpleLock> lock(LockConfiguration configuration) {
        Objects.requireNonNull(configuration, "configuration must not be null");
        LockOptions options =
                LockOptions.ttl(configuration.getLockAtMostFor()).holdAtLeast(configuration.getLockAtLeastFor());
        Optional<LockHandle> taken;
        try {
            taken = coordinator.lock(configuration.getName(), options).tryAcquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return taken.map(handle -> track(new BatonSimpleLock(configuration, TtlLockHandle.of(handle), this)));
    }

    /**
     * Returns the lock this provider holds for {@code name}, for a job that needs its fencing token but is run by
     * ShedLock (which keeps the {@link SimpleLock} to itself). Judged locally: a lock that is no longer valid (released,
     * expired or lost) is not returned.
     *
     * @param name the lock name, as in {@code @SchedulerLock(name = ...)}
     * @return the held lock, or empty
     * @throws NullPointerException if {@code name} is null
     */
    public Optional<BatonSimpleLock> heldLock(String name) {
        Objects.requireNonNull(name, "name must not be null");
        return Optional.ofNullable(held.get(name)).filter(BatonSimpleLock::isValid);
    }

    BatonSimpleLock track(BatonSimpleLock lock) {
        held.put(lock.name(), lock);
        return lock;
    }

    void untrack(BatonSimpleLock lock) {
        held.remove(lock.name(), lock);
    }

    @Override
    public String toString() {
        return "BatonLockProvider{" + coordinator + "}";
    }
}
