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

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The read-write history check against hand-made histories: a good one, and one for each rule it must catch. */
class ReadWriteHistoryTest {
    private static HoldRecord released(String client, long token, long acquired, long releaseStart) {
        return new HoldRecord(client, "x", token, acquired, OptionalLong.of(releaseStart), OptionalLong.empty());
    }

    private static HoldRecord lost(String client, long token, long acquired, long lostAt) {
        return new HoldRecord(client, "x", token, acquired, OptionalLong.empty(), OptionalLong.of(lostAt));
    }

    @Test
    void overlapping_reads_between_ordered_writes_pass() {
        List<HoldRecord> reads = List.of(
                released("r1", 2, 11, 30),
                released("r2", 3, 12, 25), // reads overlap, tokens in any order among themselves
                released("r3", 8, 41, 50),
                lost("r4", 9, 42, 45));
        List<HoldRecord> writes =
                List.of(released("w1", 1, 1, 10), released("w2", 7, 31, 40), released("w3", 10, 51, 60));
        HistoryChecker.Report report = ReadWriteHistory.check(reads, writes);
        assertThat(report.isValid()).as(report.summary()).isTrue();
        assertThat(report.acquisitionsChecked()).isEqualTo(7);
        assertThat(report.lossesChecked())
                .as("a lost read, checked against the next write")
                .isEqualTo(1);
        report.assertValid();
    }

    @Test
    void a_read_inside_a_write_is_an_overlap() {
        HoldRecord write = released("w", 5, 10, 30);
        HoldRecord read = released("r", 6, 20, 40);
        HistoryChecker.Report report = ReadWriteHistory.check(List.of(read), List.of(write));
        assertThat(report.overlaps()).isEqualTo(1);
        assertThat(report.violations().get(0).earlier()).isEqualTo(write);
        assertThat(report.violations().get(0).later()).isEqualTo(read);
        assertThatThrownBy(report::assertValid)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("OVERLAP");
    }

    @Test
    void a_write_inside_a_read_and_two_overlapping_writes_are_reported_once_each() {
        HoldRecord read = released("r", 1, 10, 50);
        HoldRecord w1 = released("w1", 2, 20, 30);
        HoldRecord w2 = released("w2", 3, 25, 35);
        HistoryChecker.Report report = ReadWriteHistory.check(List.of(read), List.of(w1, w2));
        assertThat(report.overlaps()).as(report.violations().toString()).isEqualTo(3);
    }

    @Test
    void a_write_token_not_above_an_earlier_read_or_not_below_a_later_read_breaks_the_order() {
        HoldRecord before = released("r1", 9, 1, 5);
        HoldRecord write = released("w", 7, 10, 20);
        HoldRecord after = released("r2", 6, 30, 40);
        HistoryChecker.Report report = ReadWriteHistory.check(List.of(before, after), List.of(write));
        assertThat(report.tokenOrderViolations()).isEqualTo(2);
        assertThat(report.overlaps()).isZero();
    }

    @Test
    void a_lost_writer_told_after_the_next_reader_acquired_is_a_late_loss() {
        HoldRecord write = lost("w", 1, 10, 25);
        HoldRecord read = released("r", 2, 20, 30);
        HistoryChecker.Report report = ReadWriteHistory.check(List.of(read), List.of(write));
        assertThat(report.lossesChecked()).isEqualTo(1);
        assertThat(report.lossBeforeHandoverPercent()).isZero();
        assertThat(report.violations())
                .extracting(HistoryChecker.Violation::kind)
                .contains(HistoryChecker.Kind.LATE_LOSS);
    }

    @Test
    void recorded_modes_reach_the_check() {
        ReadWriteHistory history = new ReadWriteHistory();
        HistoryRecorder.Hold w = history.write("w", "x", 1);
        HistoryRecorder.Hold r = history.read("r", "x", 2);
        r.releasing();
        w.releasing();
        HistoryChecker.Report report = history.check();
        assertThat(report.acquisitionsChecked()).isEqualTo(2);
        assertThat(report.overlaps())
                .as("a read acquired while a write was held")
                .isEqualTo(1);
    }
}
