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

import static dev.baton.consul.FlakyConnectionProxy.Mode.CLOSE_AFTER_FORWARDING;
import static dev.baton.consul.FlakyConnectionProxy.Mode.CLOSE_BEFORE_FORWARDING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.consul.internal.ConsulApiHttp;
import dev.baton.lock.spi.Entry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request whose connection closes without an answer (an agent or proxy closing an idle keep-alive connection just as
 * the client reuses it) is sent once more, and a write whose first sending was applied is recognised as the caller's
 * own: a create returns the key as created, a compare-and-set as updated, a compare-and-delete as deleted; a key that
 * someone else wrote in between is not taken for one's own. Each test arms one fault in a proxy between the backend and
 * the emulator and checks both the result and what reached the emulator.
 */
class ConsulResendTest {
    private static final String PREFIX = "resend";
    private static final byte[] VALUE = "mine".getBytes(StandardCharsets.UTF_8);

    private ConsulEmulator consul;
    private FlakyConnectionProxy proxy;
    private ConsulBackend backend;
    private ConsulBackend other;

    @BeforeEach
    void start() throws Exception {
        consul = ConsulEmulator.start();
        proxy = FlakyConnectionProxy.start(consul.address());
        backend = ConsulBackend.builder()
                .agentAddress(proxy.address())
                .keyPrefix(PREFIX)
                .requestTimeout(Duration.ofSeconds(5))
                .build();
        other = ConsulBackend.builder()
                .agentAddress(consul.address())
                .keyPrefix(PREFIX)
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        other.close();
        proxy.close();
        consul.close();
    }

    @Test
    void a_read_whose_connection_closes_unanswered_is_sent_again_and_answers() {
        other.createIfAbsent("k", VALUE, Entry.NO_LEASE).orElseThrow();
        backend.get("k").orElseThrow(); // a pooled connection
        proxy.failNext("GET", "/v1/kv/", CLOSE_BEFORE_FORWARDING, null);

        Optional<Entry> read = backend.get("k");

        assertThat(read).map(Entry::value).contains(VALUE);
        assertThat(proxy.seen("GET", "/v1/kv/" + PREFIX + "/k")).isEqualTo(3);
    }

    @Test
    void a_resent_request_is_counted_by_the_client_that_resent_it_and_by_no_other() {
        long lease = other.grantLease(Duration.ofSeconds(10));
        try (ConsulApiHttp flaky =
                        new ConsulApiHttp(URI.create(proxy.address()), null, null, Duration.ofSeconds(5), null);
                ConsulApiHttp direct =
                        new ConsulApiHttp(URI.create(consul.address()), null, null, Duration.ofSeconds(5), null)) {
            String session = direct.listSessions().get(0).id();
            assertThat(flaky.renewSession(session)).isTrue(); // a pooled connection
            assertThat(direct.renewSession(session)).isTrue();
            proxy.failNext("PUT", "/v1/session/renew/", CLOSE_BEFORE_FORWARDING, null);

            assertThat(flaky.renewSession(session)).isTrue();
            assertThat(direct.renewSession(session)).isTrue();

            assertThat(flaky.resentRequests()).isEqualTo(1);
            assertThat(direct.resentRequests()).isZero();
            assertThat(flaky.retriedRequests()).isZero();
        }
        other.revokeLease(lease);
    }

    @Test
    void a_session_create_whose_connection_closes_before_it_is_applied_creates_one_session() {
        backend.get("warm-up");
        proxy.failNext("PUT", "/v1/session/create", CLOSE_BEFORE_FORWARDING, null);

        long lease = backend.grantLease(Duration.ofSeconds(10));

        assertThat(lease).isNotEqualTo(Entry.NO_LEASE);
        assertThat(consul.sessions(backend.sessionName())).isEqualTo(1);
        assertThat(proxy.seen("PUT", "/v1/session/create")).isEqualTo(2);
    }

    @Test
    void a_create_whose_connection_closes_before_it_is_applied_is_applied_by_the_second_sending() {
        long lease = backend.grantLease(Duration.ofSeconds(10));
        backend.createIfAbsent("warm-up", VALUE, lease).orElseThrow(); // a pooled connection for /v1/txn
        proxy.failNext("PUT", "/v1/txn", CLOSE_BEFORE_FORWARDING, null);

        Entry created = backend.createIfAbsent("k", VALUE, lease).orElseThrow();

        assertThat(created.leaseId()).isEqualTo(lease);
        assertThat(other.get("k")).contains(created);
        assertThat(proxy.seen("PUT", "/v1/txn")).isEqualTo(3);
    }

    @Test
    void a_create_whose_first_sending_was_applied_returns_the_key_as_created() {
        long lease = backend.grantLease(Duration.ofSeconds(10));
        backend.createIfAbsent("warm-up", VALUE, lease).orElseThrow();
        proxy.failNext("PUT", "/v1/txn", CLOSE_AFTER_FORWARDING, null);

        Optional<Entry> created = backend.createIfAbsent("k", VALUE, lease);

        Entry onServer = other.get("k").orElseThrow();
        assertThat(created).contains(onServer);
        assertThat(onServer.leaseId()).isEqualTo(lease);
        assertThat(consul.keys(PREFIX + "/")).containsExactly(PREFIX + "/k", PREFIX + "/warm-up");
        assertThat(proxy.seen("PUT", "/v1/txn")).isEqualTo(3);
    }

    @Test
    void a_create_without_lease_whose_first_sending_was_applied_returns_the_key_as_created() {
        backend.createIfAbsent("warm-up", VALUE, Entry.NO_LEASE).orElseThrow();
        proxy.failNext("PUT", "/v1/txn", CLOSE_AFTER_FORWARDING, null);

        Optional<Entry> created = backend.createIfAbsent("k", VALUE, Entry.NO_LEASE);

        assertThat(created).isPresent().contains(other.get("k").orElseThrow());
        assertThat(proxy.seen("PUT", "/v1/txn")).isEqualTo(3);
    }

    @Test
    void a_create_that_meets_someone_elses_key_on_its_second_sending_reports_the_key_exists() {
        long lease = backend.grantLease(Duration.ofSeconds(10));
        backend.createIfAbsent("warm-up", VALUE, lease).orElseThrow();
        byte[] theirs = "theirs".getBytes(StandardCharsets.UTF_8);
        // The same value as ours, even: only the write's own tag makes a key this call's own.
        proxy.failNext(
                "PUT", "/v1/txn", CLOSE_BEFORE_FORWARDING, () -> other.createIfAbsent("k", VALUE, Entry.NO_LEASE));
        assertThat(backend.createIfAbsent("k", VALUE, Entry.NO_LEASE)).isEmpty();
        proxy.failNext(
                "PUT", "/v1/txn", CLOSE_BEFORE_FORWARDING, () -> other.createIfAbsent("j", theirs, Entry.NO_LEASE));
        assertThat(backend.createIfAbsent("j", VALUE, lease)).isEmpty();

        assertThat(other.get("j").orElseThrow().value()).isEqualTo(theirs);
        assertThat(other.get("j").orElseThrow().leaseId()).isEqualTo(Entry.NO_LEASE);
    }

    @Test
    void a_compare_and_set_whose_first_sending_was_applied_returns_the_update() {
        long lease = backend.grantLease(Duration.ofSeconds(10));
        Entry created = backend.createIfAbsent("k", VALUE, lease).orElseThrow();
        byte[] next = "next".getBytes(StandardCharsets.UTF_8);
        proxy.failNext("PUT", "/v1/txn", CLOSE_AFTER_FORWARDING, null);

        Optional<Entry> updated = backend.compareAndSet("k", created.version(), next, lease);

        Entry onServer = other.get("k").orElseThrow();
        assertThat(updated).contains(onServer);
        assertThat(onServer.value()).isEqualTo(next);
        assertThat(onServer.createSequence()).isEqualTo(created.createSequence());
        assertThat(onServer.version()).isGreaterThan(created.version());
    }

    @Test
    void a_compare_and_set_that_meets_someone_elses_write_on_its_second_sending_reports_a_change() {
        long lease = backend.grantLease(Duration.ofSeconds(10));
        Entry created = backend.createIfAbsent("k", VALUE, lease).orElseThrow();
        proxy.failNext("PUT", "/v1/txn", CLOSE_BEFORE_FORWARDING, () -> other.compareAndSet(
                        "k", created.version(), VALUE, lease)
                .orElseThrow());

        assertThat(backend.compareAndSet("k", created.version(), VALUE, lease)).isEmpty();
    }

    @Test
    void a_compare_and_delete_whose_first_sending_was_applied_returns_deleted() {
        Entry created = backend.createIfAbsent("k", VALUE, Entry.NO_LEASE).orElseThrow();
        proxy.failNext("PUT", "/v1/txn", CLOSE_AFTER_FORWARDING, null);

        assertThat(backend.compareAndDelete("k", created.version())).isTrue();

        assertThat(other.get("k")).isEmpty();
        assertThat(proxy.seen("PUT", "/v1/txn")).isEqualTo(3);
    }

    @Test
    void a_compare_and_delete_that_meets_a_changed_key_on_its_second_sending_reports_not_deleted() {
        Entry created = backend.createIfAbsent("k", VALUE, Entry.NO_LEASE).orElseThrow();
        proxy.failNext("PUT", "/v1/txn", CLOSE_BEFORE_FORWARDING, () -> other.compareAndSet(
                        "k", created.version(), VALUE, Entry.NO_LEASE)
                .orElseThrow());

        assertThat(backend.compareAndDelete("k", created.version())).isFalse();
        assertThat(other.get("k")).isPresent();
    }

    @Test
    void a_request_is_sent_at_most_twice() {
        other.createIfAbsent("k", VALUE, Entry.NO_LEASE).orElseThrow();
        backend.get("k").orElseThrow();
        proxy.failNext("GET", "/v1/kv/", CLOSE_BEFORE_FORWARDING, null);
        proxy.failNext("GET", "/v1/kv/", CLOSE_BEFORE_FORWARDING, null);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend.get("k"))
                .isInstanceOf(dev.baton.lock.BackendUnavailableException.class);
        assertThat(proxy.seen("GET", "/v1/kv/" + PREFIX + "/k")).isEqualTo(3);
        assertThat(List.of(backend.get("k").orElseThrow().value())).containsExactly(VALUE);
    }
}
