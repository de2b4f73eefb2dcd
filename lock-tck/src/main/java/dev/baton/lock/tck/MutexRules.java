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

import dev.baton.lock.Acquirable;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.LossReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The mutex rules: one holder at a time across coordinators (checked by the history checker under load),
 * fencing tokens that strictly increase across hand-overs, expiry and session loss, FIFO hand-over that wakes only the
 * next waiter, {@code tryAcquire}/{@code acquireAsync} semantics, and no orphan or stolen lock when an acknowledgement
 * or a release answer is lost.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface MutexRules extends TckRules {
    /**
     * Mutex: excludes concurrent holders across coordinators.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    @TckTimeout(seconds = 180)
    default void mutex_excludes_concurrent_holders_across_coordinators() throws Exception {
        TckHarness tck = tck();
        int coordinators = 3;
        int threadsPerCoordinator = 4;
        int acquisitionsPerThread = 167;
        String name = tck.name("exclusion");
        HistoryRecorder recorder = new HistoryRecorder();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        Scenarios.Contention run = Scenarios.contend(tck, coordinators, threadsPerCoordinator, (client, label, w) -> {
            DistributedLock lock = client.coordinator().lock(name);
            for (int i = 0; i < acquisitionsPerThread; i++) {
                LockHandle handle = lock.acquire(tck.awaitTimeout());
                HistoryRecorder.Hold hold = recorder.acquired(label, name, handle.fencingToken());
                handle.onLost((h, reason) -> hold.lost());
                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                // Widen the critical section so that a second holder, if the lock lets one in, is seen.
                Thread.yield();
                inside.decrementAndGet();
                hold.releasing();
                handle.close();
            }
            return acquisitionsPerThread;
        });
        int total = run.acquisitions();
        long elapsedMillis = run.elapsedMillis();
        HistoryChecker.Report report = recorder.check();
        tck.report(
                "mutex exclusion",
                "%d coordinators x %d threads: %s, elapsed %d ms (%.0f acquisitions/s)",
                coordinators,
                threadsPerCoordinator,
                report.summary(),
                elapsedMillis,
                total * 1000.0 / Math.max(1, elapsedMillis));
        report.assertValid();
        assertThat(report.acquisitionsChecked()).isEqualTo(total).isGreaterThanOrEqualTo(2000);
        assertThat(maxInside.get())
                .as("holders inside the critical section at once")
                .isEqualTo(1);
        tck.assertNoKeysLeft("after every holder released");
    }

    /**
     * Mutex: fencing tokens strictly increase across acquisitions and coordinators.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void mutex_fencing_tokens_strictly_increase_across_acquisitions_and_coordinators() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("tokens");
        List<DistributedLock> locks = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            locks.add(tck.newClient("c" + c).coordinator().lock(name));
        }
        long last = 0;
        for (int i = 0; i < 30; i++) {
            LockHandle handle = locks.get(i % 3).tryAcquire().orElseThrow(() -> new AssertionError("free lock"));
            assertThat(handle.fencingToken())
                    .as("token of acquisition %d (coordinator %d)", i, i % 3)
                    .isPositive()
                    .isGreaterThan(last);
            last = handle.fencingToken();
            if (i % 5 == 4) {
                // Hand over to a waiter instead of a fresh acquisition now and then.
                CompletableFuture<LockHandle> waiting = locks.get((i + 1) % 3).acquireAsync();
                tck.awaitKeyCount(2, "the waiter queued behind the holder");
                handle.close();
                LockHandle next = tck.awaitDone(waiting, "the waiter to acquire after the release");
                assertThat(next.fencingToken()).as("token handed to the waiter").isGreaterThan(last);
                last = next.fencingToken();
                next.close();
            } else {
                handle.close();
            }
        }
        tck.assertNoKeysLeft("after the last release");
    }

    /**
     * Mutex: fencing tokens increase across release expiry and session loss.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void mutex_fencing_tokens_increase_across_release_expiry_and_session_loss() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("tokens-faults");
        TckClient a = tck.newClient("a");
        TckClient b = tck.newClient("b");
        TckClient c = tck.newClient("c");
        LockHandle released = a.coordinator().lock(name).acquire(tck.awaitTimeout());
        long t1 = released.fencingToken();
        released.close();

        LockHandle expiring = b.coordinator()
                .lock(name, LockOptions.ttl(tck.env().shortTtl()))
                .acquire(tck.awaitTimeout());
        long t2 = expiring.fencingToken();
        assertThat(t2).as("token after a release").isGreaterThan(t1);
        tck.passTimeUntil(
                tck.env().shortTtl().plus(tck.livenessSlack()), () -> !expiring.isValid(), "the TTL lock to expire");

        LockHandle afterExpiry = tck.acquireEventually(
                a.coordinator().lease(name, tck.env().shortTtl()),
                tck.env().shortTtl(),
                "the lease after the TTL lock expired");
        long t3 = afterExpiry.fencingToken();
        assertThat(t3).as("token after an expiry").isGreaterThan(t2);
        afterExpiry.close();

        LockHandle cutOff = a.coordinator().lock(name).acquire(tck.awaitTimeout());
        long t4 = cutOff.fencingToken();
        assertThat(t4).as("token of a later acquisition").isGreaterThan(t3);
        CompletableFuture<LockHandle> waiting = c.coordinator().lock(name).acquireAsync();
        tck.awaitKeyCount(2, "the waiter queued behind the holder");
        a.backend().partition();
        tck.passTimeUntil(
                tck.env().sessionTtl().plus(tck.livenessSlack()),
                waiting::isDone,
                "the waiter to acquire after session loss");
        LockHandle afterLoss = waiting.join();
        assertThat(afterLoss.fencingToken())
                .as("token after the holder's session was lost")
                .isGreaterThan(t4);
        afterLoss.close();
    }

    /**
     * Mutex: serves waiters in fifo order.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void mutex_serves_waiters_in_fifo_order() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("fifo");
        int waiters = 5;
        LockHandle current = tck.newClient("holder").coordinator().lock(name).acquire(tck.awaitTimeout());
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<LockHandle>> futures = queueWaiters(name, waiters, order);
        for (int i = 0; i < waiters; i++) {
            long previousToken = current.fencingToken();
            current.close();
            current = awaitNextInLine(futures, i);
            assertThat(current.fencingToken()).as("token of waiter %d", i).isGreaterThan(previousToken);
        }
        current.close();
        assertThat(order).as("order in which the waiters acquired").containsExactly(0, 1, 2, 3, 4);
        tck.assertNoKeysLeft("after the last waiter released");
    }

    /**
     * Mutex: release wakes only the next waiter.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void mutex_release_wakes_only_the_next_waiter() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("no-herd");
        int waiters = 6;
        LockHandle current = tck.newClient("holder").coordinator().lock(name).acquire(tck.awaitTimeout());
        List<CompletableFuture<LockHandle>> futures =
                queueWaiters(name, waiters, Collections.synchronizedList(new ArrayList<>()));
        List<Long> rechecksPerHandoff = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            long before = readCalls();
            current.close();
            current = awaitNextInLine(futures, i);
            rechecksPerHandoff.add(readCalls() - before);
        }
        current.close();
        tck.report(
                "no herd",
                "list+get calls per hand-off with %d..0 waiters queued behind: %s",
                waiters - 1,
                rechecksPerHandoff);
        long withMostWaiters = rechecksPerHandoff.get(0);
        long withNone = rechecksPerHandoff.get(waiters - 1);
        assertThat(withMostWaiters)
                .as(
                        "list+get calls of a hand-off with %d waiters behind, against %d with none behind (all: %s):"
                                + " a release must wake only the next waiter",
                        waiters - 1, withNone, rechecksPerHandoff)
                .isLessThanOrEqualTo(withNone + 1);
        tck.assertNoKeysLeft("after the last waiter released");
    }

    /**
     * Mutex: try acquire returns empty at once while held and leaves nothing behind.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void mutex_try_acquire_returns_empty_at_once_while_held_and_leaves_nothing_behind() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("try");
        LockHandle held = tck.newClient("a").coordinator().lock(name).acquire(tck.awaitTimeout());
        DistributedLock other = tck.newClient("b").coordinator().lock(name);
        assertThat(other.tryAcquire())
                .as("tryAcquire while another holds the lock")
                .isEmpty();
        assertThat(tck.env().keysOnServer()).as("keys after a lost tryAcquire").hasSize(1);
        held.close();
        LockHandle mine = other.tryAcquire().orElseThrow(() -> new AssertionError("tryAcquire of a free lock"));
        assertThat(mine.fencingToken()).isGreaterThan(held.fencingToken());
        mine.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Mutex: async acquire completes when the holder releases.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void mutex_async_acquire_completes_when_the_holder_releases() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("async");
        LockHandle held = tck.newClient("a").coordinator().lock(name).acquire(tck.awaitTimeout());
        CompletableFuture<LockHandle> waiting =
                tck.newClient("b").coordinator().lock(name).acquireAsync();
        tck.awaitKeyCount(2, "the async waiter queued");
        assertThat(waiting).as("async acquisition while held").isNotDone();
        held.close();
        LockHandle next = tck.awaitDone(waiting, "the async waiter after the release");
        assertThat(next.isValid()).isTrue();
        assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        next.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Mutex: handle reports its state and close is idempotent.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void mutex_handle_reports_its_state_and_close_is_idempotent() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("handle");
        LockHandle handle = tck.newClient("a").coordinator().lock(name).acquire(tck.awaitTimeout());
        List<LossReason> losses = new CopyOnWriteArrayList<>();
        handle.onLost((h, reason) -> losses.add(reason));
        assertThat(handle.name()).isEqualTo(name);
        assertThat(handle.fencingToken()).isPositive();
        assertThat(handle.isValid()).isTrue();
        assertThat(handle.remaining())
                .isPositive()
                .isLessThanOrEqualTo(tck.env().sessionTtl());
        handle.close();
        assertThat(handle.isValid()).as("valid after close").isFalse();
        assertThat(handle.remaining()).isEqualTo(Duration.ZERO);
        handle.close();
        tck.assertNoKeysLeft("after release");
        assertThat(losses)
                .as("loss listener calls after the holder's own release")
                .isEmpty();
    }

    /**
     * Mutex: ttl lock and lease of one name exclude each other.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void mutex_ttl_lock_and_lease_of_one_name_exclude_each_other() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("kinds");
        Coordinator a = tck.newClient("a").coordinator();
        Coordinator b = tck.newClient("b").coordinator();
        List<Acquirable<?>> mine = List.of(
                a.lock(name),
                a.lock(name, LockOptions.ttl(tck.env().shortTtl())),
                a.lease(name, tck.env().shortTtl()));
        List<Acquirable<?>> theirs = List.of(
                b.lock(name),
                b.lock(name, LockOptions.ttl(tck.env().shortTtl())),
                b.lease(name, tck.env().shortTtl()));
        for (Acquirable<?> held : mine) {
            LockHandle handle = held.tryAcquire().orElseThrow(() -> new AssertionError("free lock"));
            for (Acquirable<?> other : theirs) {
                assertThat(other.tryAcquire())
                        .as("another kind of lock of the same name while one is held")
                        .isEmpty();
            }
            handle.close();
        }
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Mutex: lost create acknowledgement leaves no orphan holding the lock.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void mutex_lost_create_acknowledgement_leaves_no_orphan_holding_the_lock() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("lost-create");
        TckClient a = tck.newClient("a");
        TckClient b = tck.newClient("b");
        a.backend().failNextCreateAfterWrite();
        CompletableFuture<LockHandle> first = a.coordinator().lock(name).acquireAsync();
        tck.passTimeUntil(
                tck.env().sessionTtl(), first::isDone, "the acquisition whose acknowledgement was lost to finish");
        Throwable failure = TckHarness.failureOf(first);
        tck.report("lost acknowledgement", "the acquisition %s", failure == null ? "recovered and acquired" : "failed");
        if (failure == null) {
            first.join().close();
        } else {
            assertThat(failure)
                    .as("failure of an acquisition whose acknowledgement was lost")
                    .isInstanceOf(BackendUnavailableException.class);
        }
        CompletableFuture<LockHandle> second = b.coordinator().lock(name).acquireAsync();
        tck.passTimeUntil(
                tck.env().sessionTtl().plus(tck.livenessSlack()),
                second::isDone,
                "another coordinator to acquire after a lost acknowledgement (an orphan entry holds the lock?)");
        LockHandle handle = second.join();
        handle.close();
        tck.assertNoKeysLeft("after a lost acknowledgement and a later release");
    }

    /**
     * Mutex: lost release answer never frees another holders lock.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void mutex_lost_release_answer_never_frees_another_holders_lock() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("lost-release");
        TckClient a = tck.newClient("a");
        TckClient b = tck.newClient("b");
        TckClient c = tck.newClient("c");
        LockHandle first = a.coordinator().lock(name).acquire(tck.awaitTimeout());
        a.backend().failNextDeleteAfterWrite();
        first.close();
        assertThat(first.isValid())
                .as("handle valid after a release whose answer was lost")
                .isFalse();
        LockHandle second =
                tck.acquireEventually(b.coordinator().lock(name), tck.env().sessionTtl(), "the next holder");
        // Give a's background retry of the removal every chance to run, and to do harm if it can.
        tck.passTime(tck.env().sessionTtl());
        assertThat(second.isValid())
                .as("the next holder's handle after the old holder's retried release")
                .isTrue();
        assertThat(c.coordinator().lock(name).tryAcquire())
                .as("a third coordinator's tryAcquire while the next holder holds the lock")
                .isEmpty();
        assertThat(tck.env().keysOnServer())
                .as("keys while the next holder holds the lock")
                .hasSize(1);
        second.close();
        tck.assertNoKeysLeft("after both released");
    }

    private List<CompletableFuture<LockHandle>> queueWaiters(String name, int count, List<Integer> order) {
        TckHarness tck = tck();
        List<CompletableFuture<LockHandle>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            // The future that completes after the order is noted, so the test never reads the order ahead of it.
            futures.add(tck.newClient("waiter-" + i)
                    .coordinator()
                    .lock(name)
                    .acquireAsync()
                    .whenComplete((h, e) -> {
                        if (e == null) {
                            order.add(index);
                        }
                    }));
            // Start the next waiter only once this one's entry is on the server, so the queue order is known.
            tck.awaitKeyCount(i + 2, "waiter " + i + " queued");
        }
        return futures;
    }

    private LockHandle awaitNextInLine(List<CompletableFuture<LockHandle>> futures, int next) throws Exception {
        TckHarness tck = tck();
        List<CompletableFuture<LockHandle>> remaining = futures.subList(next, futures.size());
        tck.await("a waiter to acquire after the release")
                .until(() -> remaining.stream().anyMatch(CompletableFuture::isDone));
        List<Integer> done = new ArrayList<>();
        for (int i = next; i < futures.size(); i++) {
            if (futures.get(i).isDone()) {
                done.add(i);
            }
        }
        assertThat(done)
                .as("waiters done after the release that should wake waiter %d only", next)
                .containsExactly(next);
        return futures.get(next).get();
    }

    private long readCalls() {
        long sum = 0;
        for (TckClient client : tck().clients()) {
            sum += client.backend().calls(FaultInjectingBackend.Call.LIST, FaultInjectingBackend.Call.GET);
        }
        return sum;
    }
}
