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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedSemaphore;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.SemaphoreHandle;
import dev.baton.lock.SemaphoreLimitMismatchException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The semaphore rules: never more permits held than the limit (checked by {@link SemaphoreHistory} under load, {@link
 * CheckedAcquisitions#count()} acquisitions), tokens in acquisition order, waiters served strictly in order, a release
 * that wakes the first waiter and no herd, a cut-off holder told of its loss before its permits go to a waiter and
 * its permits free within the session TTL plus the backend's slack, processes that disagree on the limit refused, bad
 * permit counts refused before anything is written, and nothing left behind.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface SemaphoreRules extends TckRules {
    /**
     * Semaphore: never more permits held than the limit, across coordinators, with tokens in acquisition order.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    @TckTimeout(seconds = 180)
    default void semaphore_never_more_than_its_permits_held_across_coordinators() throws Exception {
        TckHarness tck = tck();
        int coordinators = 3;
        int threadsPerCoordinator = 3;
        int limit = 3;
        int workers = coordinators * threadsPerCoordinator;
        int perWorker = (CheckedAcquisitions.count() + workers - 1) / workers;
        String name = tck.name("sem-capacity");
        SemaphoreHistory history = new SemaphoreHistory();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger excess = new AtomicInteger();
        Scenarios.Contention run = Scenarios.contend(tck, coordinators, threadsPerCoordinator, (client, label, w) -> {
            DistributedSemaphore semaphore = client.coordinator().semaphore(name, limit);
            for (int i = 0; i < perWorker; i++) {
                // One acquisition in three takes two permits, interleaved differently per worker.
                int permits = (i + w) % 3 == 0 ? 2 : 1;
                long asked = history.asking();
                SemaphoreHandle handle = semaphore.acquire(permits, tck.awaitTimeout());
                HistoryRecorder.Hold hold =
                        history.acquired(label, name, handle.fencingToken(), handle.permits(), limit, asked);
                handle.onLost((h, reason) -> hold.lost());
                int now = inside.addAndGet(handle.permits());
                if (now > limit) {
                    excess.incrementAndGet();
                }
                most.accumulateAndGet(now, Math::max);
                // Widen the critical section so that a holder the semaphore wrongly lets in is seen.
                Thread.yield();
                inside.addAndGet(-handle.permits());
                hold.releasing();
                handle.close();
            }
            return perWorker;
        });
        HistoryChecker.Report report = history.check();
        tck.report(
                "semaphore capacity",
                "%d coordinators x %d threads, %d permits, a third of the acquisitions take 2: %s, most permits held"
                        + " at once %d, elapsed %d ms",
                coordinators,
                threadsPerCoordinator,
                limit,
                report.summary(),
                most.get(),
                run.elapsedMillis());
        report.assertValid();
        assertThat(report.acquisitionsChecked())
                .isEqualTo(run.acquisitions())
                .isGreaterThanOrEqualTo(CheckedAcquisitions.count());
        assertThat(excess.get())
                .as("times more than %d permits were inside the critical section", limit)
                .isZero();
        tck.assertNoKeysLeft("after every holder released");
    }

    /**
     * Semaphore: waiters are served strictly in order; a later waiter never overtakes an earlier one, even when the
     * permits free would be enough for it.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void semaphore_waiters_are_served_in_fifo_order_even_when_fewer_permits_would_fit() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("sem-fifo");
        SemaphoreHandle two = semaphore(tck, "a", name, 3).acquire(2, tck.awaitTimeout());
        CompletableFuture<SemaphoreHandle> big = semaphore(tck, "big", name, 3).acquireAsync(2);
        tck.awaitKeyCount(2, "a waiter for 2 permits queued while 1 is free");
        assertThat(semaphore(tck, "try", name, 3).tryAcquire(1))
                .as("a try for the 1 free permit while a waiter for 2 is ahead")
                .isEmpty();
        assertThat(semaphore(tck, "timed-try", name, 3).tryAcquire(Duration.ofMillis(50)))
                .as("a timed try for the 1 free permit while a waiter for 2 is ahead")
                .isEmpty();
        CompletableFuture<SemaphoreHandle> small =
                semaphore(tck, "small", name, 3).acquireAsync(1);
        tck.awaitKeyCount(3, "a waiter for 1 permit queued behind the waiter for 2");
        CompletableFuture<SemaphoreHandle> last =
                semaphore(tck, "last", name, 3).acquireAsync(1);
        tck.awaitKeyCount(4, "a second waiter for 1 permit queued");
        assertThat(small)
                .as("the waiter for 1 permit behind the waiter for 2, while 1 permit is free")
                .isNotDone();
        assertThat(big).as("the waiter for 2 permits while 1 is free").isNotDone();
        two.close();
        SemaphoreHandle first = tck.awaitDone(big, "the waiter for 2 permits after the holder released");
        SemaphoreHandle second = tck.awaitDone(small, "the waiter for 1 permit, which fits beside it");
        assertThat(first.permits()).isEqualTo(2);
        assertThat(second.fencingToken())
                .as("tokens in queue order")
                .isGreaterThan(first.fencingToken())
                .isGreaterThan(two.fencingToken());
        assertThat(last).as("the last waiter while all 3 permits are held").isNotDone();
        second.close();
        SemaphoreHandle third = tck.awaitDone(last, "the last waiter after a permit was released");
        assertThat(third.fencingToken()).isGreaterThan(second.fencingToken());
        first.close();
        third.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Semaphore: a release wakes the first waiter; the waiters behind it make no request, except the next one once
     * the first holds. Calls to list or read the queue per hand-off stay at most one, however many wait.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void semaphore_release_wakes_the_first_waiter_and_no_herd() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("sem-wake");
        int limit = 3;
        List<SemaphoreHandle> holders = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            holders.add(semaphore(tck, "h" + i, name, limit).acquire(tck.awaitTimeout()));
        }
        int waiting = 4;
        List<TckClient> clients = new ArrayList<>();
        List<CompletableFuture<SemaphoreHandle>> waiters = new ArrayList<>();
        for (int i = 0; i < waiting; i++) {
            TckClient client = tck.newClient("w" + i);
            clients.add(client);
            waiters.add(client.coordinator().semaphore(name, limit).acquireAsync());
            tck.awaitKeyCount(limit + i + 1, "waiter " + i + " queued");
            tck.await("waiter " + i + " watching").until(() -> watches(client) >= 1);
        }
        long reads = calls(tck, FaultInjectingBackend.Call.LIST, FaultInjectingBackend.Call.GET);
        long sets = calls(tck, FaultInjectingBackend.Call.COMPARE_AND_SET);
        int handOffs = 2;
        for (int i = 0; i < handOffs; i++) {
            holders.get(i).close();
            SemaphoreHandle next = tck.awaitDone(waiters.get(i), "waiter " + i + " after a holder released");
            assertThat(next.fencingToken()).isGreaterThan(holders.get(limit - 1).fencingToken());
            TckClient behind = clients.get(i + 1);
            // The waiter behind the new holder looks again and watches the queue: that is part of the hand-off.
            tck.await("waiter " + (i + 1) + " watching again").until(() -> watches(behind) >= 2);
        }
        long readCalls = calls(tck, FaultInjectingBackend.Call.LIST, FaultInjectingBackend.Call.GET) - reads;
        long setCalls = calls(tck, FaultInjectingBackend.Call.COMPARE_AND_SET) - sets;
        tck.report(
                "semaphore wake",
                "%d hand-offs with %d waiters: list+get calls %d, compare-and-set (holds announced) %d",
                handOffs,
                waiting,
                readCalls,
                setCalls);
        assertThat(readCalls)
                .as("list+get calls of %d hand-offs with %d waiters: only the next waiter may look", handOffs, waiting)
                .isLessThanOrEqualTo(handOffs);
        for (int i = handOffs; i < waiting; i++) {
            assertThat(waiters.get(i))
                    .as("waiter %d while every permit is held", i)
                    .isNotDone();
        }
        for (SemaphoreHandle h : holders) {
            h.close();
        }
        for (CompletableFuture<SemaphoreHandle> w : waiters) {
            tck.awaitDone(w, "a waiter as the holders release").close();
        }
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Semaphore: an acquisition with another limit than the acquisitions on the server is refused, naming both limits,
     * and leaves nothing behind; once those are released, the new limit applies.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void semaphore_limit_mismatch_is_refused_naming_both_limits_and_nothing_left() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("sem-limits");
        SemaphoreHandle held = semaphore(tck, "three", name, 3).acquire(3, tck.awaitTimeout());
        CompletableFuture<SemaphoreHandle> waiting =
                semaphore(tck, "three-waiting", name, 3).acquireAsync();
        tck.awaitKeyCount(2, "a waiter of the same limit queued");
        DistributedSemaphore five = semaphore(tck, "five", name, 5);
        assertThatThrownBy(five::tryAcquire)
                .isInstanceOfSatisfying(SemaphoreLimitMismatchException.class, e -> {
                    assertThat(e.requestedLimit()).isEqualTo(5);
                    assertThat(e.foundLimit()).isEqualTo(3);
                })
                .hasMessageContaining(name)
                .hasMessageContaining("5 permits")
                .hasMessageContaining("3 permits")
                .hasMessageContaining("semaphore(\"" + name + "\", 3)");
        assertThatThrownBy(() -> five.acquire(2, tck.awaitTimeout()))
                .isInstanceOf(SemaphoreLimitMismatchException.class);
        assertThat(five.acquireAsync())
                .failsWithin(tck.awaitTimeout())
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(SemaphoreLimitMismatchException.class);
        tck.assertKeyCount(2, "after acquisitions refused for their limit");
        assertThat(held.isValid()).as("the holder of the other limit").isTrue();
        held.close();
        SemaphoreHandle next = tck.awaitDone(waiting, "the waiter queued before the refused acquisitions");
        next.close();
        SemaphoreHandle renewed = five.tryAcquire(4).orElseThrow(() -> new AssertionError("a free semaphore"));
        assertThat(renewed.fencingToken()).isGreaterThan(next.fencingToken());
        renewed.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Semaphore: a limit below 1, or asking for fewer than 1 or more permits than the limit, is refused before
     * anything is written.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void semaphore_bad_permit_counts_are_refused_and_nothing_written() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("sem-bad");
        Coordinator c = tck.newClient("a").coordinator();
        for (int limit : new int[] {0, -1}) {
            assertThatThrownBy(() -> c.semaphore(name, limit))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name)
                    .hasMessageContaining("at least 1");
        }
        DistributedSemaphore semaphore = c.semaphore(name, 2);
        for (int permits : new int[] {0, -1, 3}) {
            String expected = "1 to 2";
            assertThatThrownBy(() -> semaphore.acquire(permits)).hasMessageContaining(expected);
            assertThatThrownBy(() -> semaphore.acquire(permits, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(expected);
            assertThatThrownBy(() -> semaphore.tryAcquire(permits))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(expected);
            assertThatThrownBy(() -> semaphore.acquireAsync(permits))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(expected);
        }
        assertThat(tck.env().keysOnServer())
                .as("keys after refused permit counts")
                .isEmpty();
    }

    /**
     * Semaphore: a try while the permits are taken, a timeout and a cancelled wait return or throw and leave nothing
     * behind; the waiter behind a cancelled wait gets the permits it was kept from.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void semaphore_try_timeout_and_cancelled_wait_leave_nothing_behind() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("sem-try");
        SemaphoreHandle held = semaphore(tck, "a", name, 3).acquire(2, tck.awaitTimeout());
        DistributedSemaphore other = semaphore(tck, "b", name, 3);
        assertThat(other.tryAcquire(2)).as("a try for 2 while 1 of 3 is free").isEmpty();
        assertThat(other.tryAcquire(2, Duration.ofMillis(50)))
                .as("a timed try for 2 while 1 of 3 is free")
                .isEmpty();
        assertThatThrownBy(() -> other.acquire(2, Duration.ofMillis(50)))
                .isInstanceOf(LockAcquisitionTimeoutException.class);
        CompletableFuture<SemaphoreHandle> cancelled = other.acquireAsync(2);
        tck.awaitKeyCount(2, "a waiter for 2 queued");
        CompletableFuture<SemaphoreHandle> behind = semaphore(tck, "c", name, 3).acquireAsync(1);
        tck.awaitKeyCount(3, "a waiter for 1 queued behind it");
        assertThat(behind).as("the waiter for 1 behind the waiter for 2").isNotDone();
        cancelled.cancel(true);
        SemaphoreHandle one = tck.awaitDone(behind, "the waiter for 1 once the waiter ahead of it gave up");
        tck.assertKeyCount(2, "after lost tries, a timeout and a cancelled wait");
        held.close();
        one.close();
        SemaphoreHandle all = other.tryAcquire(3).orElseThrow(() -> new AssertionError("a free semaphore"));
        assertThat(all.permits()).isEqualTo(3);
        all.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Semaphore: a holder cut off from the server is told of its loss before a waiter gets its permits, and the
     * permits are free again within the session TTL plus the backend's slack; other holders keep theirs.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void semaphore_cut_off_holder_is_told_before_its_permits_go_to_a_waiter() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("sem-cut-off");
        // The history's clock is the harness's stamp sequence, which orders events across threads and manual time.
        SemaphoreHistory history =
                new SemaphoreHistory(new HistoryRecorder(() -> tck.stamp().seq()));
        TckClient holder = tck.newClient("holder");
        long asked = history.asking();
        SemaphoreHandle cut = holder.coordinator().semaphore(name, 3).acquire(2, tck.awaitTimeout());
        HistoryRecorder.Hold cutHold = history.acquired("holder", name, cut.fencingToken(), 2, 3, asked);
        AtomicReference<Stamp> lost = new AtomicReference<>();
        cut.onLost((h, reason) -> {
            cutHold.lost();
            lost.compareAndSet(null, tck.stamp());
        });
        asked = history.asking();
        SemaphoreHandle steady = semaphore(tck, "steady", name, 3).acquire(tck.awaitTimeout());
        HistoryRecorder.Hold steadyHold = history.acquired("steady", name, steady.fencingToken(), 1, 3, asked);
        AtomicReference<Stamp> acquired = new AtomicReference<>();
        long waiterAsked = history.asking();
        AtomicReference<HistoryRecorder.Hold> waiterHold = new AtomicReference<>();
        // Done once the acquisition is stamped and recorded.
        CompletableFuture<SemaphoreHandle> waiter = semaphore(tck, "waiter", name, 3)
                .acquireAsync(2)
                .whenComplete((h, e) -> {
                    if (h != null) {
                        waiterHold.set(history.acquired("waiter", name, h.fencingToken(), 2, 3, waiterAsked));
                    }
                    acquired.compareAndSet(null, tck.stamp());
                });
        tck.awaitKeyCount(3, "the waiter queued behind the holders");
        Stamp cutAt = tck.stamp();
        holder.backend().partition();
        tck.passTimeUntil(
                tck.env().sessionTtl().plus(tck.livenessSlack()),
                waiter::isDone,
                "the waiter to get the cut-off holder's permits within the session TTL plus slack");
        SemaphoreHandle next = waiter.join();
        assertThat(lost.get()).as("the cut-off holder's loss notice").isNotNull();
        assertThat(lost.get().seq())
                .as("loss notice against the waiter's acquisition")
                .isLessThan(acquired.get().seq());
        tck.report(
                "semaphore cut-off",
                "holder told %d ms after the cut, waiter acquired %d ms after it (session TTL %d ms)",
                Duration.ofNanos(lost.get().nanos() - cutAt.nanos()).toMillis(),
                Duration.ofNanos(acquired.get().nanos() - cutAt.nanos()).toMillis(),
                tck.env().sessionTtl().toMillis());
        assertThat(cut.isValid()).isFalse();
        assertThat(steady.isValid()).as("the holder that was not cut off").isTrue();
        assertThat(next.fencingToken()).isGreaterThan(steady.fencingToken());
        waiterHold.get().releasing();
        next.close();
        steadyHold.releasing();
        steady.close();
        HistoryChecker.Report report = history.check();
        tck.report("semaphore cut-off history", "%s", report.summary());
        report.assertValid();
        assertThat(report.lossesChecked())
                .as("the cut-off hold, against the acquisition that took its permits")
                .isEqualTo(1);
        tck.assertNoKeysLeft("after release and the cut-off holder's expiry");
    }

    private static DistributedSemaphore semaphore(TckHarness tck, String client, String name, int limit) {
        return tck.newClient(client).coordinator().semaphore(name, limit);
    }

    private static long watches(TckClient client) {
        return client.backend().calls(FaultInjectingBackend.Call.WATCH);
    }

    private static long calls(TckHarness tck, FaultInjectingBackend.Call... calls) {
        long sum = 0;
        for (TckClient client : tck.clients()) {
            sum += client.backend().calls(calls);
        }
        return sum;
    }
}
