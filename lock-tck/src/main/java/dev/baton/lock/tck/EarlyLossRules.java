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
package dev.baton.lock.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.DistributedLock;
import dev.baton.lock.ElectionListener;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.Leadership;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossReason;
import dev.baton.lock.SessionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The early-loss and liveness rules: a holder (lock, election term, singleton task) that is cut off from
 * the server is told of its loss, from its own local deadline, before anyone else acquires, also when its renewals hang
 * instead of failing; a waiter cut off while waiting never acquires; a short disconnect costs nothing; a cut-off
 * holder's lock is free again within the session TTL plus the backend's slack, and the coordinator opens a new session.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface EarlyLossRules extends TckRules {
    /**
     * Early loss: mutex holder is told before the waiter acquires.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void early_loss_mutex_holder_is_told_before_the_waiter_acquires() throws Exception {
        TckHarness tck = tck();
        List<HoldRecord> history = new ArrayList<>();
        for (int trial = 0; trial < Scenarios.EARLY_LOSS_TRIALS; trial++) {
            Scenarios.HandoverTrial t = Scenarios.cutOffMutexHolder(tck, trial);
            assertThat(t.lost)
                    .as("trial %d: the cut-off holder was told of its loss before the waiter acquired", trial)
                    .isNotNull();
            assertThat(t.lostReason).as("trial %d: loss reason", trial).isEqualTo(LossReason.SESSION_LOST);
            assertThat(t.heldValidAfter)
                    .as("trial %d: the cut-off holder's handle still valid", trial)
                    .isFalse();
            assertThat(t.lost.seq())
                    .as("trial %d: sequence of the holder's loss notice against the waiter's acquisition", trial)
                    .isLessThan(t.acquired.seq());
            assertThat(t.lost.nanos())
                    .as("trial %d: time of the holder's loss notice against the waiter's acquisition", trial)
                    .isLessThan(t.acquired.nanos());
            assertThat(t.nextToken)
                    .as("trial %d: token of the next holder", trial)
                    .isGreaterThan(t.heldToken);
            tck.report(
                    "early loss",
                    "trial %d: holder told %d ms after the cut, waiter acquired %d ms after it (session TTL %d ms)",
                    trial,
                    millis(t.lost.nanos() - t.cut.nanos()),
                    millis(t.acquired.nanos() - t.cut.nanos()),
                    tck.env().sessionTtl().toMillis());
            String name = "trial-" + trial;
            history.add(new HoldRecord(
                    "holder", name, t.heldToken, t.heldAt.seq(), OptionalLong.empty(), OptionalLong.of(t.lost.seq())));
            history.add(new HoldRecord(
                    "waiter",
                    name,
                    t.nextToken,
                    t.acquired.seq(),
                    OptionalLong.of(t.acquired.seq() + 1),
                    OptionalLong.empty()));
        }
        HistoryChecker.Report report = HistoryChecker.check(history);
        tck.report("early loss", "%s", report.summary());
        report.assertValid();
        assertThat(report.lossBeforeHandoverPercent()).isEqualTo(100.0);
    }

    /**
     * Early loss: session goes suspended then lost.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void early_loss_session_goes_suspended_then_lost() throws Exception {
        TckHarness tck = tck();
        Scenarios.HandoverTrial t = Scenarios.cutOffMutexHolder(tck, 0);
        tck.report("session states", "after the cut: %s", t.states);
        assertThat(t.states).as("session states after the cut").contains(SessionState.SUSPENDED, SessionState.LOST);
        assertThat(t.states.indexOf(SessionState.SUSPENDED))
                .as("first SUSPENDED before first LOST in %s", t.states)
                .isLessThan(t.states.indexOf(SessionState.LOST));
        assertThat(t.validWhenSuspended)
                .as("the holder's handle while the session was only SUSPENDED")
                .isTrue();
    }

    /**
     * Early loss: holder is told even when renewals hang instead of failing.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void early_loss_holder_is_told_even_when_renewals_hang_instead_of_failing() throws Exception {
        TckHarness tck = tck();
        // A silent network (packets dropped, no error) makes the renewal call hang rather than fail. The local
        // deadline must fire on its own timer; a client that only reacts to failed renewals would learn of the loss
        // after the next holder had started. The holder's blocking calls get threads of their own so that, with
        // manual time, a hung call cannot stall the clock.
        ExecutorService hungCalls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tck-hung-call");
            t.setDaemon(true);
            return t;
        });
        TckClient holder = tck.newClient("holder", hungCalls);
        try {
            TckClient waiter = tck.newClient("waiter");
            String name = tck.name("blackhole");
            LockHandle held = holder.coordinator().lock(name).acquire(tck.awaitTimeout());
            AtomicReference<Stamp> lost = new AtomicReference<>();
            AtomicReference<Stamp> acquired = new AtomicReference<>();
            held.onLost((h, why) -> lost.compareAndSet(null, tck.stamp()));
            CompletableFuture<LockHandle> next =
                    tck.stampOnSuccess(waiter.coordinator().lock(name).acquireAsync(), acquired);
            tck.awaitKeyCount(2, "the waiter's entry queued behind the holder's");
            Stamp cut = tck.stamp();
            holder.backend().blackhole();
            tck.passTimeUntil(
                    tck.env().sessionTtl().plus(tck.livenessSlack()),
                    next::isDone,
                    "the waiter to acquire after the holder's renewals started to hang");
            LockHandle nextHandle = next.join();
            assertThat(lost.get())
                    .as("the holder whose renewals hang was told of its loss")
                    .isNotNull();
            assertThat(lost.get().seq())
                    .as("order of the holder's loss notice and the waiter's acquisition")
                    .isLessThan(acquired.get().seq());
            assertThat(lost.get().nanos())
                    .as("time of the holder's loss notice against the waiter's acquisition")
                    .isLessThan(acquired.get().nanos());
            assertThat(held.isValid()).as("the hung holder's handle").isFalse();
            assertThat(nextHandle.fencingToken()).isGreaterThan(held.fencingToken());
            tck.report(
                    "early loss (hung renewals)",
                    "holder told %d ms after the blackhole, waiter acquired %d ms after it (session TTL %d ms)",
                    millis(lost.get().nanos() - cut.nanos()),
                    millis(acquired.get().nanos() - cut.nanos()),
                    tck.env().sessionTtl().toMillis());
            nextHandle.close();
        } finally {
            holder.backend().heal();
            hungCalls.shutdown();
        }
    }

    /**
     * Early loss: election leader is revoked before another is elected.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void early_loss_election_leader_is_revoked_before_another_is_elected() throws Exception {
        TckHarness tck = tck();
        for (int trial = 0; trial < Scenarios.EARLY_LOSS_TRIALS; trial++) {
            TckClient leaderClient = tck.newClient("leader-" + trial);
            TckClient candidateClient = tck.newClient("candidate-" + trial);
            String name = tck.name("early-loss-election");
            AtomicReference<Stamp> revoked = new AtomicReference<>();
            AtomicReference<LossReason> reason = new AtomicReference<>();
            AtomicReference<Stamp> elected = new AtomicReference<>();
            LeaderElection leader = leaderClient.coordinator().election(name, "leader");
            leader.listen(new ElectionListener() {
                @Override
                public void onElected(Leadership leadership) {}

                @Override
                public void onRevoked(Leadership leadership, LossReason why) {
                    if (revoked.compareAndSet(null, tck.stamp())) {
                        reason.set(why);
                    }
                }
            });
            Leadership term = leader.campaign(tck.awaitTimeout());
            LeaderElection candidate = candidateClient.coordinator().election(name, "candidate");
            candidate.listen(new ElectionListener() {
                @Override
                public void onElected(Leadership leadership) {
                    elected.compareAndSet(null, tck.stamp());
                }

                @Override
                public void onRevoked(Leadership leadership, LossReason why) {}
            });
            CompletableFuture<Leadership> campaign = tck.stampOnSuccess(candidate.campaignAsync(), elected);
            tck.awaitKeyCount(2, "the second candidate's campaign queued");
            Stamp cut = tck.stamp();
            leaderClient.backend().partition();
            tck.passTimeUntil(
                    tck.env().sessionTtl().plus(tck.livenessSlack()),
                    campaign::isDone,
                    "the second candidate to be elected after the leader was cut off");
            Leadership next = campaign.join();
            assertThat(revoked.get())
                    .as("trial %d: the cut-off leader's onRevoked was called before the next was elected", trial)
                    .isNotNull();
            assertThat(reason.get()).as("trial %d: revocation reason", trial).isEqualTo(LossReason.SESSION_LOST);
            assertThat(term.isValid())
                    .as("trial %d: the cut-off leader's term still valid", trial)
                    .isFalse();
            assertThat(revoked.get().seq())
                    .as("trial %d: revocation before election (sequence)", trial)
                    .isLessThan(elected.get().seq());
            assertThat(revoked.get().nanos())
                    .as("trial %d: revocation before election (time)", trial)
                    .isLessThan(elected.get().nanos());
            assertThat(next.fencingToken()).isGreaterThan(term.fencingToken());
            tck.report(
                    "early loss (election)",
                    "trial %d: leader revoked %d ms after the cut, next elected %d ms after it",
                    trial,
                    millis(revoked.get().nanos() - cut.nanos()),
                    millis(elected.get().nanos() - cut.nanos()));
            next.close();
        }
    }

    /**
     * Early loss: singleton task is interrupted before another starts.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void early_loss_singleton_task_is_interrupted_before_another_starts() throws Exception {
        TckHarness tck = tck();
        for (int trial = 0; trial < Scenarios.EARLY_LOSS_TRIALS; trial++) {
            Scenarios.SingletonTrial t = Scenarios.cutOffSingletonRunner(tck, trial);
            assertThat(t.firstInterrupted.seq())
                    .as("trial %d: interruption of the cut-off task before the other task started (sequence)", trial)
                    .isLessThan(t.secondStarted.seq());
            assertThat(t.firstInterrupted.nanos())
                    .as("trial %d: interruption of the cut-off task before the other task started (time)", trial)
                    .isLessThan(t.secondStarted.nanos());
            assertThat(t.probe.maxRunning.get())
                    .as("trial %d: tasks running at once", trial)
                    .isEqualTo(1);
            tck.report(
                    "early loss (singleton)",
                    "trial %d: task interrupted %d ms after the cut, other task started %d ms after it",
                    trial,
                    millis(t.firstInterrupted.nanos() - t.cut.nanos()),
                    millis(t.secondStarted.nanos() - t.cut.nanos()));
            t.second.close();
            tck.assertNoKeysLeft("after trial " + trial);
        }
    }

    /**
     * Early loss: waiter cut off while waiting never acquires.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void early_loss_waiter_cut_off_while_waiting_never_acquires() throws Exception {
        TckHarness tck = tck();
        // Jepsen's etcd 3.4.3 finding: a waiter whose session expired while it waited must not believe it acquired.
        String name = tck.name("cut-off-waiter");
        TckClient a = tck.newClient("a");
        TckClient b = tck.newClient("b");
        TckClient c = tck.newClient("c");
        LockHandle held = a.coordinator().lock(name).acquire(tck.awaitTimeout());
        CompletableFuture<LockHandle> cutOff = b.coordinator().lock(name).acquireAsync();
        tck.awaitKeyCount(2, "b queued behind a");
        b.backend().partition();
        tck.passTimeUntil(
                tck.env().sessionTtl().plus(tck.livenessSlack()),
                cutOff::isDone,
                "the cut-off waiter's acquisition to end once its session was lost");
        assertThat(TckHarness.failureOf(cutOff))
                .as("outcome of a wait whose session was lost")
                .isInstanceOf(LockLostException.class);
        b.backend().heal();
        tck.assertKeyCount(1, "after the cut-off waiter's session was lost: only a's entry");
        CompletableFuture<LockHandle> next = c.coordinator().lock(name).acquireAsync();
        tck.awaitKeyCount(2, "c queued behind a");
        held.close();
        LockHandle handle = tck.awaitDone(next, "c to acquire after a released");
        assertThat(handle.fencingToken()).isGreaterThan(held.fencingToken());
        assertThat(tck.env().keysOnServer()).as("keys while c holds the lock").hasSize(1);
        handle.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Early loss: holder and waiter survive a disconnect shorter than the deadline.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void early_loss_holder_and_waiter_survive_a_disconnect_shorter_than_the_deadline() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("short-cut");
        TckClient a = tck.newClient("a");
        TckClient b = tck.newClient("b");
        LockHandle held = a.coordinator().lock(name).acquire(tck.awaitTimeout());
        List<LossReason> losses = new CopyOnWriteArrayList<>();
        held.onLost((h, reason) -> losses.add(reason));
        CompletableFuture<LockHandle> waiting = b.coordinator().lock(name).acquireAsync();
        tck.awaitKeyCount(2, "b queued behind a");
        a.backend().partition();
        b.backend().partition();
        // Shorter than any local deadline: the builder keeps the margin under half the TTL and renews every third.
        tck.passTime(tck.env().sessionTtl().dividedBy(8));
        a.backend().heal();
        b.backend().heal();
        tck.passTimeUntil(
                tck.env().sessionTtl().dividedBy(2),
                () -> a.coordinator().sessionState() == SessionState.CONNECTED
                        && b.coordinator().sessionState() == SessionState.CONNECTED,
                "both sessions to be CONNECTED again after the disconnect");
        tck.passTime(tck.env().sessionTtl());
        assertThat(losses)
                .as("losses of a holder whose disconnect ended before its deadline")
                .isEmpty();
        assertThat(held.isValid()).as("holder after a short disconnect").isTrue();
        assertThat(waiting).as("waiter while the holder still holds").isNotDone();
        assertThat(tck.env().keysOnServer()).as("keys after the disconnect").hasSize(2);
        held.close();
        LockHandle next =
                tck.awaitDone(waiting, "the waiter, whose watch was reset by the disconnect, after the release");
        assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        next.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Liveness: coordinator opens a new session after losing one.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void liveness_coordinator_opens_a_new_session_after_losing_one() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("recover");
        TckClient a = tck.newClient("a");
        DistributedLock lock = a.coordinator().lock(name);
        LockHandle held = lock.acquire(tck.awaitTimeout());
        a.backend().partition();
        tck.passTimeUntil(
                tck.env().sessionTtl().plus(tck.livenessSlack()),
                () -> a.coordinator().sessionState() == SessionState.LOST,
                "the cut-off coordinator's session to be LOST");
        assertThat(held.isValid()).isFalse();
        a.backend().heal();
        tck.passTimeUntil(
                tck.env().sessionTtl().plus(tck.livenessSlack()),
                () -> a.coordinator().sessionState() == SessionState.CONNECTED,
                "a new session once the server is reachable again");
        LockHandle again = tck.acquireEventually(
                lock,
                tck.env().sessionTtl().plus(tck.livenessSlack()),
                "the lock again, on the coordinator's new session");
        assertThat(again.fencingToken()).isGreaterThan(held.fencingToken());
        again.close();
        held.close();
        tck.assertNoKeysLeft("after release");
        if (tck.env().liveLeases().isPresent()) {
            tck.assertLiveLeases(1, "with one coordinator open after its session was replaced");
        }
    }

    /**
     * Liveness: lock of a cut off holder is free within session ttl plus slack.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void liveness_lock_of_a_cut_off_holder_is_free_within_session_ttl_plus_slack() throws Exception {
        TckHarness tck = tck();
        Scenarios.HandoverTrial t = Scenarios.cutOffMutexHolder(tck, 0);
        long failoverNanos = t.acquired.nanos() - t.cut.nanos();
        tck.report(
                "liveness",
                "failover %d ms with session TTL %d ms and slack %d ms",
                millis(failoverNanos),
                tck.env().sessionTtl().toMillis(),
                tck.livenessSlack().toMillis());
        assertThat(Duration.ofNanos(failoverNanos))
                .as("time from the cut to the waiter's acquisition")
                .isLessThanOrEqualTo(tck.env().sessionTtl().plus(tck.livenessSlack()));
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
