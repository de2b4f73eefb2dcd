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

import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import dev.baton.lock.tck.HistoryChecker;
import dev.baton.lock.tck.HistoryRecorder;
import dev.baton.lock.tck.HoldRecord;
import dev.baton.lock.tck.TckTimeout;
import dev.baton.lock.tck.TckTimeoutExtension;
import dev.baton.lock.tck.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 3, test b: the holder's only way to etcd is a loopback TCP proxy owned by the test; the proxy is blackholed
 * (bytes stop, sockets stay open: a partition TCP does not notice) or cut (connections reset, new ones refused) for
 * longer than the session TTL, while a waiter connected directly is queued. In every trial the holder must be told of
 * its loss before the waiter's acquire returns, by the history checker's timestamps. Negative control: the same
 * history with the holder's loss notice removed (a client without the local deadline) must show an overlap.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 120)
class EtcdHolderCutOffIT {
    private static final Duration SESSION_TTL = Duration.ofSeconds(2);
    private static final int TRIALS = 4;

    private static EtcdCluster cluster;

    @BeforeAll
    static void startEtcd() {
        cluster = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void holder_cut_off_longer_than_the_ttl_is_told_before_another_client_acquires() throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        List<HoldRecord> withoutDeadline = new ArrayList<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            boolean blackhole = trial % 2 == 0;
            String name = "cut-off-" + trial;
            try (TcpProxy proxy = TcpProxy.start("127.0.0.1", cluster.clientPort(0));
                    Coordinator holder = EtcdBackend.builder()
                            .endpoints("http://" + proxy.address())
                            .namespace("cut-off-it")
                            .minimumTtl(EtcdCluster.MINIMUM_TTL)
                            .requestTimeout(Duration.ofSeconds(2))
                            .coordinatorBuilder()
                            .sessionTtl(SESSION_TTL)
                            .build();
                    Coordinator waiter = cluster.builder("cut-off-it")
                            .coordinatorBuilder()
                            .sessionTtl(SESSION_TTL)
                            .build()) {
                LockHandle held = holder.lock(name).acquire(Duration.ofSeconds(10));
                HistoryRecorder.Hold hold = recorder.acquired("holder", name, held.fencingToken());
                held.onLost((h, reason) -> hold.lost());
                CompletableFuture<LockHandle> next = waiter.lock(name).acquireAsync();
                long[] acquiredAt = new long[1];
                CompletableFuture<HistoryRecorder.Hold> nextHold = next.thenApply(h -> {
                    HistoryRecorder.Hold acquired = recorder.acquired("waiter", name, h.fencingToken());
                    acquiredAt[0] = acquired.toRecord().acquiredNanos();
                    return acquired;
                });
                Awaitility.await("the waiter queued behind the holder")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> cluster.keys("cut-off-it/").size() == 2);
                assertThat(next)
                        .as("trial %d: the waiter while the holder holds", trial)
                        .isNotDone();
                long cutAt = recorder.now();
                if (blackhole) {
                    proxy.blackhole();
                } else {
                    proxy.cut();
                }
                HistoryRecorder.Hold second = nextHold.get(30, TimeUnit.SECONDS);
                HoldRecord holderRecord = hold.toRecord();
                assertThat(holderRecord.lostNanos())
                        .as("trial %d: the cut-off holder was told of its loss", trial)
                        .isPresent();
                long lostAt = holderRecord.lostNanos().getAsLong();
                assertThat(lostAt)
                        .as("trial %d: loss notice before the waiter's acquire returned", trial)
                        .isLessThan(acquiredAt[0]);
                assertThat(held.isValid()).isFalse();
                Figures.print(
                        "holder cut off",
                        "trial %d (%s): holder told %d ms after the cut, waiter acquired %d ms after it, %d ms later"
                                + " (session TTL %d ms)",
                        trial,
                        blackhole ? "blackhole" : "reset",
                        TimeUnit.NANOSECONDS.toMillis(lostAt - cutAt),
                        TimeUnit.NANOSECONDS.toMillis(acquiredAt[0] - cutAt),
                        TimeUnit.NANOSECONDS.toMillis(acquiredAt[0] - lostAt),
                        SESSION_TTL.toMillis());
                second.releasing();
                next.join().close();
                proxy.heal();
                held.close();
                withoutDeadline.add(new HoldRecord(
                        "holder without deadline",
                        name,
                        holderRecord.token(),
                        holderRecord.acquiredNanos(),
                        OptionalLong.of(recorder.now()),
                        OptionalLong.empty()));
                withoutDeadline.add(second.toRecord());
            }
        }
        HistoryChecker.Report report = recorder.check();
        Figures.print("holder cut off", "%d trials: %s", TRIALS, report.summary());
        report.assertValid();
        assertThat(report.lossesChecked()).isEqualTo(TRIALS);
        assertThat(report.lossBeforeHandoverPercent()).isEqualTo(100.0);

        HistoryChecker.Report control = HistoryChecker.check(withoutDeadline);
        Figures.print("holder cut off", "negative control, holder without local deadline: %s", control.summary());
        assertThat(control.overlaps()).as("overlaps seen without the deadline").isEqualTo(TRIALS);
    }
}
