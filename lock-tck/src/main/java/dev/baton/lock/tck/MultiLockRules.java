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
import dev.baton.lock.DistributedMultiLock;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LossReason;
import dev.baton.lock.MultiLockHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The multi-lock rules: all or none, each name held by one holder at a time and no deadlock when multi-locks over
 * overlapping names, asked in different orders, contend ({@link HistoryChecker} over {@link
 * CheckedAcquisitions#count()} lock acquisitions or more); a timeout, a lost try or a cancellation releases what was
 * taken; losing one lock is losing all, told once; bad name lists are refused with nothing written.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface MultiLockRules extends TckRules {
    /**
     * Multi-lock: overlapping multi-locks asked in different orders neither overlap nor deadlock.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    @TckTimeout(seconds = 180)
    default void multilock_overlapping_sets_neither_overlap_nor_deadlock_under_contention() throws Exception {
        TckHarness tck = tck();
        int coordinators = 3;
        int threadsPerCoordinator = 2;
        int workers = coordinators * threadsPerCoordinator;
        // Each multi-lock acquisition holds two or three locks (2.5 on average): half as many multi-locks check at
        // least
        // CheckedAcquisitions.count() lock acquisitions.
        int perWorker = (CheckedAcquisitions.count() / 2 + workers - 1) / workers;
        String base = tck.name("multi");
        List<String> names = List.of(base + "-a", base + "-b", base + "-c", base + "-d");
        HistoryRecorder recorder = new HistoryRecorder();
        Scenarios.Contention run = Scenarios.contend(tck, coordinators, threadsPerCoordinator, (client, label, w) -> {
            for (int i = 0; i < perWorker; i++) {
                // Two or three names, given in an order that differs between workers: with locks taken in the order
                // given, two of these would deadlock.
                List<String> given = new ArrayList<>();
                int size = 2 + (i + w) % 2;
                for (int k = 0; k < size; k++) {
                    given.add(names.get((w + i + k * 3) % names.size()));
                }
                DistributedMultiLock lock = client.coordinator().multiLock(given.toArray(String[]::new));
                MultiLockHandle handle = lock.acquire(tck.awaitTimeout());
                List<HistoryRecorder.Hold> holds = new ArrayList<>();
                for (Map.Entry<String, Long> e : handle.fencingTokens().entrySet()) {
                    holds.add(recorder.acquired(label, e.getKey(), e.getValue()));
                }
                handle.onLost((h, reason) -> holds.forEach(HistoryRecorder.Hold::lost));
                assertThat(handle.fencingTokens().keySet())
                        .as("names held by a multi-lock of %s", given)
                        .containsExactlyInAnyOrderElementsOf(given);
                Thread.yield();
                holds.forEach(HistoryRecorder.Hold::releasing);
                handle.close();
            }
            return perWorker;
        });
        int total = run.acquisitions();
        long elapsedMillis = run.elapsedMillis();
        HistoryChecker.Report report = recorder.check();
        tck.report(
                "multi-lock exclusion",
                "%d coordinators x %d threads, %d multi-lock acquisitions over 4 names: %s, elapsed %d ms",
                coordinators,
                threadsPerCoordinator,
                total,
                report.summary(),
                elapsedMillis);
        report.assertValid();
        assertThat(report.acquisitionsChecked()).isGreaterThanOrEqualTo(CheckedAcquisitions.count());
        tck.assertNoKeysLeft("after every holder released");
    }

    /**
     * Multi-lock: a timeout releases what was taken, and names the lock not acquired.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void multilock_timeout_and_lost_try_release_what_was_taken() throws Exception {
        TckHarness tck = tck();
        String base = tck.name("multi-timeout");
        Coordinator a = tck.newClient("a").coordinator();
        Coordinator b = tck.newClient("b").coordinator();
        LockHandle middle = b.lock(base + "-2").acquire(tck.awaitTimeout());
        DistributedMultiLock all = a.multiLock(base + "-3", base + "-1", base + "-2");
        assertThat(all.names()).containsExactly(base + "-1", base + "-2", base + "-3");
        assertThatThrownBy(() -> all.acquire(Duration.ofMillis(100)))
                .isInstanceOf(LockAcquisitionTimeoutException.class)
                .hasMessageContaining(base + "-2");
        assertThat(tck.env().keysOnServer())
                .as("keys after a timed-out multi-lock")
                .hasSize(1);
        assertThat(all.tryAcquire())
                .as("a multi-lock's try while one lock is taken")
                .isEmpty();
        assertThat(tck.env().keysOnServer()).as("keys after a lost try").hasSize(1);
        assertThat(all.tryAcquire(Duration.ofMillis(50))).isEmpty();
        CompletableFuture<MultiLockHandle> waiting = all.acquireAsync();
        tck.awaitKeyCount(3, "the first lock taken and the second waited for");
        waiting.cancel(false);
        tck.awaitKeyCount(1, "the cancelled multi-lock's locks released");
        LockHandle first = b.lock(base + "-1").tryAcquire().orElseThrow(() -> new AssertionError("released lock"));
        first.close();
        middle.close();
        MultiLockHandle held = all.acquire(tck.awaitTimeout());
        assertThat(held.fencingToken(base + "-2")).isGreaterThan(middle.fencingToken());
        assertThat(held.fencingTokens()).hasSize(3);
        assertThatThrownBy(() -> held.fencingToken("elsewhere")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(all::acquireAsync)
                .as("the same instance while its handle is valid")
                .isInstanceOf(IllegalStateException.class);
        held.close();
        assertThat(held.isValid()).isFalse();
        assertThat(held.remaining()).isEqualTo(Duration.ZERO);
        held.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Multi-lock: losing the session is losing the whole, told once, and frees every lock.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void multilock_loss_is_the_loss_of_all_told_once() throws Exception {
        TckHarness tck = tck();
        String base = tck.name("multi-loss");
        TckClient holder = tck.newClient("holder");
        MultiLockHandle held =
                holder.coordinator().multiLock(base + "-x", base + "-y").acquire(tck.awaitTimeout());
        List<LossReason> told = new CopyOnWriteArrayList<>();
        held.onLost((h, reason) -> told.add(reason));
        CompletableFuture<MultiLockHandle> other = tck.newClient("other")
                .coordinator()
                .multiLock(base + "-y", base + "-x")
                .acquireAsync();
        tck.awaitKeyCount(3, "the other multi-lock waiting for the first name");
        holder.backend().partition();
        tck.passTimeUntil(
                tck.env().sessionTtl().plus(tck.livenessSlack()),
                other::isDone,
                "the other multi-lock after the holder was cut off");
        MultiLockHandle next = other.join();
        tck.await("the loss notice").until(() -> !told.isEmpty());
        assertThat(held.isValid()).isFalse();
        assertThat(told).as("loss notices of the whole").containsExactly(LossReason.SESSION_LOST);
        for (String name : List.of(base + "-x", base + "-y")) {
            assertThat(next.fencingToken(name)).isGreaterThan(held.fencingToken(name));
        }
        next.close();
    }

    /**
     * Multi-lock: empty, duplicate and invalid name lists are refused, naming the rule, and nothing is written.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void multilock_bad_name_lists_are_refused_and_nothing_written() throws Exception {
        TckHarness tck = tck();
        Coordinator a = tck.newClient("a").coordinator();
        assertThatThrownBy(() -> a.multiLock())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> a.multiLock("x", "y", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distinct")
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> a.multiLock("x", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names[1]");
        assertThatThrownBy(() -> a.multiLock("x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> a.multiLock((String[]) null)).isInstanceOf(NullPointerException.class);
        tck.assertNoKeysLeft("after refused name lists");
    }
}
