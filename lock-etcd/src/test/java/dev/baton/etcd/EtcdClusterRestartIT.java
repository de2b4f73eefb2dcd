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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 3, test e: stop every member of a 3-member cluster (SIGKILL) while a lock is held and another client waits,
 * then start them again on their data dirs. After a short outage the holder may still hold the lock; after one longer
 * than the session TTL it must have been told that it lost it; in both cases the history checker must find no two
 * holders at once, and the waiter gets the lock once the holder released or lost it.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 150)
class EtcdClusterRestartIT {
    private static final Duration SESSION_TTL = Duration.ofSeconds(3);

    @Test
    void whole_cluster_restart_while_held_leaves_the_holder_holding_or_told_and_never_two_holders() throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        try (EtcdCluster cluster = EtcdCluster.start(3)) {
            trial(cluster, recorder, 0, Duration.ofMillis(200));
            trial(cluster, recorder, 1, SESSION_TTL.multipliedBy(2));
        }
        HistoryChecker.Report report = recorder.check();
        Figures.print("cluster restart", "2 trials: %s", report.summary());
        report.assertValid();
        assertThat(report.overlaps()).isZero();
    }

    private static void trial(EtcdCluster cluster, HistoryRecorder recorder, int trial, Duration down)
            throws Exception {
        String name = "restart-" + trial;
        try (Coordinator holder = cluster.builder("restart-it")
                        .coordinatorBuilder()
                        .sessionTtl(SESSION_TTL)
                        .build();
                Coordinator waiter = cluster.builder("restart-it")
                        .coordinatorBuilder()
                        .sessionTtl(SESSION_TTL)
                        .build()) {
            LockHandle held = holder.lock(name).acquire(Duration.ofSeconds(10));
            HistoryRecorder.Hold hold = recorder.acquired("holder", name, held.fencingToken());
            held.onLost((h, reason) -> hold.lost());
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<HistoryRecorder.Hold> next = new CompletableFuture<>();
            DistributedLock waiterLock = waiter.lock(name);
            Thread waiting = new Thread(() -> waitFor(waiterLock, name, recorder, stop, next), "restart-it-waiter");
            waiting.setDaemon(true);
            waiting.start();
            Awaitility.await("the waiter queued")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> cluster.keys("restart-it/").size() == 2);

            long stoppedAt = recorder.now();
            for (int i = 0; i < cluster.size(); i++) {
                cluster.kill(i);
            }
            Thread.sleep(down.toMillis());
            for (int i = 0; i < cluster.size(); i++) {
                cluster.restart(i);
            }
            cluster.awaitHealthy(Duration.ofSeconds(30));
            long restartedAt = recorder.now();
            // Give the holder's session time to either renew or pass its deadline.
            Thread.sleep(SESSION_TTL.toMillis());
            boolean kept = held.isValid();
            assertThat(next)
                    .as("trial %d: the waiter while the holder still holds", trial)
                    .satisfies(f -> {
                        if (kept) {
                            assertThat(f).isNotDone();
                        }
                    });
            if (kept) {
                hold.releasing();
                held.close();
            }
            HistoryRecorder.Hold second = next.get(30, TimeUnit.SECONDS);
            HoldRecord first = hold.toRecord();
            long acquiredAt = second.toRecord().acquiredNanos();
            if (!kept) {
                assertThat(first.lostNanos())
                        .as("trial %d: the holder that no longer holds was told", trial)
                        .isPresent();
                assertThat(first.lostNanos().getAsLong()).isLessThan(acquiredAt);
            }
            Figures.print(
                    "cluster restart",
                    "trial %d: all 3 members down %d ms (restart took %d ms in all); holder %s; waiter acquired %d ms"
                            + " after the restart (session TTL %d ms)",
                    trial,
                    down.toMillis(),
                    TimeUnit.NANOSECONDS.toMillis(restartedAt - stoppedAt),
                    kept
                            ? "still held the lock and released it"
                            : "was told it lost the lock "
                                    + TimeUnit.NANOSECONDS.toMillis(
                                            first.lostNanos().getAsLong() - stoppedAt)
                                    + " ms after the stop",
                    TimeUnit.NANOSECONDS.toMillis(acquiredAt - restartedAt),
                    SESSION_TTL.toMillis());
            if (trial == 1) {
                assertThat(kept)
                        .as("holder after an outage of twice the session TTL")
                        .isFalse();
            }
            second.releasing();
            stop.set(true);
            waiting.join(10_000);
            held.close();
        }
    }

    private static void waitFor(
            DistributedLock lock,
            String name,
            HistoryRecorder recorder,
            AtomicBoolean stop,
            CompletableFuture<HistoryRecorder.Hold> result) {
        while (!stop.get()) {
            try {
                LockHandle handle = lock.acquire(Duration.ofSeconds(60));
                HistoryRecorder.Hold hold = recorder.acquired("waiter", name, handle.fencingToken());
                handle.onLost((h, reason) -> hold.lost());
                result.complete(hold);
                while (!stop.get()) {
                    Thread.onSpinWait();
                    Thread.sleep(5);
                }
                handle.close();
                return;
            } catch (LockLostException | BackendUnavailableException | LockAcquisitionTimeoutException e) {
                try {
                    Thread.sleep(100); // the cluster is down or the waiter's session was lost: try again
                } catch (InterruptedException interrupted) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
