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

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.baton.lock.LossReason;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A held entry moved onto a lease of its own (a TTL lock or a lease): valid until its own local deadline, {@code send
 * time of the grant (or of the last renewal) + ttl - margin}, which a timer watches; released by revoking the lease.
 */
abstract class OwnLeaseLock extends HeldLock {
    final Duration ttl;

    /** The lease the entry is on; only a TTL lock's extension moves it to another. */
    @GuardedBy("lock")
    private long leaseId;

    @GuardedBy("lock")
    private long deadlineNanos;

    @GuardedBy("lock")
    private TimeSource.Cancellable deadlineTimer;

    private volatile Consumer<String> keyFreed;

    /**
     * A won entry moved onto a lease of its own.
     *
     * @param entry the entry, attached to the lease
     * @param leaseId the lease
     * @param ttl the lease's TTL
     * @param grantSentNanos when the grant of the lease was sent, on the time source's clock
     */
    record Grant(Entry entry, long leaseId, Duration ttl, long grantSentNanos) {}

    OwnLeaseLock(Services services, String name, Grant grant, BiConsumer<HeldLock, LossReason> onEnd) {
        super(services, name, grant.entry().key(), grant.entry().createSequence(), onEnd);
        this.ttl = grant.ttl();
        synchronized (lock) {
            this.leaseId = grant.leaseId();
            this.deadlineNanos = deadlineAfter(grant.grantSentNanos(), ttl);
        }
    }

    /** The lease the entry is on. */
    final long leaseId() {
        synchronized (lock) {
            return leaseId;
        }
    }

    /** Records that the entry was moved onto {@code newLeaseId}. */
    @GuardedBy("lock")
    final void movedToLeaseLocked(long newLeaseId) {
        leaseId = newLeaseId;
    }

    /** The local deadline that a grant or renewal of a lease of {@code ttl}, sent at {@code sentNanos}, gives. */
    final long deadlineAfter(long sentNanos, Duration leaseTtl) {
        return sentNanos + leaseTtl.toNanos() - services.marginFor(leaseTtl).toNanos();
    }

    @Override
    final boolean activate() {
        synchronized (lock) {
            armDeadlineLocked();
            startedLocked();
        }
        return true;
    }

    /** Run by {@link #activate()} under the lock, once the deadline is armed. */
    @GuardedBy("lock")
    void startedLocked() {}

    @Override
    @GuardedBy("lock")
    final LossReason lapseLocked(long now) {
        return now - deadlineNanos < 0 ? null : LossReason.EXPIRED;
    }

    @Override
    @GuardedBy("lock")
    final long deadlineLocked() {
        return deadlineNanos;
    }

    /**
     * Moves the deadline to what a renewal sent at {@code sentNanos} gives, unless the handle is no longer held, its
     * deadline has already passed (once the local deadline has passed it counts as lost, even if the server still
     * renewed the lease), or the deadline would move backwards.
     */
    @GuardedBy("lock")
    final void extendDeadlineLocked(long sentNanos) {
        long candidate = deadlineAfter(sentNanos, ttl);
        if (stillValidLocked() && candidate - deadlineNanos > 0) {
            deadlineNanos = candidate;
        }
    }

    /**
     * Sets the deadline to {@code candidate}, later or earlier, after a confirmed move onto a new lease; unless the
     * handle is no longer held or its deadline has already passed.
     */
    @GuardedBy("lock")
    final void replaceDeadlineLocked(long candidate) {
        if (stillValidLocked() && candidate != deadlineNanos) {
            deadlineNanos = candidate;
            rearmDeadlineLocked();
        }
    }

    /** Moves the deadline to {@code candidate} if that is earlier: after a move whose outcome is unknown. */
    @GuardedBy("lock")
    final void lowerDeadlineLocked(long candidate) {
        if (heldLocked() && candidate - deadlineNanos < 0) {
            deadlineNanos = candidate;
            rearmDeadlineLocked();
        }
    }

    @GuardedBy("lock")
    private boolean stillValidLocked() {
        return heldLocked() && services.time().nanoTime() - deadlineNanos < 0;
    }

    @GuardedBy("lock")
    private void rearmDeadlineLocked() {
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
        }
        armDeadlineLocked();
    }

    @Override
    final void declareLapsed(LossReason reason) {
        lose(reason);
    }

    @Override
    @GuardedBy("lock")
    final void endedLocked() {
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
        }
        stoppedLocked();
    }

    /** Run under the lock as the status leaves HELD, once the deadline timer is cancelled. */
    @GuardedBy("lock")
    void stoppedLocked() {}

    @Override
    final void afterLoss(LossReason reason) {
        if (reason == LossReason.COORDINATOR_CLOSED) {
            endOnServerNow();
        } else if (reason != LossReason.EXPIRED) {
            services.janitor().revokeAfterCallbacks(services.callbacks(), leaseId(), services.marginFor(ttl));
        }
        // An EXPIRED lease is left to the server: the holder is told a margin early, but the lock itself stays
        // taken for the full TTL the user asked for (a TTL lock's "at most" is the TTL, not TTL minus margin).
    }

    /** A lease the holder is done with goes now, even though it lapsed. */
    @Override
    final void afterLapsedClose() {
        endOnServerNow();
    }

    /** Sets who is told of the entry's key once a release's revoke certainly deleted it (see {@link #removeFromServer}). */
    final void onKeyFreed(Consumer<String> freed) {
        this.keyFreed = freed;
    }

    /** Whether the entry is certainly on {@link #leaseId()}: true unless a write whose answer was lost may have moved it. */
    boolean entryCertainlyOnLease() {
        return true;
    }

    /**
     * Revokes the entry's lease, which deletes the entry. When the entry was certainly on that lease, a revoke that
     * answered certainly deleted its key, which is then handed to {@link #onKeyFreed}: the lock creates it again at its
     * next acquisition instead of a new one (on etcd, every one-off key stays a tombstone that listings read past).
     */
    @Override
    CompletableFuture<Void> removeFromServer() {
        long lease = leaseId();
        boolean onLease = entryCertainlyOnLease();
        return services.janitor()
                .attemptInBackground(
                        "release lease " + Long.toHexString(lease),
                        () -> {
                            services.backend().revokeLease(lease);
                            Consumer<String> freed = keyFreed;
                            if (onLease && freed != null) {
                                freed.accept(key);
                            }
                        },
                        () -> services.janitor().revokeLease(lease));
    }

    /**
     * Ends the lock on the server from the calling thread, as the coordinator closes or a lapsed handle is closed:
     * revokes its lease now, or through the janitor if that fails.
     */
    void endOnServerNow() {
        long leaseId = leaseId();
        try {
            services.backend().revokeLease(leaseId);
        } catch (RuntimeException e) {
            services.janitor().revokeLease(leaseId);
        }
    }

    @GuardedBy("lock")
    private void armDeadlineLocked() {
        long delay = deadlineNanos - services.time().nanoTime();
        deadlineTimer = services.time().schedule(Duration.ofNanos(Math.max(0, delay)), this::checkDeadline);
    }

    private void checkDeadline() {
        boolean expired;
        synchronized (lock) {
            if (!heldLocked()) {
                return;
            }
            expired = services.time().nanoTime() - deadlineNanos >= 0;
            if (!expired) {
                armDeadlineLocked();
            }
        }
        if (expired) {
            lose(LossReason.EXPIRED);
        }
    }
}
