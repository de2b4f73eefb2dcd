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
package dev.baton.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.SingletonOptions.WhenTaskReturns;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SingletonOptionsTest {
    @Test
    void defaults_hold_the_term_when_the_task_returns_and_back_off_from_one_second_to_one_minute() {
        SingletonOptions d = SingletonOptions.defaults();
        assertThat(d.whenTaskReturns()).isEqualTo(WhenTaskReturns.HOLD_LEADERSHIP);
        assertThat(d.failureBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.maxFailureBackoff()).isEqualTo(Duration.ofMinutes(1));
        assertThat(SingletonOptions.builder().build()).isEqualTo(d);
    }

    @Test
    void builder_sets_each_choice() {
        SingletonOptions o = SingletonOptions.builder()
                .whenTaskReturns(WhenTaskReturns.RESIGN)
                .failureBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .build();
        assertThat(o.whenTaskReturns()).isEqualTo(WhenTaskReturns.RESIGN);
        assertThat(o.failureBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(o.maxFailureBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o).isNotEqualTo(SingletonOptions.defaults());
        assertThat(o.toString()).contains("RESIGN", "PT0.2S", "PT5S");
    }

    @Test
    void bad_backoffs_are_rejected_naming_the_argument() {
        assertThatThrownBy(() -> SingletonOptions.builder().failureBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failureBackoff must be positive");
        assertThatThrownBy(
                        () -> SingletonOptions.builder().failureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFailureBackoff must be positive");
        assertThatThrownBy(() -> SingletonOptions.builder()
                        .failureBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be longer than maxFailureBackoff");
        assertThatThrownBy(() -> SingletonOptions.builder().whenTaskReturns(null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SingletonOptions.builder().failureBackoff(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class);
    }
}
