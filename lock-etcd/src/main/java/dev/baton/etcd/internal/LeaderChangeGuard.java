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
package dev.baton.etcd.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether an acknowledged lease renewal may extend a holder's local deadline, across etcd leader changes.
 *
 * <p><b>Why.</b> The holder's deadline {@code sendTime(renewal) + ttl - margin} assumes that no member expires the
 * lease earlier than {@code ttl} after the renewal reached the leader. A leader that stalls (CPU starvation, a slow
 * fsync, SIGSTOP) keeps its own view of lease expiry, which stops at the last renewal it saw. The others elect a new
 * leader, which goes on renewing the lease; when the stalled member runs again, its lessor may still count itself
 * primary for a moment, find the lease "expired", and propose a revoke that is forwarded to the new leader and
 * committed (etcd issues 12528 and 15247; etcd 3.4.31 and 3.5.13 check leadership first, pull request 16822 and its
 * backports 17465 and 17425, which narrows the window without closing it). Renewals acknowledged under the new raft
 * term are then worth nothing: only what the old leader saw protects the lease.
 *
 * <p><b>The rule.</b> Every etcd response header carries the raft term of the member that answered. Renewals
 * acknowledged under the <em>trusted</em> term count. When an acknowledgement arrives under a newer term, renewals stop
 * counting (the deadline stays at {@code sendTime(last renewal acknowledged under the trusted term) + ttl - margin})
 * until every member that may still believe it leads an older term is known to have stepped down: it answers Maintenance
 * status with a raft term at least the new one. When the term moved by exactly one and the trusted term's leader is
 * known, that is the old leader alone; otherwise it is every member except the new term's leader. A member that does
 * not answer (killed, stopped, cut off) is not known to have stepped down. After the confirmation, renewals count again
 * only if sent at least {@link #GRACE} later: a member's lessor is demoted on the raft loop right after it steps down,
 * but a revoke it had already handed to the server before that is still proposed, forwarded and committed; a renewal
 * that reaches the leader after that commit fails with "lease not found", so a renewal that succeeds after the grace
 * proves the stale revoke never came. An acknowledgement under a term older than the trusted one (a member that has
 * not heard of the new leader: possibly the stale leader itself) never counts.
 *
 * <p><b>Cost.</b> A leader that stops for longer than what is left of the deadline (a kill, a pause past roughly {@code
 * ttl - margin} minus the age of the last renewal) makes every holder lose its session at the capped deadline, although
 * the new leader kept the lease alive: a spurious loss, the price of never trusting a lease that a stale leader may
 * revoke. The README's etcd section gives the measured figures.
 *
 * <p>Threadsafe. Confirmation probes run on the given executor, one at a time; a probe is started by the
 * acknowledgement that needs it, so they are paced by the renewals.
 */
public final class LeaderChangeGuard {
    /**
     * How long after the old leader is known to have stepped down renewals still do not count: ten heartbeats at
     * etcd's default 100 ms heartbeat, and the period of the lessor's own expiry check (500 ms), so that a revoke the
     * old leader picked before it stepped down has been proposed and committed, or never will be.
     */
    public static final Duration GRACE = Duration.ofMillis(500);

    private static final Logger log = LoggerFactory.getLogger(LeaderChangeGuard.class);

    /** What a member answered to Maintenance status. */
    public record MemberStatus(long raftTerm, long leader, String version) {}

    /**
     * A snapshot of the cluster: its members and the status of those that answered.
     *
     * @param members the id of every member
     * @param answers status by member id, for the members that answered in time
     */
    public record ClusterStatus(Set<Long> members, Map<Long, MemberStatus> answers) {}

    /** Asks every member for its status; blocks for at most its own timeout. */
    @FunctionalInterface
    public interface Probe {
        /**
         * Returns the cluster's members and the answers received.
         *
         * @return the snapshot
         * @throws RuntimeException if not even the member list could be read
         */
        ClusterStatus probe();
    }

    private final Probe probe;
    private final Executor executor;
    private final LongSupplier clock;
    private final long graceNanos;
    private volatile boolean enabled = true;

    private long trustedTerm;
    private long trustedLeader;
    private long newestTerm;
    private long countsFromNanos;
    private boolean countsFromSet;
    private boolean probing;

    /**
     * Creates the guard.
     *
     * @param probe how to ask the members for their status
     * @param executor where probes run
     * @param clock the monotonic clock renewals' send times are read from, in nanoseconds
     * @param grace see {@link #GRACE}
     */
    public LeaderChangeGuard(Probe probe, Executor executor, LongSupplier clock, Duration grace) {
        this.probe = probe;
        this.executor = executor;
        this.clock = clock;
        this.graceNanos = grace.toNanos();
    }

    /**
     * Switches the rule off (every acknowledged renewal counts) or on again. Only for the negative control of the
     * tests that show what the rule prevents; never switched off in production.
     *
     * @param on whether the rule applies
     */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    /**
     * Tells whether the rule applies (see {@link #enabled(boolean)}).
     *
     * @return false only in the negative control of the fault tests
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Seeds the guard with a status snapshot taken at connect time: the newest term among the answers is trusted, and
     * its leader is recorded.
     *
     * @param status the snapshot
     */
    public synchronized void seed(ClusterStatus status) {
        if (trustedTerm != 0) {
            return;
        }
        long term = newestTerm(status);
        if (term > 0) {
            trustedTerm = term;
            newestTerm = term;
            trustedLeader = leaderOf(status, term);
        }
    }

    /**
     * Tells whether a renewal acknowledged under {@code raftTerm}, sent at {@code sentNanos}, may extend the deadline;
     * starts a probe when the answer depends on one.
     *
     * @param raftTerm the raft term in the acknowledgement's header
     * @param sentNanos when the renewal was sent, on {@code clock}
     * @return whether the renewal counts
     */
    public boolean counts(long raftTerm, long sentNanos) {
        if (!enabled) {
            return true;
        }
        boolean startProbe;
        boolean counts;
        synchronized (this) {
            if (trustedTerm == 0) {
                // The first term this client sees: the lease was granted and renewed in it.
                trustedTerm = raftTerm;
                newestTerm = raftTerm;
            }
            if (raftTerm > newestTerm) {
                log.info(
                        "etcd raft term moved from {} to {}: renewals count again once the old leader is known to"
                                + " have stepped down",
                        trustedTerm,
                        raftTerm);
                newestTerm = raftTerm;
            }
            if (newestTerm > trustedTerm) {
                counts = false;
                startProbe = true;
            } else {
                counts = raftTerm == trustedTerm && (!countsFromSet || sentNanos - countsFromNanos >= 0);
                startProbe = trustedLeader == 0;
            }
            startProbe = startProbe && !probing;
            if (startProbe) {
                probing = true;
            }
        }
        if (startProbe) {
            try {
                executor.execute(this::runProbe);
            } catch (RuntimeException e) {
                synchronized (this) {
                    probing = false;
                }
                log.debug("could not start a leader probe: {}", e.toString());
            }
        }
        return counts;
    }

    private void runProbe() {
        ClusterStatus status;
        try {
            status = probe.probe();
        } catch (RuntimeException e) {
            log.debug("leader probe failed: {}", e.toString());
            synchronized (this) {
                probing = false;
            }
            return;
        }
        update(status);
    }

    /**
     * Applies a probe's answers: records the trusted term's leader, or confirms that the members that may have led an
     * older term stepped down, and then trusts the newest term after the grace. Visible for tests.
     *
     * @param status the snapshot
     */
    synchronized void update(ClusterStatus status) {
        probing = false;
        long seen = newestTerm(status);
        if (seen > newestTerm) {
            newestTerm = seen;
        }
        long leader = leaderOf(status, newestTerm);
        if (newestTerm == trustedTerm) {
            if (trustedLeader == 0) {
                trustedLeader = leader;
            }
            return;
        }
        Set<Long> mustHaveStepped = new HashSet<>();
        if (newestTerm == trustedTerm + 1 && trustedLeader != 0) {
            mustHaveStepped.add(trustedLeader);
        } else {
            mustHaveStepped.addAll(status.members());
        }
        mustHaveStepped.remove(leader);
        for (long member : mustHaveStepped) {
            MemberStatus answer = status.answers().get(member);
            if (answer == null || answer.raftTerm() < newestTerm) {
                log.debug(
                        "member {} not known to have left term {} (answer {}); renewals do not count yet",
                        Long.toHexString(member),
                        trustedTerm,
                        answer);
                return;
            }
        }
        log.info(
                "etcd term {} confirmed (leader {}): the members that may have led term {} stepped down; renewals"
                        + " sent from {} ms on count again",
                newestTerm,
                Long.toHexString(leader),
                trustedTerm,
                Duration.ofNanos(graceNanos).toMillis());
        trustedTerm = newestTerm;
        trustedLeader = leader;
        countsFromNanos = clock.getAsLong() + graceNanos;
        countsFromSet = true;
    }

    private static long newestTerm(ClusterStatus status) {
        long term = 0;
        for (MemberStatus s : status.answers().values()) {
            term = Math.max(term, s.raftTerm());
        }
        return term;
    }

    /** The leader that a member answering at {@code term} names; 0 when none does. */
    private static long leaderOf(ClusterStatus status, long term) {
        for (MemberStatus s : status.answers().values()) {
            if (s.raftTerm() == term && s.leader() != 0) {
                return s.leader();
            }
        }
        return 0;
    }
}
