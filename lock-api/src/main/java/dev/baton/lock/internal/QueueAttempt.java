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
import dev.baton.lock.LockException;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossReason;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.Watch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One waiter in a FIFO queue of entries under a prefix: the mutex, the election, both sides of a read-write lock and
 * the semaphore are this queue; a {@link QueuePolicy} says when an entry holds and which entry ahead it watches.
 *
 * <p>The waiter creates a unique entry bound to its session (a TTL lock whose last acquisition did not wait creates it
 * on a lease of its own, {@link PreGrantedLease}, and moves it onto the session only if it must wait). With the
 * {@linkplain QueuePolicy#EXCLUSIVE exclusive} policy the entry with the lowest creation sequence holds, and a waiter
 * watches only its immediate predecessor ({@link QueueWatches}), so a release wakes exactly one waiter (no herd); a {@linkplain QueuePolicy#SHARED shared} (read) entry holds when no
 * exclusive entry is ahead and watches the nearest one ahead. A waiter whose session expired while it waited must not
 * believe it acquired (the bug Jepsen found in etcd 3.4.3's mutex), so a wake re-lists and checks that the waiter's
 * own entry still exists before deciding anything, with one exception: when the watched entry was the last one ahead
 * that kept the own entry from holding and its deletion is seen, and the waiter's session is alive by the local
 * deadline, the waiter holds without another round trip. Entries created later sort after it (and no entry ahead ever
 * turns from shared to exclusive), and its own entry lives as long as the session's lease, which the server keeps at
 * least until that deadline: the same reasoning that keeps a holder's handle valid. A hand-off then costs the holder's
 * delete and one watch event. The creation sequence of the winning entry is the fencing token; since an exclusive
 * entry holds only once every entry ahead is gone, tokens grow with every exclusive acquisition.
 *
 * <p>A {@linkplain QueuePolicy#COUNTING counting} (semaphore) entry holds when the permits of the entries up to it fit
 * the limit. Its first waiter watches the whole queue and keeps its copy of the listing current from the watch's
 * events, so that the release of any holder ahead lets it decide without a request ({@link QueueWatches#queue}); the
 * waiters behind it watch their predecessor, and a waiter that comes to hold with entries behind it bumps its entry's
 * version ({@link #announce}) so that the next one looks again (see {@link SemaphoreRecipe}).
 *
 * <p>A waiter entry of this coordinator whose session was lost while it waited stays on the server until its lease is
 * revoked or expires, which can take seconds while a member is stopped; the attempt that replaces it (on the next
 * session) is queued behind it. Such an entry never held and never will (its attempt failed), so this coordinator's
 * later attempts pass it: they count as first when only such entries are ahead, and watch the nearest entry ahead that
 * is not one. Other coordinators still wait for it, which keeps the order: an entry of theirs ahead of it is also ahead
 * of the replacing entry, and one behind it is behind the replacing entry too. A lost holder's entry is never passed:
 * its successor must wait until the holder's listeners heard of the loss.
 *
 * <p>Checks are serialised per attempt (a {@link CoalescingRunner} coalesces wake-ups), so a watch that delivers an
 * event while it is being registered cannot run two checks at once.
 */
final class QueueAttempt implements SessionKeeper.Member {
    private enum State {
        CREATING,
        WAITING,
        ACQUIRED,
        ABANDONED,
        FAILED
    }

    private final Services services;
    private final String lockName;
    private final String prefix;
    private final String key;
    private final byte[] value;
    private final boolean tryOnly;
    private final SessionKeeper.Session session;
    private final QueuePolicy policy;
    /** The lease of its own a TTL lock's or lease's entry is created on, or null to create it on the session. */
    private final PreGrantedLease preGrant;

    private final CompletableFuture<Optional<Entry>> result = new CompletableFuture<>();
    private final CoalescingRunner checks;
    private final Backoff backoff;
    private final Object lock = new Object();
    /** When the attempt began, for the observer's wait time (0 without an observer). */
    final long startedNanos;

    @GuardedBy("lock")
    private State state = State.CREATING;

    @GuardedBy("lock")
    private Entry own;
    /** The listing that came with the create, for the first check; null once used. */
    @GuardedBy("lock")
    private Listing firstListing;
    /** Set by this round's watch when the watched entry, the last one ahead keeping this one waiting, was deleted. */
    @GuardedBy("lock")
    private boolean headDeleted;
    /** With {@link #headDeleted}: whether an entry may be queued behind this one (then a counting hold announces). */
    @GuardedBy("lock")
    private boolean behindToo;
    /** Whether the entry held at the first check, on the listing that came with its create. */
    private volatile boolean heldAtOnce;
    /** Set before the own entry's version is bumped ({@link #announce}); a withdrawal then cannot trust the version. */
    private volatile boolean announced;

    @GuardedBy("lock")
    private Watch watch;

    @GuardedBy("lock")
    private long round;

    /**
     * An attempt whose entry takes {@code key}, a key of this queue that a release of the same lock certainly deleted,
     * or a new unique key when null. Re-creating a freed key keeps the queue's prefix from filling with the tombstones
     * of one-off keys (on etcd, every listing reads past them until the next compaction); the re-created entry still
     * gets a new, larger creation sequence, so fencing tokens keep growing. {@code policy} decides when the entry
     * holds and which entry ahead it watches meanwhile. A non-null {@code preGrant} creates the entry on that lease
     * instead of the session's; an entry that does not hold at once then moves onto the session (see {@link
     * PreGrantedLease}).
     */
    QueueAttempt(
            Services services,
            String lockName,
            String prefix,
            String key,
            byte[] value,
            boolean tryOnly,
            SessionKeeper.Session session,
            QueuePolicy policy,
            PreGrantedLease preGrant) {
        this.services = services;
        this.lockName = lockName;
        this.prefix = prefix;
        this.key = key != null ? key : prefix + "/" + services.newEntryId();
        this.value = value;
        this.tryOnly = tryOnly;
        this.session = session;
        this.policy = policy;
        this.preGrant = preGrant;
        this.checks = new CoalescingRunner(services.blocking(), this::check);
        this.backoff = new Backoff(services.keeper().retryCap());
        this.startedNanos = services.observation().now();
    }

    /** Completed with the own entry once it is first, empty when a try-only attempt lost, or exceptionally. */
    CompletableFuture<Optional<Entry>> result() {
        return result;
    }

    /** Creates the entry and starts waiting; runs the first check on the calling thread. */
    void start() {
        if (!session.bind(this)) {
            fail(new LockLostException(
                    lockName,
                    LossReason.SESSION_LOST,
                    "the session was lost before '" + lockName
                            + "' could be requested; try again once the coordinator has a new session",
                    null));
            return;
        }
        long lease = session.leaseId;
        Optional<Listing> created;
        try {
            lease = preGrant == null ? lease : preGrant.grant();
            created = services.backend().createIfAbsentAndList(key, value, lease, prefix);
        } catch (NoSuchLeaseException gone) {
            if (lease != session.leaseId) {
                fail(new LockException(lockName, "the lease granted for '" + lockName + "' ended at once", gone));
                return;
            }
            sessionGone("requesting", gone);
            return;
        } catch (RuntimeException e) {
            // Either the create failed, or it took effect and the listing after it failed (a backend that makes the
            // two calls), or its answer was lost. One read tells: if the entry is there on this session's lease, wait
            // with it as if the create had answered (checks list again, and retry); otherwise remove it eventually,
            // so that a create applied late cannot hold the lock for a holder who never learns of it.
            Entry landed = ownEntryAfterFailure(lease);
            if (landed == null) {
                services.janitor().deleteKey(key);
                fail(Failures.translate(lockName, e));
                return;
            }
            startWaiting(landed, null);
            return;
        }
        if (created.isEmpty()) {
            fail(new LockException(
                    lockName, "queue entry " + key + " already existed; entry ids must be unique", null));
            return;
        }
        Listing listing = created.get();
        int index = indexOfOwn(listing.entries());
        startWaiting(index < 0 ? null : listing.entries().get(index), listing);
    }

    /** The position of this attempt's entry in a listing, or -1 if it is not there. */
    private int indexOfOwn(List<Entry> entries) {
        return QueueCopy.indexOf(entries, key);
    }

    /** The own entry as the server has it after a failed create, or null if absent, foreign or unreadable. */
    private Entry ownEntryAfterFailure(long lease) {
        if (Thread.currentThread().isInterrupted()) {
            return null;
        }
        try {
            return services.backend().get(key).filter(e -> e.leaseId() == lease).orElse(null);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * Moves to waiting with the own entry and, when the create came with one, the first listing; runs the first check
     * on this thread.
     */
    private void startWaiting(Entry mine, Listing listing) {
        boolean abandoned;
        synchronized (lock) {
            own = mine;
            // A session lost during the create leaves an entry on the session to die with it, but not one on a lease
            // of its own.
            abandoned = state == State.ABANDONED || state == State.FAILED && preGrant != null;
            if (state == State.CREATING) {
                state = State.WAITING;
                firstListing = listing;
            }
        }
        if (abandoned) {
            withdraw();
            return;
        }
        // The first check uses the listing that came with the create, on this thread: an uncontended acquire is one
        // request and no thread hand-off.
        checks.runHere();
    }

    private void requestCheck() {
        checks.request();
    }

    private void check() {
        long myRound;
        Listing listing;
        boolean nowFirst;
        boolean behind;
        Entry mine;
        Watch previous;
        synchronized (lock) {
            if (state != State.WAITING) {
                return;
            }
            previous = takeWatchLocked();
            myRound = ++round;
            listing = firstListing;
            firstListing = null;
            nowFirst = headDeleted;
            behind = behindToo;
            headDeleted = false;
            behindToo = false;
            mine = own;
        }
        close(previous);
        // The last entry ahead that kept this one from holding is gone: entries created later sort after this one, so
        // this one holds, provided it still exists. It is bound to the session's lease, which the server keeps at
        // least until the local deadline, so a session alive by that deadline vouches for it without a round trip,
        // exactly as it vouches for a holder's entry. Anything else (a reset watch, a session past its deadline)
        // re-lists.
        if (nowFirst && mine != null && session.isAlive(services.time().nanoTime())) {
            acquired(mine, behind);
            return;
        }
        if (listing == null) {
            try {
                listing = services.backend().list(prefix);
            } catch (RuntimeException e) {
                retryLater(e);
                return;
            }
        }
        List<Entry> entries = listing.entries();
        int index = indexOfOwn(entries);
        if (index < 0) {
            fail(new LockLostException(
                    lockName,
                    LossReason.ENTRY_REMOVED,
                    "the waiter's entry for '" + lockName
                            + "' disappeared from the server while it waited (its session expired or it was deleted)",
                    null));
            return;
        }
        LockException refused = policy.refusal(lockName, entries, index, services::isAbandoned);
        if (refused != null) {
            withdraw();
            fail(refused);
            return;
        }
        if (policy.holds(entries, index, services::isAbandoned)) {
            heldAtOnce = myRound == 1;
            acquired(entries.get(index), QueueCopy.hasEntryBehind(entries, index, services::isAbandoned));
            return;
        }
        if (!tryOnly && preGrant != null && preGrant.pending() && preGrant.carries(entries.get(index))) {
            if (!moveToSession(entries.get(index))) {
                return;
            }
        }
        if (tryOnly) {
            synchronized (lock) {
                if (state != State.WAITING) {
                    return;
                }
                state = State.ABANDONED;
            }
            session.unbind(this);
            withdraw();
            result.complete(Optional.empty());
            return;
        }
        Watch w;
        try {
            w = policy.watchesQueue(entries, index, services::isAbandoned)
                    ? QueueWatches.queue(services, policy, prefix, key, entries, listing.revision(), waker(myRound))
                    : QueueWatches.ahead(services, policy, entries, index, listing.revision(), waker(myRound));
        } catch (RuntimeException e) {
            retryLater(e);
            return;
        }
        synchronized (lock) {
            if (state == State.WAITING && round == myRound) {
                watch = w;
                backoff.reset();
                return;
            }
        }
        w.close();
    }

    /** Wakes this attempt for the check of round {@code fromRound}. */
    private QueueWatches.Waker waker(long fromRound) {
        return (headGone, behind) -> wake(fromRound, headGone, behind);
    }

    private void wake(long fromRound, boolean headGone, boolean behind) {
        synchronized (lock) {
            if (fromRound != round || state != State.WAITING) {
                return;
            }
            if (headGone) {
                headDeleted = true;
                behindToo = behind;
            }
        }
        requestCheck();
    }

    /**
     * Completes the attempt with the own entry, which holds; an entry that announces its hold ({@link
     * QueuePolicy#announcesHold()}) and may have entries behind it announces first.
     */
    private void acquired(Entry held, boolean behind) {
        Entry mine = held;
        if (behind && policy.announcesHold()) {
            mine = announce(held);
            if (mine == null) {
                return;
            }
        }
        synchronized (lock) {
            if (state != State.WAITING) {
                return;
            }
            state = State.ACQUIRED;
            own = mine;
        }
        if (preGrant != null) {
            if (preGrant.carries(mine)) {
                preGrant.keep();
            } else {
                preGrant.revokeInBackground();
            }
        }
        session.unbind(this);
        result.complete(Optional.of(mine));
    }

    /** Whether the entry held at its first check, so that its create alone acquired. */
    boolean heldAtOnce() {
        return heldAtOnce;
    }

    /** The lease of its own the entry was created on, or null; a won entry still {@linkplain PreGrantedLease#carries on it} keeps it. */
    PreGrantedLease preGrantedLease() {
        return preGrant;
    }

    /** Ends the attempt as its session's lease is found gone while {@code doing} something. */
    private void sessionGone(String doing, NoSuchLeaseException gone) {
        services.keeper().lose(session, "the server no longer has the session's lease");
        fail(new LockLostException(
                lockName, LossReason.SESSION_LOST, "session lost while " + doing + " '" + lockName + "'", gone));
    }

    /**
     * Moves an entry created on a lease of its own, which does not hold at once, onto the session, and revokes that
     * lease: a waiter's entry must end with its session. Returns false when the attempt ended or will check again.
     */
    private boolean moveToSession(Entry mine) {
        if (rewriteOnSession(mine, "requesting", "vanished as it queued") == null) {
            return false;
        }
        preGrant.revokeInBackground();
        return true;
    }

    /**
     * Bumps the own entry's version (same value, same lease), so that the waiter behind, which may be watching it
     * because it waited, looks at the queue again: it may hold now too, or be the first waiter. Returns the entry as
     * bumped, or null when the attempt ended or will check again (a failed request is retried by a later check, which
     * lists again: a bump whose answer was lost shows there as the entry's newer version).
     */
    private Entry announce(Entry held) {
        synchronized (lock) {
            if (state != State.WAITING) {
                return null;
            }
        }
        announced = true;
        return rewriteOnSession(held, "acquiring", "disappeared from the server as it came to hold");
    }

    /**
     * Writes the own entry again, same value, onto the session's lease, if it still has the version of {@code mine};
     * the result becomes the own entry. Returns null when the attempt ended (the session's lease or the entry is gone)
     * or a later check will retry (the request failed).
     */
    private Entry rewriteOnSession(Entry mine, String doing, String vanished) {
        Optional<Entry> written;
        try {
            written = services.backend().compareAndSet(key, mine.version(), value, session.leaseId);
        } catch (NoSuchLeaseException gone) {
            sessionGone(doing, gone);
            return null;
        } catch (RuntimeException e) {
            retryLater(e);
            return null;
        }
        if (written.isEmpty()) {
            fail(new LockLostException(
                    lockName,
                    LossReason.ENTRY_REMOVED,
                    "the entry of '" + lockName + "' " + vanished + " (removed from the server)",
                    null));
            return null;
        }
        synchronized (lock) {
            own = written.get();
        }
        return written.get();
    }

    private void retryLater(RuntimeException cause) {
        Duration delay;
        synchronized (lock) {
            if (state != State.WAITING) {
                return;
            }
            delay = backoff.next();
        }
        services.log().debug("waiting for '{}': check failed ({}), retrying in {}", lockName, cause.toString(), delay);
        services.time().schedule(delay, this::requestCheck);
    }

    @Override
    public void sessionLost(LossReason reason, LockException cause) {
        LockException failure = reason == LossReason.COORDINATOR_CLOSED
                ? null
                : new LockLostException(
                        lockName,
                        LossReason.SESSION_LOST,
                        "the session was lost while waiting for '" + lockName + "'; nothing was acquired",
                        cause);
        Watch w;
        synchronized (lock) {
            if (state != State.CREATING && state != State.WAITING) {
                return;
            }
            state = State.FAILED;
            w = takeWatchLocked();
        }
        close(w);
        // The entry dies with the session's lease (or with its own, revoked here); nothing to remove here. Until
        // then, this coordinator's later attempts pass it.
        if (preGrant != null && preGrant.pending()) {
            preGrant.revokeInBackground();
        } else {
            services.abandonedWaiterEntry(key, session.leaseId);
        }
        if (failure == null) {
            result.completeExceptionally(
                    new IllegalStateException("the coordinator was closed while waiting for '" + lockName + "'"));
        } else {
            result.completeExceptionally(failure);
        }
    }

    /**
     * Stops waiting. Returns true if the attempt was stopped before it acquired; the caller then calls {@link
     * #withdraw()} (an attempt still creating its entry withdraws by itself). Returns false if it had acquired.
     */
    boolean abandon() {
        Watch w = null;
        synchronized (lock) {
            switch (state) {
                case ACQUIRED:
                    return false;
                case CREATING:
                case WAITING:
                    state = State.ABANDONED;
                    w = takeWatchLocked();
                    break;
                default:
                    break;
            }
        }
        close(w);
        session.unbind(this);
        return true;
    }

    /** Removes the own entry, if it was created; on failure leaves it to the janitor. Blocks for one request. */
    void withdraw() {
        Entry e;
        synchronized (lock) {
            e = own;
        }
        if (preGrant != null && preGrant.revokeWith(e) || e == null) {
            return;
        }
        try {
            if (!services.backend().compareAndDelete(key, e.version()) && announced) {
                // The version read may predate the bump of an announcement racing this withdrawal.
                services.janitor().deleteKey(key);
            }
        } catch (RuntimeException failed) {
            services.janitor().deleteKey(key);
        }
    }

    private void fail(RuntimeException failure) {
        Watch w;
        synchronized (lock) {
            if (state == State.ACQUIRED || state == State.ABANDONED) {
                return;
            }
            state = State.FAILED;
            w = takeWatchLocked();
        }
        close(w);
        if (preGrant != null) {
            preGrant.revokeInBackground();
        }
        session.unbind(this);
        result.completeExceptionally(failure);
    }

    /**
     * Detaches the current watch; the caller closes it after leaving the lock. A backend may deliver events on the
     * thread of the write that caused them, under its own locks, and the listener takes this attempt's lock: closing a
     * watch while holding that lock would invert the order and could deadlock with such a delivery.
     */
    @GuardedBy("lock")
    private Watch takeWatchLocked() {
        Watch w = watch;
        watch = null;
        return w;
    }

    private static void close(Watch w) {
        if (w != null) {
            w.close();
        }
    }
}
