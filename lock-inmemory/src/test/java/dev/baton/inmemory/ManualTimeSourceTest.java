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
package dev.baton.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ManualTimeSourceTest {
    private final ManualTimeSource time = new ManualTimeSource();
    private final List<String> ran = new ArrayList<>();

    @Test
    void clock_starts_at_a_fixed_reading_and_moves_only_on_advance() {
        assertThat(time.nanoTime()).isEqualTo(ManualTimeSource.START_NANOS);
        time.advance(Duration.ofMillis(5));
        assertThat(time.nanoTime()).isEqualTo(ManualTimeSource.START_NANOS + 5_000_000L);
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void tasks_run_in_due_order_with_ties_in_scheduling_order_and_the_clock_at_their_due_time() {
        long start = time.nanoTime();
        time.schedule(Duration.ofMillis(30), () -> ran.add("c@" + (time.nanoTime() - start)));
        time.schedule(Duration.ofMillis(10), () -> ran.add("a1@" + (time.nanoTime() - start)));
        time.schedule(Duration.ofMillis(10), () -> ran.add("a2@" + (time.nanoTime() - start)));
        time.schedule(Duration.ofMillis(20), () -> ran.add("b@" + (time.nanoTime() - start)));

        time.advance(Duration.ofMillis(25));

        assertThat(ran).containsExactly("a1@10000000", "a2@10000000", "b@20000000");
        assertThat(time.nanoTime() - start).isEqualTo(25_000_000L);

        time.advance(Duration.ofMillis(5));
        assertThat(ran).endsWith("c@30000000");
    }

    @Test
    void tasks_scheduled_by_tasks_run_in_the_same_window_when_due_within_it() {
        time.schedule(Duration.ofMillis(10), () -> {
            ran.add("outer");
            time.schedule(Duration.ofMillis(5), () -> ran.add("inner-in-window"));
            time.schedule(Duration.ofMillis(50), () -> ran.add("inner-later"));
        });
        time.schedule(Duration.ofMillis(18), () -> ran.add("after-inner"));

        time.advance(Duration.ofMillis(20));

        assertThat(ran).containsExactly("outer", "inner-in-window", "after-inner");
        assertThat(time.pendingTaskCount()).isEqualTo(1);
        time.advance(Duration.ofMillis(40));
        assertThat(ran).endsWith("inner-later");
    }

    @Test
    void a_task_with_zero_or_negative_delay_runs_at_the_next_advance_not_at_once() {
        time.schedule(Duration.ZERO, () -> ran.add("zero"));
        time.schedule(Duration.ofMillis(-5), () -> ran.add("negative"));
        assertThat(ran).isEmpty();

        time.advance(Duration.ZERO);

        assertThat(ran).containsExactly("zero", "negative");
        assertThat(time.elapsed()).isEqualTo(Duration.ZERO);
    }

    @Test
    void cancelled_tasks_do_not_run_and_cancel_is_idempotent() {
        TimeSource.Cancellable cancelled = time.schedule(Duration.ofMillis(1), () -> ran.add("cancelled"));
        time.schedule(Duration.ofMillis(2), () -> ran.add("kept"));
        cancelled.cancel();
        cancelled.cancel();

        time.advance(Duration.ofMillis(3));

        assertThat(ran).containsExactly("kept");
        assertThat(time.pendingTaskCount()).isZero();
    }

    @Test
    void a_task_may_cancel_a_later_task_of_the_same_window() {
        TimeSource.Cancellable[] later = new TimeSource.Cancellable[1];
        time.schedule(Duration.ofMillis(1), () -> later[0].cancel());
        later[0] = time.schedule(Duration.ofMillis(2), () -> ran.add("later"));

        time.advance(Duration.ofMillis(3));

        assertThat(ran).isEmpty();
    }

    @Test
    void a_throwing_task_does_not_stop_the_window() {
        time.schedule(Duration.ofMillis(1), () -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        time.schedule(Duration.ofMillis(2), () -> ran.add("after"));

        time.advance(Duration.ofMillis(3));

        assertThat(ran).containsExactly("after");
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(3));
    }

    @Test
    void tasks_run_on_the_advancing_thread() {
        Thread[] ranOn = new Thread[1];
        time.schedule(Duration.ofMillis(1), () -> ranOn[0] = Thread.currentThread());

        time.advance(Duration.ofMillis(1));

        assertThat(ranOn[0]).isSameAs(Thread.currentThread());
    }

    @Test
    void advance_rejects_a_negative_duration() {
        assertThatThrownBy(() -> time.advance(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void a_huge_delay_saturates_instead_of_overflowing() {
        time.schedule(Duration.ofSeconds(Long.MAX_VALUE), () -> ran.add("never"));
        time.advance(Duration.ofDays(365));
        assertThat(ran).isEmpty();
        assertThat(time.pendingTaskCount()).isEqualTo(1);
    }
}
