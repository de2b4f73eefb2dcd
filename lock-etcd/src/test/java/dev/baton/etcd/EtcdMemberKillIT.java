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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 3, test a: on a 3-member cluster, kill the member the clients are connected to (the leader, so that the
 * cluster also elects a new one) while six workers on three coordinators contend for one lock. Every client lists
 * the victim first and uses gRPC's pick-first policy, so all its traffic goes to the victim until it dies. The
 * history checker must find no overlapping holds and the acquisitions must go on after the kill; the longest stall
 * between two acquisitions is reported against the session TTL.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 120)
class EtcdMemberKillIT {
    private static final Duration SESSION_TTL = Duration.ofSeconds(2);
    private static final Duration BEFORE_KILL = Duration.ofSeconds(3);
    private static final Duration AFTER_KILL = Duration.ofSeconds(8);

    @Test
    void killing_the_connected_member_during_contention_keeps_exclusion_and_acquisitions_continue() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(3)) {
            int victim = cluster.leader();
            assertThat(victim).as("leader of the fresh cluster").isGreaterThanOrEqualTo(0);
            List<String> ordered = new ArrayList<>();
            ordered.add(cluster.endpoint(victim));
            for (int i = 0; i < cluster.size(); i++) {
                if (i != victim) {
                    ordered.add(cluster.endpoint(i));
                }
            }
            HistoryRecorder recorder = new HistoryRecorder();
            String name = "kill-contended";
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger failures = new AtomicInteger();
            List<String> failureKinds = new CopyOnWriteArrayList<>();
            List<Client> clients = new ArrayList<>();
            List<Coordinator> coordinators = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            try {
                for (int c = 0; c < 3; c++) {
                    Client client = Client.builder()
                            .endpoints(ordered.toArray(new String[0]))
                            .loadBalancerPolicy("pick_first")
                            .waitForReady(false)
                            .build();
                    clients.add(client);
                    Coordinator coordinator = EtcdBackend.builder()
                            .client(client)
                            .namespace("kill-it")
                            .minimumTtl(EtcdCluster.MINIMUM_TTL)
                            .requestTimeout(Duration.ofSeconds(2))
                            .coordinatorBuilder()
                            .sessionTtl(SESSION_TTL)
                            .build();
                    coordinators.add(coordinator);
                    for (int t = 0; t < 2; t++) {
                        String label = "c" + c + "-t" + t;
                        DistributedLock lock = coordinator.lock(name);
                        Thread worker = new Thread(
                                () -> contend(lock, label, recorder, stop, failures, failureKinds), "kill-it-" + label);
                        worker.setDaemon(true);
                        workers.add(worker);
                    }
                }
                workers.forEach(Thread::start);
                Thread.sleep(BEFORE_KILL.toMillis());
                long killedAt = recorder.now();
                cluster.kill(victim);
                Thread.sleep(AFTER_KILL.toMillis());
                stop.set(true);
                for (Thread worker : workers) {
                    worker.join(TimeUnit.SECONDS.toMillis(30));
                    assertThat(worker.isAlive())
                            .as("%s still running", worker.getName())
                            .isFalse();
                }

                List<HoldRecord> history = recorder.history();
                HistoryChecker.Report report = HistoryChecker.check(history);
                long[] acquired = history.stream()
                        .mapToLong(HoldRecord::acquiredNanos)
                        .sorted()
                        .toArray();
                long longestStall = HistoryChecker.longestGapBetweenAcquisitions(history);
                long afterKill =
                        Arrays.stream(acquired).filter(a -> a > killedAt).count();
                long firstAfterKill = Arrays.stream(acquired)
                        .filter(a -> a > killedAt)
                        .findFirst()
                        .orElse(Long.MAX_VALUE);
                Figures.print(
                        "member kill",
                        "killed leader m%d (every client's connected member) during contention: %s",
                        victim,
                        report.summary());
                Figures.print(
                        "member kill",
                        "%d acquisitions after the kill; first one %d ms after it; longest stall between acquisitions"
                                + " %d ms (session TTL %d ms, election timeout %d ms); %d failed attempts retried (%s)",
                        afterKill,
                        TimeUnit.NANOSECONDS.toMillis(firstAfterKill - killedAt),
                        TimeUnit.NANOSECONDS.toMillis(longestStall),
                        SESSION_TTL.toMillis(),
                        EtcdCluster.ELECTION_TIMEOUT.toMillis(),
                        failures.get(),
                        failureKinds.stream().distinct().collect(Collectors.joining(", ")));
                report.assertValid();
                assertThat(report.overlaps()).isZero();
                assertThat(afterKill).as("acquisitions after the kill").isGreaterThanOrEqualTo(10);
            } finally {
                stop.set(true);
                for (Thread worker : workers) {
                    worker.interrupt();
                }
                coordinators.forEach(Coordinator::close);
                clients.forEach(Client::close);
            }
        }
    }

    private static void contend(
            DistributedLock lock,
            String label,
            HistoryRecorder recorder,
            AtomicBoolean stop,
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
            HistoryRecorder.Hold hold = recorder.acquired(label, "kill-contended", handle.fencingToken());
            handle.onLost((h, reason) -> hold.lost());
            Thread.onSpinWait();
            hold.releasing();
            handle.close();
        }
    }
}
