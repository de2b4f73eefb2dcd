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

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The semaphore history check against hand-made histories: a good one, and one for each rule it must catch. */
class SemaphoreHistoryTest {
    private static SemaphoreHistory.Held released(long token, int permits, long asked, long acquired, long release) {
        return new SemaphoreHistory.Held(
                new HoldRecord("c" + token, "s", token, acquired, OptionalLong.of(release), OptionalLong.empty()),
                permits,
                3,
                asked);
    }

    private static SemaphoreHistory.Held lost(long token, int permits, long asked, long acquired, long lostAt) {
        return new SemaphoreHistory.Held(
                new HoldRecord("c" + token, "s", token, acquired, OptionalLong.empty(), OptionalLong.of(lostAt)),
                permits,
                3,
                asked);
    }

    @Test
    void holds_within_the_limit_with_tokens_in_queue_order_pass() {
        HistoryChecker.Report report = SemaphoreHistory.check(List.of(
                released(1, 2, 0, 1, 20),
                released(2, 1, 0, 2, 21), // 2 + 1 = 3 at once
                released(4, 1, 5, 22, 40), // asked before 3 returned: its token may be below or above
                released(3, 2, 4, 21, 35),
                lost(5, 2, 31, 41, 45),
                released(6, 3, 42, 50, 60))); // took the lost hold's permits after its notice
        assertThat(report.isValid()).as(report.violations().toString()).isTrue();
        assertThat(report.acquisitionsChecked()).isEqualTo(6);
        assertThat(report.lossesChecked())
                .as("the lost hold, against the hold that took its permits")
                .isEqualTo(1);
        assertThat(report.lossBeforeHandoverPercent()).isEqualTo(100.0);
    }

    @Test
    void more_permits_than_the_limit_at_once_is_an_overlap() {
        HistoryChecker.Report report =
                SemaphoreHistory.check(List.of(released(1, 2, 0, 1, 20), released(2, 2, 0, 10, 30)));
        assertThat(report.overlaps()).isEqualTo(1);
        assertThat(report.violations().get(0).later().token()).isEqualTo(2);
    }

    @Test
    void a_token_below_one_that_returned_before_the_call_began_breaks_the_order() {
        HistoryChecker.Report report =
                SemaphoreHistory.check(List.of(released(5, 1, 0, 1, 2), released(4, 1, 3, 4, 5)));
        assertThat(report.tokenOrderViolations()).isEqualTo(1);
        assertThat(report.overlaps()).isZero();
    }

    @Test
    void a_lost_holder_told_after_its_permits_were_taken_is_a_late_loss() {
        HistoryChecker.Report report = SemaphoreHistory.check(List.of(lost(1, 2, 0, 1, 25), released(2, 2, 5, 20, 30)));
        assertThat(report.lossesChecked()).isEqualTo(1);
        assertThat(report.lossBeforeHandoverPercent()).isZero();
        assertThat(report.violations())
                .extracting(HistoryChecker.Violation::kind)
                .containsExactly(HistoryChecker.Kind.LATE_LOSS);
    }

    @Test
    void recorded_permits_reach_the_check() {
        SemaphoreHistory history = new SemaphoreHistory();
        HistoryRecorder.Hold a = history.acquired("a", "s", 1, 2, 3, history.asking());
        HistoryRecorder.Hold b = history.acquired("b", "s", 2, 2, 3, history.asking());
        b.releasing();
        a.releasing();
        HistoryChecker.Report report = history.check();
        assertThat(report.acquisitionsChecked()).isEqualTo(2);
        assertThat(report.overlaps()).as("4 permits of 3 held at once").isEqualTo(1);
    }
}
