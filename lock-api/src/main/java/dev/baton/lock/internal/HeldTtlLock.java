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
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossReason;
import dev.baton.lock.TtlLockHandle;
import dev.baton.lock.spi.BackendChecks;
import dev.baton.lock.spi.Entry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * A TTL lock's handle: on a lease of its own that is never renewed, so it is held at most its TTL on the server and
 * turns invalid a safety margin earlier here.
 *
 * <p>An {@linkplain #extend(Duration, Duration) extension} grants a lease of the new TTL and moves the entry onto it
 * by compare-and-set (which keeps its creation sequence, so its fencing token), then revokes the old, now empty,
 * lease. A move whose answer is lost leaves the entry on one of the two leases, unknown which: the deadline then
 * becomes the earlier of the two, and the next server call of the handle reads the entry first.
 *
 * <p>A <em>minimum hold</em> ({@code lockAtLeastFor}) is kept at release: a release before {@code holdUntil} moves
 * the entry onto a lease that ends then (at least the backend's minimum TTL from now), and drops the old lease, in the
 * background; the lock then frees itself on the server, whoever is still running. Such leases, and every lease of a
 * lock with a minimum hold, are {@linkplain dev.baton.lock.spi.CoordinationBackend#grantDetachedLease(Duration)
 * detached}, so that they outlive the holder's client. A move that fails leaves the entry where it was, on a lease
 * that lasts at least as long: the minimum is then exceeded, never cut short.
 */
final class HeldTtlLock extends OwnLeaseLock implements TtlLockHandle {
    private static final long UNKNOWN_VERSION = -1;

    /** Serialises the handle's own server calls: its extensions and the move of a minimum hold. */
    private final ReentrantLock serverCalls = new ReentrantLock();

    private final byte[] value;

    /** Whether the lock has, or had, a minimum hold; its leases are then detached. */
    @GuardedBy("lock")
    private boolean detached;

    /** The entry's version, or {@link #UNKNOWN_VERSION} after a move whose answer was lost. */
    @GuardedBy("lock")
    private long version;

    /** When the grant of the entry's lease was sent, and its TTL: together, a lower bound of its server expiry. */
    @GuardedBy("lock")
    private long leaseSentNanos;

    @GuardedBy("lock")
    private Duration leaseTtl;

    /** Leases granted by extensions whose move's answer was lost: the entry may be on one; revoked at release. */
    @GuardedBy("lock")
    private final List<Long> strayLeases = new ArrayList<>();

    /** Until when the lock stays taken at least; the grant's send time when it has no minimum hold. */
    @GuardedBy("lock")
    private long holdUntilNanos;

    HeldTtlLock(
            Services services, String name, Grant grant, Duration minimumHold, BiConsumer<HeldLock, LossReason> onEnd) {
        super(services, name, grant, onEnd);
        this.value = entryValue(services);
        synchronized (lock) {
            this.detached = !minimumHold.isZero();
            this.version = grant.entry().version();
            this.leaseSentNanos = grant.grantSentNanos();
            this.leaseTtl = grant.ttl();
            this.holdUntilNanos = grant.grantSentNanos() + minimumHold.toNanos();
        }
    }

    /** The value of a held entry of this coordinator's. */
    static byte[] entryValue(Services services) {
        return new EntryValue(services.coordinatorId(), "").encode();
    }

    /** Grants a lease for a TTL lock: detached when it has a minimum hold. */
    static long grant(Services services, Duration ttl, boolean detached) {
        return detached
                ? services.backend().grantDetachedLease(ttl)
                : services.backend().grantLease(ttl);
    }

    @Override
    String kind() {
        return "FIXED_TTL";
    }

    @Override
    public void extend(Duration ttl) {
        extend(ttl, null);
    }

    @Override
    public void extend(Duration ttl, Duration minimumHold) {
        checkExtension(ttl, minimumHold);
        serverCalls.lock();
        try {
            extendLocked(ttl, minimumHold);
        } finally {
            serverCalls.unlock();
        }
    }

    private void checkExtension(Duration ttl, Duration minimumHold) {
        BackendChecks.requirePositive("ttl", ttl);
        BackendChecks.requireTtlWithin(services.backend(), "ttl", ttl);
        if (minimumHold != null && (minimumHold.isNegative() || minimumHold.compareTo(ttl) > 0)) {
            throw new IllegalArgumentException(
                    "minimumHold must be from zero to the ttl (" + ttl + "), got " + minimumHold);
        }
    }

    private void extendLocked(Duration newTtl, Duration minimumHold) {
        requireValid(LossReason.EXPIRED);
        long expected = knownVersion();
        long oldLease = leaseId();
        boolean detach;
        synchronized (lock) {
            detach = detached || (minimumHold != null && !minimumHold.isZero());
        }
        long sent = services.time().nanoTime();
        long newLease;
        try {
            newLease = grant(services, newTtl, detach);
        } catch (RuntimeException e) {
            throw Failures.translate(name, e);
        }
        Optional<Entry> moved;
        try {
            moved = services.backend().compareAndSet(key, expected, value, newLease);
        } catch (RuntimeException e) {
            // On the old lease or the new one: the deadline and the minimum hold become the earlier of the two.
            synchronized (lock) {
                version = UNKNOWN_VERSION;
                strayLeases.add(newLease);
                lowerDeadlineLocked(deadlineAfter(sent, newTtl));
                holdUntilNanos = earlier(holdUntilNanos, sent + newTtl.toNanos());
            }
            throw Failures.translate(name, e);
        }
        if (moved.isEmpty()) {
            services.janitor().revokeLease(newLease);
            throw lostOnServer("its entry was gone when it was extended");
        }
        synchronized (lock) {
            version = moved.get().version();
            detached = detach;
            movedToLeaseLocked(newLease);
            leaseSentNanos = sent;
            leaseTtl = newTtl;
            replaceDeadlineLocked(deadlineAfter(sent, newTtl));
            long until = minimumHold == null ? holdUntilNanos : sent + minimumHold.toNanos();
            holdUntilNanos = earlier(until, sent + newTtl.toNanos());
        }
        services.janitor().revokeLease(oldLease);
        requireValid(LossReason.EXPIRED);
    }

    /** The entry's version, read from the server when a move's answer was lost. */
    private long knownVersion() {
        synchronized (lock) {
            if (version != UNKNOWN_VERSION) {
                return version;
            }
        }
        Optional<Entry> entry;
        try {
            entry = services.backend().get(key);
        } catch (RuntimeException e) {
            throw Failures.translate(name, e);
        }
        if (entry.isEmpty()) {
            throw lostOnServer("its entry was gone when it was read after an extension whose answer was lost");
        }
        synchronized (lock) {
            version = entry.get().version();
            if (entry.get().leaseId() != leaseId()) {
                // The lost move had landed: the entry is on the lease that extension granted. Both leases outlast
                // the deadline and the minimum hold already lowered to the earlier of the two; the old one is empty.
                movedToLeaseLocked(entry.get().leaseId());
            }
            return version;
        }
    }

    private LockLostException lostOnServer(String why) {
        lose(LossReason.ENTRY_REMOVED);
        return new LockLostException(name, LossReason.ENTRY_REMOVED, "'" + name + "' is no longer held: " + why, null);
    }

    private static long earlier(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    /** Whether the minimum hold still lies ahead. */
    private boolean holdPending() {
        synchronized (lock) {
            return services.time().nanoTime() - holdUntilNanos < 0;
        }
    }

    @Override
    CompletableFuture<Void> removeFromServer() {
        if (!holdPending()) {
            revokeStrayLeases();
            return super.removeFromServer();
        }
        return services.janitor()
                .attemptInBackground(
                        "keep '" + name + "' until its minimum hold",
                        () -> {
                            if (!keepUntilMinimum()) {
                                revokeStrayLeases();
                                super.endOnServerNow();
                            }
                        },
                        () -> {});
    }

    @Override
    void endOnServerNow() {
        if (!holdPending() || !keepUntilMinimum()) {
            revokeStrayLeases();
            super.endOnServerNow();
        }
    }

    /** The entry may be on a lease of an extension whose answer was lost. */
    @Override
    boolean entryCertainlyOnLease() {
        synchronized (lock) {
            return strayLeases.isEmpty();
        }
    }

    /** At release: the leases of extensions whose answer was lost go too (revoking one that is gone does nothing). */
    private void revokeStrayLeases() {
        List<Long> strays;
        synchronized (lock) {
            strays = List.copyOf(strayLeases);
        }
        for (long lease : strays) {
            services.janitor().revokeLease(lease);
        }
    }

    /**
     * Moves a released entry onto a detached lease that ends at its minimum hold (at least the backend's minimum TTL
     * from now), unless its own lease ends no later than that; then drops the old lease. Leaves the entry where it
     * is if the move fails: its lease lasts at least until the minimum hold. Runs in a janitor section, so that a
     * coordinator that closes meanwhile lets it finish. Returns false, doing nothing, if the minimum hold has passed
     * meanwhile: the caller then releases as usual.
     */
    private boolean keepUntilMinimum() {
        if (!services.janitor().enterSection()) {
            return true; // the coordinator is closing: the entry stays on its lease, which outlasts the minimum hold
        }
        serverCalls.lock();
        try {
            long now = services.time().nanoTime();
            long oldLease;
            long expected;
            Duration hold;
            synchronized (lock) {
                if (now - holdUntilNanos >= 0) {
                    return false;
                }
                Duration rest = Duration.ofMillis((holdUntilNanos - now + 999_999) / 1_000_000);
                Duration min = services.backend().minimumTtl();
                hold = rest.compareTo(min) < 0 ? min : rest;
                long ownLeaseEnd = leaseSentNanos + leaseTtl.toNanos();
                if (version == UNKNOWN_VERSION || ownLeaseEnd - (now + hold.toNanos()) <= 0) {
                    return true; // its own lease ends no later than a new one would
                }
                oldLease = leaseId();
                expected = version;
            }
            long newLease;
            Optional<Entry> moved;
            try {
                newLease = grant(services, hold, true);
            } catch (RuntimeException e) {
                return true; // still on its own lease, which outlasts the minimum hold
            }
            try {
                moved = services.backend().compareAndSet(key, expected, value, newLease);
            } catch (RuntimeException e) {
                return true; // on either lease, and both last at least until the minimum hold
            }
            if (moved.isEmpty()) {
                services.janitor().revokeLease(newLease);
                return true;
            }
            synchronized (lock) {
                movedToLeaseLocked(newLease);
            }
            services.janitor().revokeLease(oldLease);
            return true;
        } finally {
            serverCalls.unlock();
            services.janitor().exitSection();
        }
    }
}
