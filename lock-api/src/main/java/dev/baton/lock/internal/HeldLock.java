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

import dev.baton.lock.LockException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossListener;
import dev.baton.lock.LossReason;
import dev.baton.lock.Subscription;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A held queue entry: the handle of a mutex, TTL lock or lease, and the core of an election term.
 *
 * <p>Validity is local: a session-bound handle is valid while its session is alive by the session's local deadline;
 * a TTL lock or lease while its own local deadline ({@code send time of grant or last renewal + ttl - margin}) lies
 * ahead. Status moves once, by compare-and-set under the monitor, from HELD to RELEASED or LOST.
 */
final class HeldLock implements LockHandle, SessionKeeper.Member {
    /**
     * How long {@link #close()} waits for the first attempt to remove the lock from the server before it returns and
     * leaves the rest to the janitor: long enough for a healthy server to answer, so that a quiet release is complete
     * when close() returns; short enough that a release never blocks on a server that does not answer.
     */
    static final Duration RELEASE_WAIT = Duration.ofMillis(250);

    enum Kind {
        SESSION,
        FIXED_TTL,
        LEASE
    }

    private enum Status {
        HELD,
        RELEASED,
        LOST
    }

    private final Services services;
    private final String name;
    private final String key;
    private volatile Consumer<String> keyFreed;
    private final long token;
    private final Kind kind;
    private final SessionKeeper.Session session;
    private final long leaseId;
    private final Duration ttl;
    private final BiConsumer<HeldLock, LossReason> onEnd;
    private final List<LossListener> listeners = new ArrayList<>();
    /** Serialises value replacements, which block on the server, without blocking {@link #isValid()}. */
    private final Object writeLock = new Object();

    private Status status = Status.HELD;
    private LossReason lossReason;
    private long version;
    private long deadlineNanos;
    private TimeSource.Cancellable deadlineTimer;
    private TimeSource.Cancellable renewTimer;

    /** A handle bound to {@code session}. */
    HeldLock(
            Services services,
            String name,
            Entry entry,
            SessionKeeper.Session session,
            BiConsumer<HeldLock, LossReason> onEnd) {
        this(services, name, entry, Kind.SESSION, session, Entry.NO_LEASE, null, 0, onEnd);
    }

    /** A handle on its own lease, valid until {@code deadlineNanos} unless renewed. */
    HeldLock(
            Services services,
            String name,
            Entry entry,
            Kind kind,
            long leaseId,
            Duration ttl,
            long deadlineNanos,
            BiConsumer<HeldLock, LossReason> onEnd) {
        this(services, name, entry, kind, null, leaseId, ttl, deadlineNanos, onEnd);
    }

    private HeldLock(
            Services services,
            String name,
            Entry entry,
            Kind kind,
            SessionKeeper.Session session,
            long leaseId,
            Duration ttl,
            long deadlineNanos,
            BiConsumer<HeldLock, LossReason> onEnd) {
        this.services = services;
        this.name = name;
        this.key = entry.key();
        this.token = entry.createSequence();
        this.version = entry.version();
        this.kind = kind;
        this.session = session;
        this.leaseId = leaseId;
        this.ttl = ttl;
        this.deadlineNanos = deadlineNanos;
        this.onEnd = onEnd;
    }

    /**
     * Starts the handle's own life: binds it to its session or arms its deadline. Returns false if it was already
     * lost (the caller then reports the loss instead of returning the handle).
     */
    boolean activate(boolean autoRenew, Duration renewInterval) {
        if (kind == Kind.SESSION) {
            if (!session.bind(this)) {
                lose(LossReason.SESSION_LOST);
                return false;
            }
            return true;
        }
        synchronized (this) {
            armDeadlineLocked();
            if (autoRenew) {
                scheduleRenewalLocked(renewInterval, renewInterval);
            }
        }
        return true;
    }

    /**
     * Tells {@code freed} the entry's key once a release has certainly deleted it (the compare-and-delete answered
     * true), so the same lock may create that key again instead of a new one. A release whose answer was lost never
     * calls it: the janitor may still be removing that key.
     */
    void onKeyFreed(Consumer<String> freed) {
        this.keyFreed = freed;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public boolean isValid() {
        long now = services.time().nanoTime();
        LossReason lapsed;
        synchronized (this) {
            if (status != Status.HELD) {
                return false;
            }
            lapsed = lapseLocked(now);
        }
        if (lapsed == null) {
            return true;
        }
        declareLapsed(lapsed);
        return false;
    }

    /** The loss that a passed deadline means for a handle still HELD, or null while it is valid at {@code now}. */
    private LossReason lapseLocked(long now) {
        if (kind == Kind.SESSION) {
            return session.isAlive(now) ? null : LossReason.SESSION_LOST;
        }
        return now - deadlineNanos < 0 ? null : LossReason.EXPIRED;
    }

    /**
     * Reports a loss that a caller noticed before the deadline timer ran (a process paused past the deadline wakes up
     * and asks isValid() or releases first), so that the listeners hear of it, once, whichever comes first. A session's
     * loss is declared through the keeper, which tells every member of the session and replaces it.
     */
    private void declareLapsed(LossReason reason) {
        if (kind == Kind.SESSION) {
            services.keeper().lose(session, "the local deadline passed before its timer ran (was the process paused?)");
        } else {
            lose(reason);
        }
    }

    @Override
    public Duration remaining() {
        long now = services.time().nanoTime();
        long deadline;
        synchronized (this) {
            if (status != Status.HELD) {
                return Duration.ZERO;
            }
            deadline = kind == Kind.SESSION ? session.deadlineNanos() : deadlineNanos;
        }
        if (kind == Kind.SESSION && !session.isAlive(now)) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, deadline - now));
    }

    @Override
    public Subscription onLost(LossListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        LossReason already;
        synchronized (this) {
            if (status == Status.RELEASED) {
                return () -> {};
            }
            if (status == Status.HELD) {
                listeners.add(listener);
                return () -> {
                    synchronized (HeldLock.this) {
                        listeners.remove(listener);
                    }
                };
            }
            already = lossReason;
        }
        services.callbacks().execute(() -> listener.onLost(this, already));
        return () -> {};
    }

    @Override
    public void renew() {
        if (kind != Kind.LEASE) {
            throw new UnsupportedOperationException("renew() applies to leases from Coordinator.lease(...); a mutex"
                    + " is kept by the coordinator's session and a TTL lock cannot be extended");
        }
        requireValid();
        long sent = services.time().nanoTime();
        try {
            services.backend().keepAlive(leaseId);
        } catch (NoSuchLeaseException gone) {
            lose(LossReason.EXPIRED);
            throw new LockLostException(name, LossReason.EXPIRED, "lease '" + name + "' expired on the server", gone);
        } catch (RuntimeException e) {
            throw Failures.translate(name, e);
        }
        synchronized (this) {
            long candidate = sent + ttl.toNanos() - services.marginFor(ttl).toNanos();
            // Once the local deadline has passed the lease counts as lost, even if the server still renewed it.
            boolean stillValid = services.time().nanoTime() - deadlineNanos < 0;
            if (status == Status.HELD && stillValid && candidate - deadlineNanos > 0) {
                deadlineNanos = candidate;
            }
        }
    }

    /** Replaces the entry's value, conditional on this handle's version; used by an election term to proclaim. */
    void replaceValue(byte[] value) {
        synchronized (writeLock) {
            replaceValueLocked(value);
        }
    }

    private void replaceValueLocked(byte[] value) {
        requireValid();
        long lease = kind == Kind.SESSION ? session.leaseId : leaseId;
        long expected;
        synchronized (this) {
            expected = version;
        }
        Optional<Entry> updated;
        try {
            updated = services.backend().compareAndSet(key, expected, value, lease);
        } catch (NoSuchLeaseException gone) {
            if (session != null) {
                services.keeper().lose(session, "the server no longer has the session's lease");
            }
            throw new LockLostException(name, LossReason.SESSION_LOST, "'" + name + "' was lost", gone);
        } catch (RuntimeException e) {
            throw Failures.translate(name, e);
        }
        if (updated.isEmpty()) {
            lose(LossReason.ENTRY_REMOVED);
            throw new LockLostException(
                    name,
                    LossReason.ENTRY_REMOVED,
                    "the entry of '" + name + "' was removed or changed on the server",
                    null);
        }
        synchronized (this) {
            version = updated.get().version();
        }
    }

    private void requireValid() {
        if (!isValid()) {
            LossReason reason;
            synchronized (this) {
                reason = lossReason != null
                        ? lossReason
                        : status == Status.RELEASED
                                ? LossReason.RELEASED
                                : kind == Kind.SESSION ? LossReason.SESSION_LOST : LossReason.EXPIRED;
            }
            throw new LockLostException(name, reason, "'" + name + "' is no longer held (" + reason + ")", null);
        }
    }

    @Override
    public void sessionLost(LossReason reason, LockException cause) {
        lose(reason);
    }

    /** Declares the handle lost: flips state, runs the owner's hook inline, then tells listeners via callbacks. */
    void lose(LossReason reason) {
        List<LossListener> toTell;
        synchronized (this) {
            if (status != Status.HELD) {
                return;
            }
            status = Status.LOST;
            lossReason = reason;
            cancelTimersLocked();
            toTell = List.copyOf(listeners);
            listeners.clear();
        }
        if (session != null) {
            session.unbind(this);
        }
        onEnd.accept(this, reason);
        for (LossListener l : toTell) {
            services.callbacks().execute(() -> l.onLost(this, reason));
        }
        if (kind != Kind.SESSION) {
            if (reason == LossReason.COORDINATOR_CLOSED) {
                revokeOwnLeaseNow();
            } else if (reason != LossReason.EXPIRED) {
                services.janitor().revokeAfterCallbacks(services.callbacks(), leaseId, services.marginFor(ttl));
            }
            // An EXPIRED lease is left to the server: the holder is told a margin early, but the lock itself stays
            // taken for the full TTL the user asked for (a TTL lock's "at most" is the TTL, not TTL minus margin).
        }
    }

    @Override
    public void close() {
        LossReason lapsed;
        synchronized (this) {
            if (status != Status.HELD) {
                return;
            }
            lapsed = lapseLocked(services.time().nanoTime());
            if (lapsed == null) {
                status = Status.RELEASED;
                lossReason = LossReason.RELEASED;
                cancelTimersLocked();
                listeners.clear();
            }
        }
        if (lapsed != null) {
            // Lost before it was released: the listeners hear of the loss; a lease the holder is done with goes now.
            declareLapsed(lapsed);
            if (kind != Kind.SESSION) {
                revokeOwnLeaseNow();
            }
            return;
        }
        if (session != null) {
            session.unbind(this);
        }
        onEnd.accept(this, LossReason.RELEASED);
        // The handle is invalid from here on; the server-side removal goes on in the background, and close() waits
        // for its first attempt at most RELEASE_WAIT, so that a member that is down or a leader that is stopped
        // never holds a release up for a whole request timeout.
        CompletableFuture<Void> firstAttempt;
        if (kind == Kind.SESSION) {
            long v;
            synchronized (this) {
                v = version;
            }
            // Conditional on this handle's own unique key and version: a lost answer or a retry can never remove
            // another holder's entry.
            firstAttempt = services.janitor()
                    .attemptInBackground(
                            "release " + key,
                            () -> {
                                if (services.backend().compareAndDelete(key, v)) {
                                    Consumer<String> freed = keyFreed;
                                    if (freed != null) {
                                        freed.accept(key);
                                    }
                                }
                            },
                            () -> services.janitor().deleteKey(key));
        } else {
            firstAttempt = services.janitor()
                    .attemptInBackground(
                            "release lease " + Long.toHexString(leaseId),
                            () -> services.backend().revokeLease(leaseId),
                            () -> services.janitor().revokeLease(leaseId));
        }
        try {
            firstAttempt.get(RELEASE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // still trying: the janitor finishes it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // cannot happen: the future is only ever completed normally
        }
    }

    private void revokeOwnLeaseNow() {
        try {
            services.backend().revokeLease(leaseId);
        } catch (RuntimeException e) {
            services.janitor().revokeLease(leaseId);
        }
    }

    private void armDeadlineLocked() {
        long delay = deadlineNanos - services.time().nanoTime();
        deadlineTimer = services.time().schedule(Duration.ofNanos(Math.max(0, delay)), this::checkDeadline);
    }

    private void checkDeadline() {
        boolean expired;
        synchronized (this) {
            if (status != Status.HELD) {
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

    private void scheduleRenewalLocked(Duration delay, Duration interval) {
        renewTimer = services.time().schedule(delay, () -> services.blocking().execute(() -> autoRenew(interval)));
    }

    private void autoRenew(Duration interval) {
        Duration next = interval;
        try {
            renew();
        } catch (LockLostException lost) {
            return;
        } catch (RuntimeException e) {
            services.log().debug("renewal of lease '{}' failed, retrying: {}", name, e.toString());
            next = interval.dividedBy(4);
        }
        synchronized (this) {
            if (status == Status.HELD) {
                scheduleRenewalLocked(next, interval);
            }
        }
    }

    private void cancelTimersLocked() {
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
        }
        if (renewTimer != null) {
            renewTimer.cancel();
        }
    }

    @Override
    public String toString() {
        return "LockHandle{name=" + name + ", token=" + token + ", kind=" + kind + ", valid=" + isValid() + "}";
    }
}
