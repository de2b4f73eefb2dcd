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
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Lets a lease renewal extend a holder's deadline only once a later renewal confirmed that the raft term it was
 * answered under was still the cluster's term after the answer.
 *
 * <p><b>Why.</b> The {@link LeaderChangeGuard} trusts a renewal acknowledged under the trusted term. But the term in
 * an etcd response header is the answering member's <em>applied</em> term, and a leader that was stopped (SIGSTOP, a
 * long GC or fsync stall) and runs again answers the requests that queued while it was stopped under its old term
 * before it has heard of the new leader, at the same moment as its lessor proposes revokes of the leases it saw
 * expire. Observed on etcd 3.5.16: a renewal sent to the stopped leader 350 ms before it resumed was acknowledged under
 * the old term, counted, and left the holder valid for 1.2 s more while its lease was revoked and a waiter acquired.
 * A client that sees only the old term cannot tell that answer from a sound one.
 *
 * <p><b>The rule.</b> A renewal answered under a counting term becomes <em>pending</em>. It counts (from its own send
 * time) when a later renewal of the same lease, sent at least {@link #CONFIRM_GAP} after the pending one was answered,
 * is answered under the same term and counts too; the later one then becomes pending in turn. A renewal that does not
 * count (the term moved) drops the pending one: what it said is no longer trusted. Within the gap a stale leader that
 * runs again has heard from the new leader (one heartbeat, 100 ms by default) and answers under the new term.
 *
 * <p><b>Cost.</b> The deadline counts from the previous renewal instead of the last one, one renewal interval less;
 * the coordinator renews twice as often to keep the same slack.
 *
 * <p>Threadsafe; renewals of one lease are expected one at a time (the coordinator's session and a lease's holder
 * renew sequentially).
 */
public final class RenewalConfirmations {
    /** How long after a renewal was answered the confirming renewal must be sent: two default etcd heartbeats. */
    public static final Duration CONFIRM_GAP = Duration.ofMillis(200);

    /** A renewal waiting for confirmation: the caller's send time, and the answer time and term on this clock. */
    private record Pending(long callerSentNanos, long answeredNanos, long term) {}

    private final ConcurrentMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final long gapNanos;

    /**
     * Creates the tracker.
     *
     * @param gap see {@link #CONFIRM_GAP}
     */
    public RenewalConfirmations(Duration gap) {
        this.gapNanos = gap.toNanos();
    }

    /**
     * Records an acknowledged renewal and tells from which send time the caller's deadline may count.
     *
     * @param leaseId the lease renewed
     * @param counts whether the {@link LeaderChangeGuard} lets this renewal count
     * @param term the raft term in the answer's header
     * @param callerSentNanos when the caller sent the renewal, on the caller's clock (returned later, never compared)
     * @param sentNanos when the renewal was sent, on this backend's clock
     * @param answeredNanos when the answer arrived, on this backend's clock
     * @return the caller's send time of the renewal confirmed now, or empty when none is
     */
    public OptionalLong acknowledged(
            long leaseId, boolean counts, long term, long callerSentNanos, long sentNanos, long answeredNanos) {
        if (!counts) {
            pending.remove(leaseId);
            return OptionalLong.empty();
        }
        Pending now = new Pending(callerSentNanos, answeredNanos, term);
        Pending before = pending.get(leaseId);
        if (before == null || before.term() != term) {
            pending.put(leaseId, now);
            return OptionalLong.empty();
        }
        if (sentNanos - before.answeredNanos() < gapNanos) {
            return OptionalLong.empty(); // too soon to confirm the pending one; it stays pending
        }
        pending.put(leaseId, now);
        return OptionalLong.of(before.callerSentNanos());
    }

    /**
     * Forgets a lease that was revoked or is gone.
     *
     * @param leaseId the lease
     */
    public void forget(long leaseId) {
        pending.remove(leaseId);
    }
}
