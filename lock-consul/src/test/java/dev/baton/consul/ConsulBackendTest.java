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
package dev.baton.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.spi.Entry;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Configuration checks of {@link ConsulBackend}: bad input is refused with a message that says what to change. */
class ConsulBackendTest {
    @Test
    void session_ttl_outside_consuls_limits_is_rejected_and_nothing_is_sent() {
        try (ConsulEmulator consul = ConsulEmulator.start();
                ConsulBackend backend =
                        ConsulBackend.builder().agentAddress(consul.address()).build()) {
            assertThatThrownBy(() -> backend.grantLease(Duration.ofSeconds(9)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use at least PT10S");
            assertThatThrownBy(() -> backend.grantLease(Duration.ofHours(25)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use at most PT24H");
            assertThat(consul.sessions(backend.sessionName())).isZero();
            assertThatThrownBy(() -> ConsulBackend.builder()
                            .agentAddress(consul.address())
                            .coordinatorBuilder()
                            .sessionTtl(Duration.ofSeconds(5))
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sessionTtl")
                    .hasMessageContaining("Consul's session TTL")
                    .hasMessageContaining("use at least PT10S");
            assertThat(consul.sessions(backend.sessionName())).isZero();
        }
    }

    @Test
    void bad_builder_values_name_the_setting_and_the_rule() {
        assertThatThrownBy(() -> ConsulBackend.builder().agentAddress("ftp://x:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agentAddress");
        assertThatThrownBy(() -> ConsulBackend.builder().keyPrefix("/abs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> ConsulBackend.builder().lockDelay(Duration.ofSeconds(61)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("60 s");
        assertThatThrownBy(() -> ConsulBackend.builder().lockDelay(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> ConsulBackend.builder().datacenter("dc 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("datacenter");
        assertThat(ConsulBackend.builder()
                        .agentAddress("127.0.0.1:8500")
                        .build()
                        .describe())
                .isEqualTo("consul http://127.0.0.1:8500 prefix baton/");
    }

    @Test
    void unreachable_agent_is_backend_unavailable_and_describe_never_shows_the_token() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (ConsulBackend backend = ConsulBackend.builder()
                .agentAddress("http://127.0.0.1:" + port)
                .aclToken("secret-token-value")
                .requestTimeout(Duration.ofSeconds(1))
                .build()) {
            assertThat(backend.describe()).doesNotContain("secret-token-value");
            assertThatThrownBy(() -> backend.grantLease(Duration.ofSeconds(10)))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .message()
                    .doesNotContain("secret-token-value");
        }
    }

    @Test
    void datacenter_is_sent_and_an_unknown_one_is_reported() {
        try (ConsulEmulator consul = ConsulEmulator.start();
                ConsulBackend dc1 = ConsulBackend.builder()
                        .agentAddress(consul.address())
                        .datacenter("dc1")
                        .build();
                ConsulBackend dc9 = ConsulBackend.builder()
                        .agentAddress(consul.address())
                        .datacenter("dc9")
                        .build()) {
            long lease = dc1.grantLease(Duration.ofSeconds(10));
            assertThat(dc1.createIfAbsent("k%2Fx", new byte[] {7}, lease)).isPresent();
            assertThat(dc1.get("k%2Fx")).map(Entry::value).contains(new byte[] {7});
            assertThat(consul.keys("baton/")).containsExactly("baton/k%2Fx");
            assertThatThrownBy(() -> dc9.get("k")).hasMessageContaining("No path to datacenter");
            dc1.revokeLease(lease);
        }
    }
}
