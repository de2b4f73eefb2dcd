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
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.LockException;
import dev.baton.lock.LossReason;
import dev.baton.lock.SessionListener;
import dev.baton.lock.SessionState;
import dev.baton.lock.Subscription;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the coordinator's one session lease alive and decides, locally, when it must be considered lost.
 *
 * <p>The local deadline is {@code sendTime(last acknowledged renewal) + ttl - margin}, on the monotonic clock. The
 * server received that renewal no earlier than it was sent and expires the lease no earlier than {@code ttl} after
 * receiving it, so as long as the two clocks' rates differ by less than {@code margin / ttl}, the client's deadline
 * passes before the server's: holders are told before anyone else can be granted their locks. The deadline timer is
 * independent of the renewal calls, so a renewal that hangs (a silently dropped connection) cannot delay it, and
 * {@link Session#isAlive(long)} checks the deadline itself, so even a delayed timer thread cannot make a handle look
 * valid past it.
 *
 * <p>A backend may answer a renewal as acknowledged but not counting ({@link
 * CoordinationBackend#keepAliveCountingFrom(long, long)}), or as counting from an earlier renewal only: the deadline
 * then stays where the last counting renewal put it, and the keeper renews sooner (twice as often while each renewal
 * counts only once the next confirms it, four times while none counts).
 *
 * <p>After a loss the keeper opens a fresh session in the background; handles of the old session stay lost.
 */
final class SessionKeeper {
    private static final Logger log = LoggerFactory.getLogger(SessionKeeper.class);

    /** Something whose validity hangs on one session: a held lock, a term, a waiter. */
    interface Member {
        /**
         * Told synchronously, on the thread that decided the loss: must only flip local state and hand the rest to
         * executors.
         */
        void sessionLost(LossReason reason, LockException cause);
    }

    /** One granted session lease. */
    final class Session {
        final long leaseId;
        final long generation;
        private volatile long deadlineNanos;
        private volatile boolean lost;
        private final Set<Member> members = ConcurrentHashMap.newKeySet();

        Session(long leaseId, long generation, long deadlineNanos) {
            this.leaseId = leaseId;
            this.generation = generation;
            this.deadlineNanos = deadlineNanos;
        }

        /** Whether the session is alive at {@code nowNanos}, by the local deadline. */
        boolean isAlive(long nowNanos) {
            return !lost && nowNanos - deadlineNanos < 0;
        }

        long deadlineNanos() {
            return deadlineNanos;
        }

        /**
         * Binds {@code member} to this session; returns false (and binds nothing) when the session is already lost,
         * so a member can never miss the loss.
         */
        boolean bind(Member member) {
            members.add(member);
            if (lost || !isAlive(time.nanoTime())) {
                members.remove(member);
                return false;
            }
            return true;
        }

        void unbind(Member member) {
            members.remove(member);
        }
    }

    private final CoordinationBackend backend;
    private final TimeSource time;
    private final Duration ttl;
    private final Duration margin;
    private final Duration retryCap;
    private final Duration renewInterval;
    private final Executor blocking;
    private final SerialExecutor callbacks;
    private final Janitor janitor;
    private final Observation observation;
    private final CopyOnWriteArrayList<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    @GuardedBy("lock")
    private Session current;

    @GuardedBy("lock")
    private SessionState state = SessionState.CONNECTED;

    @GuardedBy("lock")
    private long generations;

    @GuardedBy("lock")
    private boolean closed;

    @GuardedBy("lock")
    private boolean reopening;

    private volatile Subscription leaseLostRegistration = () -> {};

    SessionKeeper(
            CoordinationBackend backend,
            TimeSource time,
            Duration ttl,
            Duration margin,
            Executor blocking,
            SerialExecutor callbacks,
            Janitor janitor,
            Observation observation) {
        this.backend = backend;
        this.time = time;
        this.ttl = ttl;
        this.margin = margin;
        this.renewInterval = ttl.dividedBy(3);
        this.retryCap = ttl.dividedBy(4);
        this.blocking = blocking;
        this.callbacks = callbacks;
        this.janitor = janitor;
        this.observation = observation;
    }

    Duration ttl() {
        return ttl;
    }

    /** The longest pause between a waiter's retries: a quarter of the TTL, computed once rather than per attempt. */
    Duration retryCap() {
        return retryCap;
    }

    /**
     * Opens the first session on the calling thread, and listens for the backend's own news of a lost lease: a lease
     * the backend reports gone is lost at once (on the blocking executor), without waiting for the next renewal.
     */
    void start() {
        open();
        leaseLostRegistration = backend.onLeaseLost(leaseId -> blocking.execute(() -> leaseReportedLost(leaseId)));
    }

    private void leaseReportedLost(long leaseId) {
        Session s;
        synchronized (lock) {
            s = current;
        }
        if (s != null && s.leaseId == leaseId) {
            lose(s, "the backend reported the session's lease gone");
        }
    }

    SessionState state() {
        synchronized (lock) {
            return state;
        }
    }

    Subscription addListener(SessionListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Returns a live session, opening a new one on the calling thread if the last was lost.
     *
     * @throws IllegalStateException if the keeper is closed
     * @throws BackendUnavailableException if a new session could not be opened
     */
    Session session() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("coordinator is closed");
            }
            if (current != null && current.isAlive(time.nanoTime())) {
                return current;
            }
        }
        return open();
    }

    private Session open() {
        // A section, so that a close() racing this grant waits for the lease to be kept or revoked before the backend
        // closes, instead of leaving it on the server.
        if (!janitor.enterSection()) {
            throw new IllegalStateException("coordinator is closed");
        }
        try {
            return openInSection();
        } finally {
            janitor.exitSection();
        }
    }

    private Session openInSection() {
        long sent = time.nanoTime();
        long leaseId = backend.grantLease(ttl);
        Session s;
        SessionState previous;
        synchronized (lock) {
            if (closed) {
                janitor.revokeLease(leaseId);
                throw new IllegalStateException("coordinator is closed");
            }
            if (current != null && current.isAlive(time.nanoTime())) {
                // Another thread opened one meanwhile; keep a single session.
                janitor.revokeLease(leaseId);
                return current;
            }
            s = new Session(leaseId, ++generations, sent + ttl.toNanos() - margin.toNanos());
            current = s;
            previous = state;
            state = SessionState.CONNECTED;
        }
        log.debug("session {} opened (lease {}, ttl {})", s.generation, Long.toHexString(leaseId), ttl);
        if (s.generation == 1) {
            observation.sessionStateChanged(null, SessionState.CONNECTED);
        }
        announce(previous, SessionState.CONNECTED);
        scheduleRenewal(s, renewInterval);
        scheduleDeadlineCheck(s);
        return s;
    }

    private void scheduleRenewal(Session s, Duration delay) {
        time.schedule(delay, () -> blocking.execute(() -> renew(s)));
    }

    private void scheduleDeadlineCheck(Session s) {
        long delay = s.deadlineNanos - time.nanoTime();
        time.schedule(Duration.ofNanos(Math.max(0, delay)), () -> checkDeadline(s));
    }

    private void checkDeadline(Session s) {
        if (s.lost || isClosed()) {
            return;
        }
        if (s.isAlive(time.nanoTime())) {
            scheduleDeadlineCheck(s);
        } else {
            lose(
                    s,
                    "no renewal was acknowledged before the local deadline (ttl " + ttl + " minus margin " + margin
                            + ")");
        }
    }

    private void renew(Session s) {
        if (s.lost || isClosed()) {
            return;
        }
        long sent = time.nanoTime();
        OptionalLong countingFrom;
        try {
            countingFrom = backend.keepAliveCountingFrom(s.leaseId, sent);
        } catch (NoSuchLeaseException gone) {
            lose(s, "the server no longer has the session's lease");
            return;
        } catch (RuntimeException failed) {
            SessionState previous = transition(s, SessionState.SUSPENDED);
            if (previous == SessionState.CONNECTED) {
                log.warn(
                        "session {} suspended: renewal failed ({}); handles stay valid for at most {}",
                        s.generation,
                        failed.toString(),
                        Duration.ofNanos(Math.max(0, s.deadlineNanos - sent)));
            }
            scheduleRenewal(s, renewInterval.dividedBy(4));
            return;
        }
        observation.sessionRenewed(sent);
        boolean counts = countingFrom.isPresent();
        long newDeadline = (counts ? countingFrom.getAsLong() : sent) + ttl.toNanos() - margin.toNanos();
        boolean tooLate;
        synchronized (lock) {
            // Validity is monotonic: a session whose deadline passed before this answer arrived counts as lost, even
            // though the server renewed it (a handle that once read invalid must never read valid again).
            tooLate = s.lost || time.nanoTime() - s.deadlineNanos >= 0;
            if (!tooLate && counts && newDeadline - s.deadlineNanos > 0) {
                s.deadlineNanos = newDeadline;
            }
        }
        if (tooLate) {
            lose(s, "the renewal was acknowledged only after the local deadline had passed");
            return;
        }
        transition(s, SessionState.CONNECTED);
        if (counts && countingFrom.getAsLong() == sent) {
            scheduleRenewal(s, renewInterval);
        } else if (counts) {
            // The deadline counts from an earlier renewal, which this one confirmed; the next confirms this one.
            // Renewing twice as often keeps the slack before the deadline what it is when each renewal counts.
            scheduleRenewal(s, renewInterval.dividedBy(2));
        } else {
            // The server renewed the lease but the backend cannot yet let the deadline count from it (see
            // CoordinationBackend.keepAliveCountingFrom): renew sooner, so that the first renewal that counts comes
            // soon after the backend's condition clears, before the unchanged deadline passes.
            log.debug("session {}: renewal acknowledged but not counted; deadline stays", s.generation);
            scheduleRenewal(s, renewInterval.dividedBy(4));
        }
    }

    /** Moves the state for session {@code s} if it is still current and alive; returns the previous state. */
    private SessionState transition(Session s, SessionState to) {
        SessionState previous;
        synchronized (lock) {
            if (closed || s != current || s.lost) {
                return null;
            }
            previous = state;
            state = to;
        }
        if (previous != to) {
            announce(previous, to);
        }
        return previous;
    }

    /** Declares {@code s} lost: every member is told, synchronously, then a new session is opened. */
    void lose(Session s, String why) {
        SessionState previous;
        synchronized (lock) {
            if (s.lost) {
                return;
            }
            s.lost = true;
            previous = (s == current && !closed) ? state : null;
            if (previous != null) {
                state = SessionState.LOST;
            }
        }
        log.warn("session {} lost: {}", s.generation, why);
        SessionLostException cause = new SessionLostException(why);
        for (Member m : s.members) {
            m.sessionLost(LossReason.SESSION_LOST, cause);
        }
        s.members.clear();
        if (previous == null) {
            return;
        }
        announce(previous, SessionState.LOST);
        // The server may still hold the lease (the deadline is conservative): revoke it so that waiters elsewhere
        // need not wait for the server's own expiry; but only once the members' loss callbacks have run, so that a
        // holder's listeners hear of the loss before this coordinator lets a successor in.
        janitor.revokeAfterCallbacks(callbacks, s.leaseId, margin);
        reopenInBackground(Duration.ZERO);
    }

    private void reopenInBackground(Duration delay) {
        synchronized (lock) {
            if (closed || reopening) {
                return;
            }
            reopening = true;
        }
        time.schedule(
                delay,
                () -> blocking.execute(() -> {
                    synchronized (lock) {
                        reopening = false;
                        if (closed || (current != null && current.isAlive(time.nanoTime()))) {
                            return;
                        }
                    }
                    try {
                        open();
                    } catch (RuntimeException e) {
                        log.debug("could not reopen the session yet: {}", e.toString());
                        reopenInBackground(renewInterval);
                    }
                }));
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private void announce(SessionState previous, SessionState current) {
        if (previous == current) {
            return;
        }
        observation.sessionStateChanged(previous, current);
        if (listeners.isEmpty()) {
            return;
        }
        for (SessionListener l : listeners) {
            callbacks.execute(() -> l.onStateChanged(previous, current));
        }
    }

    /**
     * Closes the keeper: members of the live session are told (as closed), and the lease is revoked on the calling
     * thread so that every session-bound entry goes at once; if the server cannot be reached, they expire with it.
     */
    void close(LockException cause) {
        Session s;
        SessionState previous;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = current;
            previous = state;
            state = SessionState.CLOSED;
        }
        leaseLostRegistration.close();
        if (s != null) {
            s.lost = true;
            for (Member m : s.members) {
                m.sessionLost(LossReason.COORDINATOR_CLOSED, cause);
            }
            s.members.clear();
            try {
                backend.revokeLease(s.leaseId);
            } catch (RuntimeException e) {
                log.debug("could not revoke session lease at close; it expires within {}: {}", ttl, e.toString());
            }
        }
        announce(previous, SessionState.CLOSED);
    }

    /** The cause recorded when a session is lost. */
    static final class SessionLostException extends LockException {
        private static final long serialVersionUID = 1L;

        SessionLostException(String why) {
            super(null, "session lost: " + why, null);
        }
    }
}
