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

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The history checker against hand-made histories: a good one, and one for each rule it must catch. */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 30)
class HistoryCheckerTest {
    private static HoldRecord released(String client, String lock, long token, long acquired, long releaseStart) {
        return new HoldRecord(client, lock, token, acquired, OptionalLong.of(releaseStart), OptionalLong.empty());
    }

    private static HoldRecord lost(String client, String lock, long token, long acquired, long lostAt) {
        return new HoldRecord(client, lock, token, acquired, OptionalLong.empty(), OptionalLong.of(lostAt));
    }

    @Test
    void good_history_passes_with_its_figures() {
        List<HoldRecord> history = List.of(
                released("a", "x", 1, 10, 20),
                released("b", "x", 2, 21, 30),
                lost("c", "x", 5, 31, 40),
                released("a", "x", 6, 41, 50),
                released("b", "y", 3, 15, 25));
        HistoryChecker.Report report = HistoryChecker.check(history);
        assertThat(report.isValid()).as(report.summary()).isTrue();
        assertThat(report.acquisitionsChecked()).isEqualTo(5);
        assertThat(report.overlaps()).isZero();
        assertThat(report.tokenOrderViolations()).isZero();
        assertThat(report.lossesChecked()).isEqualTo(1);
        assertThat(report.lossBeforeHandoverPercent()).isEqualTo(100.0);
        report.assertValid();
    }

    @Test
    void overlapping_holds_of_one_name_are_reported_with_both_records() {
        HoldRecord first = released("a", "x", 1, 10, 30);
        HoldRecord second = released("b", "x", 2, 20, 40);
        HistoryChecker.Report report = HistoryChecker.check(List.of(second, first));
        assertThat(report.overlaps()).isEqualTo(1);
        assertThat(report.violations().get(0).kind()).isEqualTo(HistoryChecker.Kind.OVERLAP);
        assertThat(report.violations().get(0).earlier()).isEqualTo(first);
        assertThat(report.violations().get(0).later()).isEqualTo(second);
        assertThatThrownBy(report::assertValid)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 overlaps")
                .hasMessageContaining(first.toString())
                .hasMessageContaining(second.toString());
    }

    @Test
    void overlap_with_a_long_hold_is_caught_even_when_not_adjacent() {
        HistoryChecker.Report report = HistoryChecker.check(
                List.of(released("a", "x", 1, 10, 100), released("b", "x", 2, 20, 30), released("c", "x", 3, 40, 50)));
        assertThat(report.overlaps()).isEqualTo(2);
    }

    @Test
    void a_hold_that_never_ended_overlaps_every_later_one() {
        HoldRecord open = new HoldRecord("a", "x", 1, 10, OptionalLong.empty(), OptionalLong.empty());
        HistoryChecker.Report report = HistoryChecker.check(List.of(open, released("b", "x", 2, 1_000, 1_001)));
        assertThat(report.overlaps()).isEqualTo(1);
    }

    @Test
    void touching_intervals_and_other_names_do_not_overlap() {
        HistoryChecker.Report report = HistoryChecker.check(
                List.of(released("a", "x", 1, 10, 20), released("b", "x", 2, 20, 30), released("c", "y", 1, 15, 25)));
        assertThat(report.isValid()).as(report.summary()).isTrue();
    }

    @Test
    void interval_ends_at_the_loss_notice_when_it_comes_before_the_release() {
        HoldRecord lostThenReleased = new HoldRecord("a", "x", 1, 10, OptionalLong.of(50), OptionalLong.of(20));
        HistoryChecker.Report report = HistoryChecker.check(List.of(lostThenReleased, released("b", "x", 2, 30, 40)));
        assertThat(report.isValid()).as(report.summary()).isTrue();
        assertThat(report.lossesChecked()).isEqualTo(1);
    }

    @Test
    void token_going_backwards_is_reported() {
        HoldRecord first = released("a", "x", 7, 10, 20);
        HoldRecord second = released("b", "x", 5, 30, 40);
        HistoryChecker.Report report = HistoryChecker.check(List.of(first, second));
        assertThat(report.tokenOrderViolations()).isEqualTo(1);
        assertThat(report.overlaps()).isZero();
        assertThatThrownBy(report::assertValid)
                .hasMessageContaining("TOKEN_ORDER")
                .hasMessageContaining(first.toString())
                .hasMessageContaining(second.toString());
    }

    @Test
    void repeated_token_is_reported() {
        HistoryChecker.Report report =
                HistoryChecker.check(List.of(released("a", "x", 7, 10, 20), released("b", "x", 7, 30, 40)));
        assertThat(report.tokenOrderViolations()).isEqualTo(1);
    }

    @Test
    void token_below_an_earlier_maximum_is_reported_against_that_maximum() {
        HoldRecord highest = released("a", "x", 9, 10, 20);
        HoldRecord lower = released("c", "x", 8, 50, 60);
        HistoryChecker.Report report = HistoryChecker.check(List.of(highest, released("b", "x", 10, 30, 40), lower));
        assertThat(report.tokenOrderViolations()).isEqualTo(1);
        assertThat(report.violations().get(0).later()).isEqualTo(lower);
        assertThat(report.violations().get(0).earlier().token()).isEqualTo(10);
    }

    @Test
    void loss_told_after_the_next_holder_acquired_is_reported() {
        HoldRecord late = lost("a", "x", 1, 10, 35);
        HoldRecord next = released("b", "x", 2, 30, 40);
        HistoryChecker.Report report = HistoryChecker.check(List.of(late, next));
        assertThat(report.lossesChecked()).isEqualTo(1);
        assertThat(report.lossBeforeHandoverPercent()).isZero();
        assertThat(report.violations())
                .extracting(HistoryChecker.Violation::kind)
                .containsExactlyInAnyOrder(HistoryChecker.Kind.LATE_LOSS, HistoryChecker.Kind.OVERLAP);
        assertThatThrownBy(report::assertValid)
                .hasMessageContaining("LATE_LOSS")
                .hasMessageContaining("loss before handover 0.0%")
                .hasMessageContaining(late.toString())
                .hasMessageContaining(next.toString());
    }

    @Test
    void loss_told_at_the_same_instant_as_the_handover_is_late() {
        HistoryChecker.Report report =
                HistoryChecker.check(List.of(lost("a", "x", 1, 10, 30), released("b", "x", 2, 30, 40)));
        assertThat(report.violations())
                .extracting(HistoryChecker.Violation::kind)
                .contains(HistoryChecker.Kind.LATE_LOSS);
    }

    @Test
    void loss_percentage_counts_each_checked_loss() {
        HistoryChecker.Report report = HistoryChecker.check(List.of(
                lost("a", "x", 1, 10, 20),
                lost("b", "x", 2, 30, 45),
                released("c", "x", 3, 40, 50),
                lost("d", "x", 4, 60, 70)));
        assertThat(report.lossesChecked()).isEqualTo(2);
        assertThat(report.lossBeforeHandoverPercent()).isEqualTo(50.0);
    }

    @Test
    void message_shows_at_most_twenty_violations() {
        List<HoldRecord> history = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            history.add(released("c" + i, "x", 100 - i, i * 10L, i * 10L + 5));
        }
        HistoryChecker.Report report = HistoryChecker.check(history);
        assertThat(report.tokenOrderViolations()).isEqualTo(29);
        assertThatThrownBy(report::assertValid).hasMessageContaining("... and 9 more");
    }

    @Test
    void recorder_clock_strictly_increases_across_threads() throws Exception {
        HistoryRecorder recorder = new HistoryRecorder(() -> 42);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<long[]>> readings = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                readings.add(pool.submit(() -> {
                    long[] values = new long[1000];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = recorder.now();
                    }
                    return values;
                }));
            }
            java.util.Set<Long> all = new java.util.HashSet<>();
            for (Future<long[]> future : readings) {
                long[] values = future.get(10, TimeUnit.SECONDS);
                for (int i = 0; i < values.length; i++) {
                    assertThat(values[i]).isGreaterThanOrEqualTo(42);
                    if (i > 0) {
                        assertThat(values[i]).isGreaterThan(values[i - 1]);
                    }
                    all.add(values[i]);
                }
            }
            assertThat(all).as("distinct readings").hasSize(4000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void recorder_sees_no_violation_in_a_correctly_locked_history_and_catches_a_broken_lock() throws Exception {
        assertThat(runRecordedWorkload(true).isValid()).isTrue();
        HistoryChecker.Report broken = runRecordedWorkload(false);
        assertThat(broken.overlaps()).as(broken.summary()).isPositive();
    }

    /** Four threads take turns on a lock, or share the section without one (then all four are inside at once). */
    private static HistoryChecker.Report runRecordedWorkload(boolean exclusive) throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        ReentrantLock real = new ReentrantLock();
        AtomicLong token = new AtomicLong();
        CountDownLatch everyoneInside = new CountDownLatch(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String client = "t" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        if (exclusive) {
                            real.lock();
                        }
                        try {
                            HistoryRecorder.Hold hold = recorder.acquired(client, "x", token.incrementAndGet());
                            if (!exclusive && i == 0) {
                                // Without a lock, make every thread be inside at once at least once.
                                everyoneInside.countDown();
                                everyoneInside.await();
                            }
                            hold.releasing();
                        } finally {
                            if (exclusive) {
                                real.unlock();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return recorder.check();
    }

    @Test
    void longest_gap_between_acquisitions_is_measured_across_clients_in_any_order() {
        List<HoldRecord> history =
                List.of(released("b", "x", 3, 70, 80), released("a", "x", 1, 10, 20), released("c", "x", 2, 25, 60));
        assertThat(HistoryChecker.longestGapBetweenAcquisitions(history)).isEqualTo(45);
        assertThat(HistoryChecker.longestGapBetweenAcquisitions(List.of(released("a", "x", 1, 10, 20))))
                .isZero();
    }
}
