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

import dev.baton.lock.DistributedSemaphore;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LossReason;
import dev.baton.lock.SemaphoreHandle;
import dev.baton.lock.spi.Entry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The counting semaphore: one FIFO queue of session-bound entries under the semaphore's prefix ({@link QueueAttempt}
 * with the {@link QueuePolicy#COUNTING} policy), each entry's value carrying its owner, the permits it asks for and
 * the limit it counts them against. An entry holds when its own permits and those of every entry ahead of it add up
 * to at most the limit; so the holders are always a prefix of the queue, and a waiter never overtakes an earlier one.
 * Entries are bound to the session, exactly like a mutex's: a holder that dies frees its permits when its session's
 * lease expires, and a holder that is cut off learns of its loss by its local deadline, before the server expires the
 * lease and the permits can be taken.
 *
 * <p><b>Waking without a herd.</b> Only two kinds of event can let a waiter hold: the deletion of an entry ahead of
 * it, and, for the waiter right behind a waiter, that waiter's coming to hold (it may then be the first waiter, or
 * hold too). So:
 *
 * <ul>
 *   <li>The <em>first waiter</em> (the nearest entry ahead holds) watches the whole queue and keeps its copy of the
 *       listing current from the watch's events ({@link QueueAttempt}): entries created later sort after it and never
 *       count against it, deletions arrive in revision order without gaps, and a reset makes it list again. Each
 *       release of a holder ahead is one event to it, and when its copy says it holds it takes the permits without a
 *       request. Watching each holder ahead instead would cost one watch per holder, re-registered each time the first
 *       waiter changes; the prefix watch is one registration however many hold. What a prefix watch costs each
 *       backend (read from their code): on etcd, a range watch on the client's shared watch stream from the listing's
 *       revision, the events pushed; on ZooKeeper, a persistent recursive watch on the prefix's node, whose
 *       registration reads the prefix's nodes once to check nothing changed since the listing (and resets, so the
 *       waiter lists again, if something did), after which a delete costs nothing and a put one read; on Consul, the
 *       blocking query on the prefix that the client already runs for the key watches of that queue.
 *   <li>Every <em>other waiter</em> watches its immediate predecessor, as a mutex waiter does: it cannot hold before
 *       that predecessor does. Its deletion (a waiter that gave up) makes it look again; so does a change of its
 *       version, which is how that predecessor announces that it came to hold: a waiter that comes to hold with an
 *       entry behind it bumps its own entry's version (a compare-and-set of the same value). A waiter behind that
 *       listed after the hold could be decided sees the predecessor holding already and does not wait on it.
 * </ul>
 *
 * <p>So a release with K waiters costs the first waiter no request; if it comes to hold with a waiter behind, one
 * compare-and-set, after which the next waiter lists once (and becomes the first waiter, or holds and announces in its
 * turn); the other waiters hear nothing. Never K listings.
 *
 * <p><b>Tokens.</b> A hold's fencing token is its entry's creation sequence: unique, and greater than that of every
 * acquisition that returned before this one was asked for. Holders share the semaphore, so tokens order acquisitions
 * in queue order but do not exclude each other; two waiters let in by one release may learn of it in either order.
 *
 * <p><b>Limits.</b> Every entry carries its limit. An attempt that finds an entry of another limit ahead of it (holding or
 * waiting) is refused with {@link dev.baton.lock.SemaphoreLimitMismatchException} and removes its own entry before it could
 * hold, so processes that disagree fail loudly instead of together holding more than either allows. Asking for fewer
 * than 1 or more than the limit is refused before anything is written.
 *
 * <p>Threadsafe; one instance may hold several acquisitions at once.
 */
final class SemaphoreRecipe implements DistributedSemaphore {
    private final DefaultCoordinator coordinator;
    private final Services services;
    private final String name;
    private final int limit;
    private final String prefix;
    /** A key of this semaphore's queue that a release certainly deleted, for the next attempt to create again. */
    private final AtomicReference<String> freedKey = new AtomicReference<>();

    SemaphoreRecipe(DefaultCoordinator coordinator, Services services, String name, int limit) {
        this.coordinator = coordinator;
        this.services = services;
        this.name = name;
        this.limit = limit;
        this.prefix = LockNames.semaphorePrefix(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int permits() {
        return limit;
    }

    @Override
    public SemaphoreHandle acquire() throws InterruptedException {
        return acquire(1);
    }

    @Override
    public SemaphoreHandle acquire(int permits) throws InterruptedException {
        return acquireBlocking(requirePermits(permits), -1, false).orElseThrow();
    }

    @Override
    public SemaphoreHandle acquire(Duration timeout) throws InterruptedException {
        return acquire(1, timeout);
    }

    @Override
    public SemaphoreHandle acquire(int permits, Duration timeout) throws InterruptedException {
        requirePermits(permits);
        long nanos = Waits.timeoutNanos(timeout);
        return acquireBlocking(permits, nanos, nanos == 0)
                .orElseThrow(() -> new LockAcquisitionTimeoutException(name, timeout));
    }

    @Override
    public Optional<SemaphoreHandle> tryAcquire() throws InterruptedException {
        return tryAcquire(1);
    }

    @Override
    public Optional<SemaphoreHandle> tryAcquire(int permits) throws InterruptedException {
        return acquireBlocking(requirePermits(permits), 0, true);
    }

    @Override
    public Optional<SemaphoreHandle> tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout);
    }

    @Override
    public Optional<SemaphoreHandle> tryAcquire(int permits, Duration timeout) throws InterruptedException {
        requirePermits(permits);
        long nanos = Waits.timeoutNanos(timeout);
        return acquireBlocking(permits, nanos, nanos == 0);
    }

    @Override
    public CompletableFuture<SemaphoreHandle> acquireAsync() {
        return acquireAsync(1);
    }

    @Override
    public CompletableFuture<SemaphoreHandle> acquireAsync(int permits) {
        requirePermits(permits);
        coordinator.ensureOpen();
        return Waits.<SemaphoreHandle>async(
                services,
                () -> coordinator.sessionFor(name),
                session -> newAttempt(session, permits, false),
                this::won,
                attempt -> {});
    }

    private int requirePermits(int permits) {
        if (permits < 1 || permits > limit) {
            throw new IllegalArgumentException("semaphore '" + name + "' has " + limit + " permits; an acquisition"
                    + " takes 1 to " + limit + " of them, got " + permits);
        }
        return permits;
    }

    private Optional<SemaphoreHandle> acquireBlocking(int permits, long timeoutNanos, boolean tryOnly)
            throws InterruptedException {
        coordinator.ensureOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquiring permits of '" + name + "'");
        }
        SessionKeeper.Session session = coordinator.sessionFor(name);
        QueueAttempt attempt = newAttempt(session, permits, tryOnly);
        Optional<Entry> won = Waits.run(services, name, attempt, timeoutNanos, tryOnly);
        return won.map(entry -> won(session, attempt, entry));
    }

    private QueueAttempt newAttempt(SessionKeeper.Session session, int permits, boolean tryOnly) {
        byte[] value = new EntryValue(services.coordinatorId(), QueuePolicy.countingPayload(permits, limit)).encode();
        return new QueueAttempt(
                services, name, prefix, freedKey.getAndSet(null), value, tryOnly, session, QueuePolicy.COUNTING, null);
    }

    private SemaphoreHandle won(SessionKeeper.Session session, QueueAttempt attempt, Entry won) {
        HeldPermits handle = new HeldPermits(services, name, won, session, this::ended, QueuePolicy.counted(won)[0]);
        handle.onKeyFreed(freedKey::set);
        return MutexRecipe.admitted(coordinator, services, name, handle, attempt.startedNanos);
    }

    private void ended(HeldLock handle, LossReason reason) {
        coordinator.untrack(handle);
        services.observation().lockEnded(name, reason, handle.acquiredNanos);
    }

    @Override
    public String toString() {
        return "DistributedSemaphore{name=" + name + ", permits=" + limit + "}";
    }

    /** An acquisition's permits: a session-bound entry, released by a compare-and-delete of its key and version. */
    static final class HeldPermits extends HeldSessionLock implements SemaphoreHandle {
        private final int permits;

        HeldPermits(
                Services services,
                String name,
                Entry entry,
                SessionKeeper.Session session,
                BiConsumer<HeldLock, LossReason> onEnd,
                int permits) {
            super(services, name, entry, session, onEnd);
            this.permits = permits;
        }

        @Override
        public int permits() {
            return permits;
        }

        @Override
        String kind() {
            return "SEMAPHORE x" + permits;
        }
    }
}
