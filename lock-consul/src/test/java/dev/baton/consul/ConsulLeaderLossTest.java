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
import static org.awaitility.Awaitility.await;

import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.spi.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leader loss as Consul shows it to a client: a write applied and then answered 500 (leadership lost while committing),
 * 500 {@code No cluster leader} on every endpoint for a while, and requests held by a forwarding delay longer than the
 * request timeout. Writes whose outcome is uncertain are resolved by a read; 5xx answers are retried with backoff
 * within the request timeout.
 */
class ConsulLeaderLossTest {
    private static final byte[] ONE = "one".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TWO = "two".getBytes(StandardCharsets.UTF_8);

    private ConsulEmulator consul;
    private ConsulBackend backend;

    @BeforeEach
    void start() {
        consul = ConsulEmulator.start();
        backend = backend(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        backend.close();
        consul.close();
    }

    private ConsulBackend backend(Duration requestTimeout) {
        return ConsulBackend.builder()
                .agentAddress(consul.address())
                .requestTimeout(requestTimeout)
                .build();
    }

    @Test
    void a_create_applied_then_answered_500_is_returned_as_created() {
        long lease = backend.grantLease(Duration.ofSeconds(10));
        consul.applyThenFail(1);
        Optional<Entry> created = backend.createIfAbsent("k", ONE, lease);
        assertThat(created).as("create applied, then answered 500").isPresent();
        assertThat(backend.get("k").orElseThrow().createSequence())
                .isEqualTo(created.get().createSequence());
    }

    @Test
    void a_compare_and_set_applied_then_answered_500_is_returned_as_applied() {
        long lease = backend.grantLease(Duration.ofSeconds(10));
        Entry first = backend.createIfAbsent("k", ONE, lease).orElseThrow();
        consul.applyThenFail(1);
        Optional<Entry> updated = backend.compareAndSet("k", first.version(), TWO, lease);
        assertThat(updated).as("compare-and-set applied, then answered 500").isPresent();
        assertThat(updated.get().value()).isEqualTo(TWO);
        assertThat(backend.get("k").orElseThrow().version())
                .isEqualTo(updated.get().version());
    }

    @Test
    void a_compare_and_delete_applied_then_answered_500_is_reported_as_deleted() {
        Entry first = backend.createIfAbsent("k", ONE, Entry.NO_LEASE).orElseThrow();
        consul.applyThenFail(1);
        assertThat(backend.compareAndDelete("k", first.version()))
                .as("compare-and-delete applied, then answered 500")
                .isTrue();
        assertThat(backend.get("k")).isEmpty();
    }

    @Test
    void no_leader_for_a_moment_is_waited_out_within_the_request_timeout() {
        consul.noLeaderFor(Duration.ofMillis(1500));
        long lease = backend.grantLease(Duration.ofSeconds(10));
        assertThat(backend.createIfAbsent("k", ONE, lease)).isPresent();
    }

    @Test
    void no_leader_for_longer_than_the_request_timeout_is_unavailable_and_says_why() {
        try (ConsulBackend impatient = backend(Duration.ofSeconds(3))) {
            consul.noLeaderFor(Duration.ofSeconds(9));
            assertThatThrownBy(() -> impatient.grantLease(Duration.ofSeconds(10)))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("No cluster leader");
            assertThatThrownBy(() -> impatient.get("k"))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("No cluster leader");
        }
    }

    @Test
    void a_write_held_longer_than_the_request_timeout_fails_as_unavailable_and_may_still_be_applied() {
        try (ConsulBackend impatient = backend(Duration.ofSeconds(1))) {
            consul.forwardingDelay(Duration.ofMillis(1800));
            assertThatThrownBy(() -> impatient.createIfAbsent("late", ONE, Entry.NO_LEASE))
                    .isInstanceOf(BackendUnavailableException.class);
            consul.forwardingDelay(Duration.ZERO);
            // The outcome was unknown to the caller: the server applies the held write when it serves it.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> backend.get("late").isPresent());
        }
    }
}
