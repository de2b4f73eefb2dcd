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
import dev.baton.lock.DistributedLease;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LeaseHandle;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossReason;
import dev.baton.lock.ThreadOwnedLock;
import dev.baton.lock.spi.Entry;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;

/**
 * The mutex, TTL lock and renewable lease: one FIFO queue per name ({@link QueueAttempt}); what differs is what the
 * winning entry is bound to, which each of the three subclasses decides. A mutex ({@link SessionBound}) stays on the
 * session. A TTL lock ({@link FixedTtl}) or lease ({@link Lease}), once first, is moved by compare-and-set onto a
 * lease of its own granted at that moment, so it expires on server time {@code ttl} after acquisition (or after its
 * last renewal) whatever the session does; waiting entries stay on the session so that a crashed waiter never blocks
 * the queue for longer than the session TTL. When its last acquisition did not wait, a TTL lock or lease instead
 * creates its entry on a lease granted just before ({@link PreGrantedLease}): first at once, it holds on it without
 * the move; otherwise the entry moves onto the session to wait.
 *
 * @param <H> the type of handle the lock gives
 */
abstract class MutexRecipe<H extends LockHandle> implements Acquirable<H> {
    final DefaultCoordinator coordinator;
    final Services services;
    final String name;
    private final String prefix;
    private final String kind;
    private final QueuePolicy policy;
    /** The TTL of a TTL lock or lease; null for a mutex. */
    final Duration ttl;

    /** The handles this instance gave (shared by the two sides of a read-write lock). */
    final Set<HeldLock> handles;
    /** A key of this lock's queue that a release certainly deleted, for the next attempt to create again. */
    final AtomicReference<String> freedKey;
    /** Whether this instance's last acquisition had to wait: then a TTL lock's next entry is created on the session. */
    private volatile boolean queueBusy;

    private final ThreadOwnedLock javaLock = new ThreadOwnedLock(this, ThreadOwnedLock.OnLoss.UNCHECKED);

    private MutexRecipe(DefaultCoordinator coordinator, Services services, String name, String kind, Duration ttl) {
        this(
                coordinator,
                services,
                name,
                kind,
                ttl,
                LockNames.lockPrefix(name),
                QueuePolicy.EXCLUSIVE,
                ConcurrentHashMap.newKeySet(),
                new AtomicReference<>());
    }

    /**
     * A queue under {@code prefix} whose entries hold by {@code policy}; {@code handles} and {@code freedKey} may be
     * shared with another recipe over the same queue.
     */
    MutexRecipe(
            DefaultCoordinator coordinator,
            Services services,
            String name,
            String kind,
            Duration ttl,
            String prefix,
            QueuePolicy policy,
            Set<HeldLock> handles,
            AtomicReference<String> freedKey) {
        this.coordinator = coordinator;
        this.services = services;
        this.name = name;
        this.prefix = prefix;
        this.kind = kind;
        this.ttl = ttl;
        this.policy = policy;
        this.handles = handles;
        this.freedKey = freedKey;
    }

    /** The value of this lock's entries. */
    byte[] entryValue() {
        return HeldTtlLock.entryValue(services);
    }

    /** Refuses an acquisition while {@code valid}, a handle of this instance, is still valid. */
    void refuseWhileHeld(HeldLock valid) {
        throw new IllegalStateException("a handle from this lock for '" + name
                + "' is still valid (fencing token " + valid.fencingToken() + "); close it before acquiring"
                + " again, or use asJavaLock() for reentrant, thread-owned locking");
    }

    /** Turns a won entry into an admitted handle. */
    abstract H won(SessionKeeper.Session session, QueueAttempt attempt, Entry won);

    /** Grants the lease a TTL lock's or lease's won entry moves onto. */
    long grantOwnLease() {
        return services.backend().grantLease(ttl);
    }

    /** A mutex: the winning entry stays on the session. */
    static final class SessionBound extends MutexRecipe<LockHandle> implements DistributedLock {
        SessionBound(DefaultCoordinator coordinator, Services services, String name) {
            super(coordinator, services, name, "SESSION", null);
        }

        @Override
        LockHandle won(SessionKeeper.Session session, QueueAttempt attempt, Entry won) {
            HeldSessionLock handle = new HeldSessionLock(services, name, won, session, this::ended);
            handle.onKeyFreed(freedKey::set);
            return admit(handle, attempt);
        }
    }

    /**
     * A TTL lock: the winning entry moves onto a lease of its own that is never renewed (but may be extended), and
     * detached from the client when the lock has a minimum hold.
     */
    static final class FixedTtl extends MutexRecipe<LockHandle> implements DistributedLock {
        private final Duration minimumHold;

        FixedTtl(DefaultCoordinator coordinator, Services services, String name, Duration ttl, Duration minimumHold) {
            super(coordinator, services, name, "FIXED_TTL", ttl);
            this.minimumHold = minimumHold;
        }

        @Override
        long grantOwnLease() {
            return HeldTtlLock.grant(services, ttl, !minimumHold.isZero());
        }

        @Override
        LockHandle won(SessionKeeper.Session session, QueueAttempt attempt, Entry won) {
            return onOwnLease(attempt, won, grant -> new HeldTtlLock(services, name, grant, minimumHold, this::ended));
        }
    }

    /** A renewable lease: the winning entry moves onto a lease of its own that the holder (or a timer) renews. */
    static final class Lease extends MutexRecipe<LeaseHandle> implements DistributedLease {
        private final boolean autoRenew;
        private final Duration renewInterval;

        Lease(
                DefaultCoordinator coordinator,
                Services services,
                String name,
                Duration ttl,
                boolean autoRenew,
                Duration renewInterval) {
            super(coordinator, services, name, "LEASE", ttl);
            this.autoRenew = autoRenew;
            this.renewInterval = renewInterval;
        }

        @Override
        LeaseHandle won(SessionKeeper.Session session, QueueAttempt attempt, Entry won) {
            return onOwnLease(
                    attempt, won, grant -> new HeldLease(services, name, grant, autoRenew, renewInterval, this::ended));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public H acquire() throws InterruptedException {
        return acquireBlocking(-1, false).orElseThrow();
    }

    @Override
    public H acquire(Duration timeout) throws InterruptedException {
        long nanos = Waits.timeoutNanos(timeout);
        return acquireBlocking(nanos, nanos == 0).orElseThrow(() -> new LockAcquisitionTimeoutException(name, timeout));
    }

    @Override
    public Optional<H> tryAcquire() throws InterruptedException {
        return acquireBlocking(0, true);
    }

    @Override
    public Optional<H> tryAcquire(Duration timeout) throws InterruptedException {
        long nanos = Waits.timeoutNanos(timeout);
        return acquireBlocking(nanos, nanos == 0);
    }

    private Optional<H> acquireBlocking(long timeoutNanos, boolean tryOnly) throws InterruptedException {
        requireNoValidHandle();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquiring '" + name + "'");
        }
        SessionKeeper.Session session = sessionFor();
        QueueAttempt attempt = newAttempt(session, tryOnly);
        Optional<Entry> won = Waits.run(services, name, attempt, timeoutNanos, tryOnly);
        return won.map(entry -> won(session, attempt, entry));
    }

    @Override
    public CompletableFuture<H> acquireAsync() {
        requireNoValidHandle();
        return Waits.<H>async(
                services, this::sessionFor, session -> newAttempt(session, false), this::won, attempt -> {});
    }

    @Override
    public Lock asJavaLock() {
        return javaLock;
    }

    private SessionKeeper.Session sessionFor() {
        return coordinator.sessionFor(name);
    }

    private QueueAttempt newAttempt(SessionKeeper.Session session, boolean tryOnly) {
        // A TTL lock or lease whose last attempt found its queue empty creates its entry on its own lease at once.
        PreGrantedLease preGrant =
                ttl != null && !queueBusy ? new PreGrantedLease(services, this::grantOwnLease) : null;
        return new QueueAttempt(
                services, name, prefix, freedKey.getAndSet(null), entryValue(), tryOnly, session, policy, preGrant);
    }

    final void requireNoValidHandle() {
        coordinator.ensureOpen();
        for (HeldLock h : handles) {
            if (h.isValid()) {
                refuseWhileHeld(h);
            }
            handles.remove(h);
        }
    }

    /**
     * Moves a won entry onto a lease of its own (TTL locks and leases) and admits the handle {@code hold} makes of it.
     */
    final <T extends OwnLeaseLock> T onOwnLease(QueueAttempt attempt, Entry won, Function<OwnLeaseLock.Grant, T> hold) {
        // A section: a close() racing the grant below lets it finish, so its lease is kept or revoked, never left.
        if (!services.janitor().enterSection()) {
            attempt.withdraw();
            throw new IllegalStateException("coordinator was closed while '" + name + "' was being acquired");
        }
        try {
            T handle = moveOntoOwnLease(attempt, won, hold);
            handle.onKeyFreed(freedKey::set);
            return admit(handle, attempt);
        } catch (RuntimeException e) {
            throw coordinator.failureDuringAcquire(e, "'" + name + "' was being acquired");
        } finally {
            services.janitor().exitSection();
        }
    }

    private <T extends OwnLeaseLock> T moveOntoOwnLease(
            QueueAttempt attempt, Entry won, Function<OwnLeaseLock.Grant, T> hold) {
        queueBusy = !attempt.heldAtOnce();
        PreGrantedLease preGranted = attempt.preGrantedLease();
        if (preGranted != null && preGranted.carries(won)) {
            // Created on its own lease and first at once: nothing to move.
            return hold.apply(new OwnLeaseLock.Grant(won, preGranted.leaseId(), ttl, preGranted.grantSentNanos()));
        }
        long sent = services.time().nanoTime();
        long leaseId;
        try {
            leaseId = grantOwnLease();
        } catch (RuntimeException e) {
            attempt.withdraw();
            throw Failures.translate(name, e);
        }
        Optional<Entry> moved;
        try {
            moved = services.backend()
                    .compareAndSet(won.key(), won.version(), HeldTtlLock.entryValue(services), leaseId);
        } catch (RuntimeException e) {
            services.janitor().revokeLease(leaseId);
            services.janitor().deleteKey(won.key());
            throw Failures.translate(name, e);
        }
        if (moved.isEmpty()) {
            services.janitor().revokeLease(leaseId);
            throw new LockLostException(
                    name,
                    LossReason.ENTRY_REMOVED,
                    "the entry of '" + name + "' vanished as it was acquired (session expired); try again",
                    null);
        }
        return hold.apply(new OwnLeaseLock.Grant(moved.get(), leaseId, ttl, sent));
    }

    /**
     * Hands out an acquired handle, unless it was lost, or its coordinator closed, as it was acquired. The observer
     * hears of the acquisition first, so that a loss at this instant reaches it as the end of a reported tenure.
     */
    final <T extends HeldLock> T admit(T handle, QueueAttempt attempt) {
        return admit(handle, attempt.startedNanos);
    }

    /** As {@link #admit(HeldLock, QueueAttempt)}, for a handle whose acquisition began at {@code startedNanos}. */
    final <T extends HeldLock> T admit(T handle, long startedNanos) {
        handles.add(handle);
        return admitted(coordinator, services, name, handle, startedNanos);
    }

    /** Hands out an acquired handle of {@code name} as {@link #admit(HeldLock, long)} does, for any recipe. */
    static <T extends HeldLock> T admitted(
            DefaultCoordinator coordinator, Services services, String name, T handle, long startedNanos) {
        services.observation().lockAcquired(name, startedNanos);
        coordinator.track(handle);
        boolean active = handle.activate();
        coordinator.refuseIfClosedDuringAcquire(handle, "'" + name + "' was being acquired");
        if (!active) {
            throw new LockLostException(
                    name,
                    LossReason.SESSION_LOST,
                    "the session was lost as '" + name + "' was acquired; try again",
                    null);
        }
        return handle;
    }

    final void ended(HeldLock handle, LossReason reason) {
        handles.remove(handle);
        coordinator.untrack(handle);
        services.observation().lockEnded(name, reason, handle.acquiredNanos);
    }

    @Override
    public String toString() {
        return "DistributedLock{name=" + name + ", kind=" + kind + (ttl == null ? "" : ", ttl=" + ttl) + "}";
    }
}
