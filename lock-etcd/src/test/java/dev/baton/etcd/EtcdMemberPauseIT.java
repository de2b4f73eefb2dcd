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
package dev.baton.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockLostException;
import dev.baton.lock.tck.HistoryChecker;
import dev.baton.lock.tck.HistoryRecorder;
import dev.baton.lock.tck.HoldRecord;
import dev.baton.lock.tck.TckTimeout;
import dev.baton.lock.tck.TckTimeoutExtension;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Server paused: on a 3-member cluster, SIGSTOP the raft leader while three coordinators contend for one lock under
 * the history checker, and SIGCONT it after longer than the session TTL. One coordinator (the "paused side") talks
 * only to the leader (pick-first, leader listed first): a stopped process keeps its sockets open and answers nothing,
 * so that client notices only by its own deadlines. The other two talk to the two followers, which elect a new
 * leader. When the pause begins, a paused-side thread holds the lock and keeps it; the followers' side is queued
 * behind it.
 *
 * <p>Asserted: no overlapping holds and strictly increasing tokens over the whole run; the followers' side goes on
 * acquiring while the leader is stopped and after it resumes; and the paused-side holder is told of its loss before
 * anyone else's acquire returns (by the recorder's timestamps). Negative control: the same history with that loss
 * notice removed (a client that trusts its lock until it hears from the server again) shows the overlap.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 120)
class EtcdMemberPauseIT {
    private static final Duration SESSION_TTL = Duration.ofSeconds(2);
    private static final Duration BEFORE_PAUSE = Duration.ofSeconds(2);
    /** The leader stays stopped at least this long: longer than the session TTL, as the fault requires. */
    private static final Duration MINIMUM_PAUSE = SESSION_TTL.plusSeconds(1);
    /** ... and at least this long after the followers' side took over, to see acquisitions go on meanwhile. */
    private static final Duration STOPPED_AFTER_HANDOVER = Duration.ofSeconds(1);

    private static final Duration AFTER_RESUME = Duration.ofSeconds(3);
    private static final String NAME = "pause-contended";

    @Test
    void pausing_the_leader_longer_than_the_ttl_keeps_exclusion_and_tells_its_holder_first() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(3)) {
            int victim = cluster.leader();
            assertThat(victim).as("leader of the fresh cluster").isGreaterThanOrEqualTo(0);
            List<Integer> followers = new ArrayList<>();
            for (int i = 0; i < cluster.size(); i++) {
                if (i != victim) {
                    followers.add(i);
                }
            }
            HistoryRecorder recorder = new HistoryRecorder();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean keepNextHold = new AtomicBoolean();
            CompletableFuture<HistoryRecorder.Hold> kept = new CompletableFuture<>();
            AtomicInteger failures = new AtomicInteger();
            List<String> failureKinds = new CopyOnWriteArrayList<>();
            List<Client> clients = new ArrayList<>();
            List<Coordinator> coordinators = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            try {
                // c0 talks to the leader only; c1 and c2 each to one follower first.
                int[] firstMember = {victim, followers.get(0), followers.get(1)};
                for (int c = 0; c < 3; c++) {
                    List<String> ordered = new ArrayList<>();
                    ordered.add(cluster.endpoint(firstMember[c]));
                    for (int i = 0; i < cluster.size(); i++) {
                        if (i != firstMember[c]) {
                            ordered.add(cluster.endpoint(i));
                        }
                    }
                    Client client = Client.builder()
                            .endpoints(ordered.toArray(new String[0]))
                            .loadBalancerPolicy("pick_first")
                            .waitForReady(false)
                            .build();
                    clients.add(client);
                    Coordinator coordinator = EtcdBackend.builder()
                            .client(client)
                            .namespace("pause-it")
                            .minimumTtl(EtcdCluster.MINIMUM_TTL)
                            .requestTimeout(Duration.ofSeconds(2))
                            .coordinatorBuilder()
                            .sessionTtl(SESSION_TTL)
                            .build();
                    coordinators.add(coordinator);
                    for (int t = 0; t < 2; t++) {
                        String label = (c == 0 ? "paused-side" : "follower-side") + "-c" + c + "-t" + t;
                        DistributedLock lock = coordinator.lock(NAME);
                        boolean keeper = c == 0 && t == 0;
                        Thread worker = new Thread(
                                () -> contend(
                                        lock,
                                        label,
                                        recorder,
                                        stop,
                                        keeper ? keepNextHold : null,
                                        kept,
                                        failures,
                                        failureKinds),
                                "pause-it-" + label);
                        worker.setDaemon(true);
                        workers.add(worker);
                    }
                }
                workers.forEach(Thread::start);
                Thread.sleep(BEFORE_PAUSE.toMillis());

                // Let the paused-side thread take the lock and keep it, then stop the member it talks to.
                keepNextHold.set(true);
                HistoryRecorder.Hold held = kept.get(30, TimeUnit.SECONDS);
                long pausedAt = recorder.now();
                cluster.pause(victim);
                Awaitility.await("the followers' side acquired while the leader is stopped")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> firstAcquisitionAfter(recorder.history(), pausedAt, "follower-side")
                                .isPresent());
                long takenOver = firstAcquisitionAfter(recorder.history(), pausedAt, "follower-side")
                        .getAsLong();
                long resumeAt =
                        Math.max(pausedAt + MINIMUM_PAUSE.toNanos(), takenOver + STOPPED_AFTER_HANDOVER.toNanos());
                long remaining = resumeAt - recorder.now();
                if (remaining > 0) {
                    // The fault's length, not a synchronisation: keep the member stopped past the TTL.
                    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(remaining) + 1);
                }
                long resumedAt = recorder.now();
                cluster.resume(victim);
                Thread.sleep(AFTER_RESUME.toMillis());
                stop.set(true);
                for (Thread worker : workers) {
                    worker.join(TimeUnit.SECONDS.toMillis(30));
                    assertThat(worker.isAlive())
                            .as("%s still running", worker.getName())
                            .isFalse();
                }

                List<HoldRecord> history = recorder.history();
                HistoryChecker.Report report = HistoryChecker.check(history);
                HoldRecord keptRecord = held.toRecord();
                long handover = firstAcquisitionAfter(history, pausedAt, "").getAsLong();
                long longestStall = HistoryChecker.longestGapBetweenAcquisitions(history);
                long whilePaused = history.stream()
                        .filter(h -> h.acquiredNanos() > pausedAt && h.acquiredNanos() < resumedAt)
                        .count();
                long afterResume = history.stream()
                        .filter(h -> h.acquiredNanos() > resumedAt)
                        .count();
                long pausedSideAfterResume = history.stream()
                        .filter(h -> h.acquiredNanos() > resumedAt && h.client().startsWith("paused-side"))
                        .count();
                Figures.print(
                        "member pause",
                        "SIGSTOP of leader m%d for %d ms (session TTL %d ms, election timeout %d ms): %s",
                        victim,
                        TimeUnit.NANOSECONDS.toMillis(resumedAt - pausedAt),
                        SESSION_TTL.toMillis(),
                        EtcdCluster.ELECTION_TIMEOUT.toMillis(),
                        report.summary());
                Figures.print(
                        "member pause",
                        "holder on the stopped member told %s ms after SIGSTOP; next holder (%s) acquired %d ms after"
                                + " SIGSTOP; loss before handover %s",
                        keptRecord.lostNanos().isPresent()
                                ? Long.toString(TimeUnit.NANOSECONDS.toMillis(
                                        keptRecord.lostNanos().getAsLong() - pausedAt))
                                : "never",
                        history.stream()
                                .filter(h -> h.acquiredNanos() == handover)
                                .findFirst()
                                .map(HoldRecord::client)
                                .orElse("?"),
                        TimeUnit.NANOSECONDS.toMillis(handover - pausedAt),
                        keptRecord.lostNanos().isPresent()
                                        && keptRecord.lostNanos().getAsLong() < handover
                                ? "yes"
                                : "NO");
                Figures.print(
                        "member pause",
                        "%d acquisitions while stopped, %d after SIGCONT (%d by the paused side); longest stall"
                                + " between acquisitions %d ms; %d failed attempts retried (%s)",
                        whilePaused,
                        afterResume,
                        pausedSideAfterResume,
                        TimeUnit.NANOSECONDS.toMillis(longestStall),
                        failures.get(),
                        failureKinds.stream().distinct().collect(Collectors.joining(", ")));

                report.assertValid();
                assertThat(report.overlaps()).isZero();
                assertThat(keptRecord.lostNanos())
                        .as("the holder on the stopped member was told of its loss")
                        .isPresent();
                assertThat(keptRecord.lostNanos().getAsLong())
                        .as("loss notice before the next holder's acquire returned")
                        .isLessThan(handover);
                assertThat(report.lossesChecked()).isGreaterThanOrEqualTo(1);
                assertThat(report.lossBeforeHandoverPercent()).isEqualTo(100.0);
                assertThat(whilePaused)
                        .as("acquisitions while the leader is stopped")
                        .isGreaterThanOrEqualTo(5);
                assertThat(afterResume).as("acquisitions after SIGCONT").isGreaterThanOrEqualTo(3);

                // Negative control: without its loss notice the stopped member's holder would have held on until
                // the member answered again, across the followers' side's acquisitions.
                List<HoldRecord> withoutNotice = new ArrayList<>();
                for (HoldRecord h : history) {
                    if (h.token() == keptRecord.token()) {
                        withoutNotice.add(new HoldRecord(
                                "holder without deadline",
                                h.lockName(),
                                h.token(),
                                h.acquiredNanos(),
                                OptionalLong.of(resumedAt),
                                OptionalLong.empty()));
                    } else {
                        withoutNotice.add(h);
                    }
                }
                HistoryChecker.Report control = HistoryChecker.check(withoutNotice);
                Figures.print("member pause", "negative control, holder without local deadline: %s", control.summary());
                assertThat(control.overlaps())
                        .as("overlaps seen without the deadline")
                        .isPositive();
            } finally {
                stop.set(true);
                cluster.resume(victim);
                for (Thread worker : workers) {
                    worker.interrupt();
                }
                coordinators.forEach(Coordinator::close);
                clients.forEach(Client::close);
            }
        }
    }

    /** The first acquisition after {@code after} by a client whose label starts with {@code prefix}. */
    private static OptionalLong firstAcquisitionAfter(List<HoldRecord> history, long after, String prefix) {
        return history.stream()
                .filter(h -> h.acquiredNanos() > after && h.client().startsWith(prefix))
                .mapToLong(HoldRecord::acquiredNanos)
                .min();
    }

    /**
     * Acquires and releases at once, in a loop; a thread given {@code keepNextHold} instead keeps the first hold it
     * gets after the flag is set, until the lock is lost (or the test stops), and reports it through {@code kept}.
     */
    private static void contend(
            DistributedLock lock,
            String label,
            HistoryRecorder recorder,
            AtomicBoolean stop,
            AtomicBoolean keepNextHold,
            CompletableFuture<HistoryRecorder.Hold> kept,
            AtomicInteger failures,
            List<String> failureKinds) {
        while (!stop.get()) {
            LockHandle handle;
            try {
                handle = lock.acquire(Duration.ofSeconds(10));
            } catch (BackendUnavailableException | LockLostException | LockAcquisitionTimeoutException e) {
                failures.incrementAndGet();
                failureKinds.add(e.getClass().getSimpleName());
                continue;
            } catch (InterruptedException e) {
                return;
            }
            HistoryRecorder.Hold hold = recorder.acquired(label, NAME, handle.fencingToken());
            CountDownLatch lost = new CountDownLatch(1);
            handle.onLost((h, why) -> {
                hold.lost();
                lost.countDown();
            });
            if (keepNextHold != null && keepNextHold.compareAndSet(true, false)) {
                kept.complete(hold);
                try {
                    while (!stop.get() && !lost.await(100, TimeUnit.MILLISECONDS)) {
                        // keep the lock until it is lost
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                Thread.onSpinWait();
            }
            hold.releasing();
            try {
                handle.close();
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                failureKinds.add("release: " + e.getClass().getSimpleName());
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
