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
package dev.baton.zookeeper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one-TTL rule: which ZooKeeper session timeout a backend asks for, for a coordinator's session TTL or alone. */
class BackendSettingsTest {
    private static final Duration DEFAULT = Duration.ofSeconds(10);

    private static BackendSettings settings(Duration sessionTimeout) {
        return new BackendSettings(
                "127.0.0.1:2181",
                null,
                "baton",
                sessionTimeout,
                DEFAULT,
                Duration.ofSeconds(5),
                null,
                Duration.ofMillis(250),
                Duration.ofDays(1),
                null,
                null,
                null,
                null);
    }

    @Test
    void an_unset_session_timeout_follows_the_session_ttl_rounded_up_to_whole_milliseconds() {
        assertThat(settings(null).sessionTimeoutFor(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings(null).sessionTimeoutFor(Duration.ofNanos(2_000_000_001L)))
                .isEqualTo(Duration.ofMillis(2001));
    }

    @Test
    void a_backend_built_alone_asks_for_the_explicit_timeout_or_the_default() {
        assertThat(settings(null).sessionTimeoutFor(null)).isEqualTo(DEFAULT);
        assertThat(settings(Duration.ofSeconds(4)).sessionTimeoutFor(null)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void an_explicit_session_timeout_of_at_least_the_session_ttl_is_kept() {
        assertThat(settings(Duration.ofSeconds(30)).sessionTimeoutFor(Duration.ofSeconds(10)))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(settings(Duration.ofSeconds(10)).sessionTimeoutFor(Duration.ofSeconds(10)))
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void an_explicit_session_timeout_shorter_than_the_session_ttl_is_refused() {
        assertThatThrownBy(() -> settings(Duration.ofSeconds(5)).sessionTimeoutFor(Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("raise sessionTimeout(...) to at least PT10S");
    }

    @Test
    void a_session_ttl_outside_the_backends_range_is_refused_naming_session_ttl() {
        assertThatThrownBy(() -> settings(null).sessionTimeoutFor(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessionTtl PT0.999S is below the minimum TTL PT1S");
        assertThatThrownBy(() -> settings(null).sessionTimeoutFor(Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessionTtl PT48H is above the maximum TTL PT24H");
    }
}
