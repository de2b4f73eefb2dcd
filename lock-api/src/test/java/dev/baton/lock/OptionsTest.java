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

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OptionsTest {
    @Test
    void lock_options_default_to_session_bound() {
        assertThat(LockOptions.defaults().fixedTtl()).isEmpty();
        assertThat(LockOptions.ttl(Duration.ofSeconds(3)).fixedTtl()).contains(Duration.ofSeconds(3));
        assertThat(LockOptions.ttl(Duration.ofSeconds(3))).isEqualTo(LockOptions.ttl(Duration.ofSeconds(3)));
    }

    @Test
    void zero_negative_and_null_ttls_are_rejected_naming_the_argument() {
        assertThatThrownBy(() -> LockOptions.ttl(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> LockOptions.ttl(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockOptions.ttl(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LeaseOptions.of(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lease_renews_every_third_of_its_ttl_unless_told() {
        LeaseOptions o =
                LeaseOptions.builder(Duration.ofSeconds(9)).autoRenew(true).build();
        assertThat(o.autoRenew()).isTrue();
        assertThat(o.renewInterval()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void lease_renew_interval_must_be_shorter_than_its_ttl() {
        assertThatThrownBy(() -> LeaseOptions.builder(Duration.ofSeconds(2))
                        .renewInterval(Duration.ofSeconds(2))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("renewInterval");
    }

    @Test
    void lease_so_short_that_its_default_renew_interval_rounds_to_zero_is_rejected_when_built() {
        assertThatThrownBy(() -> LeaseOptions.builder(Duration.ofNanos(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("renewInterval")
                .hasMessageContaining("rounds to zero");
        assertThatThrownBy(() -> LeaseOptions.of(Duration.ofNanos(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rounds to zero");
        assertThat(LeaseOptions.builder(Duration.ofNanos(2))
                        .renewInterval(Duration.ofNanos(1))
                        .build()
                        .renewInterval())
                .as("an explicit interval shorter than the ttl")
                .isEqualTo(Duration.ofNanos(1));
    }
}
