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
package dev.baton.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.etcd.internal.EtcdCalls;
import dev.baton.lock.AccessDeniedException;
import dev.baton.lock.BackendUnavailableException;
import io.etcd.jetcd.Client;
import io.grpc.Status;
import java.lang.reflect.Proxy;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The builder's checks, which need no server: each bad input gets a message that says what to change. */
class EtcdBackendBuilderTest {
    @Test
    void endpoints_must_be_urls_with_scheme_host_and_port() {
        assertThatThrownBy(() -> EtcdBackend.builder().endpoints("127.0.0.1:2379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://127.0.0.1:2379");
        assertThatThrownBy(() -> EtcdBackend.builder().endpoints("http://host"))
                .hasMessageContaining("scheme, host and port");
        assertThatThrownBy(() -> EtcdBackend.builder().endpoints()).hasMessageContaining("at least one URL");
        assertThatThrownBy(() -> EtcdBackend.builder().endpoints("http://u:secret@host:2379"))
                .hasMessageContaining("credentials(user, password)")
                .hasMessageNotContaining("secret");
    }

    @Test
    void a_connection_needs_exactly_one_of_endpoints_and_client() {
        assertThatThrownBy(() -> EtcdBackend.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("endpoints(");
        try (Client client = Client.builder().endpoints("http://127.0.0.1:1").build()) {
            assertThatThrownBy(() -> EtcdBackend.builder()
                            .endpoints("http://127.0.0.1:1")
                            .client(client)
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not both");
            assertThatThrownBy(() -> EtcdBackend.builder()
                            .client(client)
                            .credentials("u", "p")
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ClientBuilder");
        }
    }

    @Test
    void a_client_given_by_the_caller_is_never_closed() {
        try (Client real = Client.builder().endpoints("http://127.0.0.1:1").build()) {
            AtomicInteger closes = new AtomicInteger();
            Client client = (Client) Proxy.newProxyInstance(
                    Client.class.getClassLoader(), new Class<?>[] {Client.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            closes.incrementAndGet();
                            return null;
                        }
                        return method.invoke(real, args);
                    });
            EtcdBackend backend = EtcdBackend.builder().client(client).build();
            backend.close();
            backend.close();
            assertThat(closes.get()).as("close() calls on the caller's client").isZero();
            assertThat(backend.describe()).contains("jetcd Client given by the caller");
        }
    }

    @Test
    void a_request_timeout_of_a_second_or_less_builds_and_fails_calls_as_unavailable() {
        // jetcd refused a retry window not longer than its 0.5 s first retry delay, with an IllegalStateException.
        for (Duration timeout : new Duration[] {Duration.ofSeconds(1), Duration.ofMillis(200)}) {
            try (EtcdBackend backend = EtcdBackend.builder()
                    .endpoints("http://127.0.0.1:1")
                    .requestTimeout(timeout)
                    .build()) {
                assertThatThrownBy(() -> backend.get("k"))
                        .as("a call with request timeout %s and nothing listening", timeout)
                        .isInstanceOf(BackendUnavailableException.class);
            }
        }
    }

    @Test
    void minimum_ttl_and_durations_are_checked() {
        assertThatThrownBy(() -> EtcdBackend.builder().minimumTtl(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minimumTtl PT0.5S is below the minimum TTL PT1S")
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> EtcdBackend.builder().requestTimeout(Duration.ZERO))
                .hasMessageContaining("requestTimeout must be positive");
        assertThatThrownBy(() -> EtcdBackend.builder().requestTimeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("requestTimeout");
    }

    @Test
    void a_session_ttl_below_the_minimum_fails_the_coordinator_builder_before_any_request() {
        // Nothing listens on port 1: a request would fail with "could not reach", not with the TTL's message.
        assertThatThrownBy(() -> EtcdBackend.builder()
                        .endpoints("http://127.0.0.1:1")
                        .coordinatorBuilder()
                        .sessionTtl(Duration.ofMillis(1500))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessionTtl PT1.5S is below the minimum TTL PT2S")
                .hasMessageContaining("minimumTtl");
    }

    @Test
    void the_coordinator_builder_owns_its_backend_and_must_close_it() {
        assertThatThrownBy(() -> EtcdBackend.builder()
                        .endpoints("http://127.0.0.1:1")
                        .coordinatorBuilder()
                        .closeBackendOnClose(false))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keys_and_prefixes_follow_the_shared_rule() {
        try (EtcdBackend backend =
                EtcdBackend.builder().endpoints("http://127.0.0.1:1").build()) {
            assertThatThrownBy(() -> backend.get("a//b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key must not start or end with '/'");
            assertThatThrownBy(() -> backend.list("locks/x y"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prefix may hold only ASCII letters");
            assertThatThrownBy(() -> backend.createIfAbsent("/k", new byte[0], 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_namespace_follows_the_shared_rule_after_one_leading_and_trailing_slash() {
        assertThatThrownBy(() -> EtcdBackend.builder().namespace("my app"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace may hold only ASCII letters");
        assertThatThrownBy(() -> EtcdBackend.builder().namespace("/"))
                .hasMessageContaining("namespace must name a prefix");
        try (EtcdBackend backend = EtcdBackend.builder()
                .endpoints("http://127.0.0.1:1")
                .namespace("/myapp/locks/")
                .build()) {
            assertThat(backend.namespace()).isEqualTo("/myapp/locks/");
        }
    }

    @Test
    void a_ttl_below_the_minimum_is_rejected_before_any_request() {
        try (EtcdBackend backend =
                EtcdBackend.builder().endpoints("http://127.0.0.1:1").build()) {
            assertThatThrownBy(() -> backend.grantLease(Duration.ofMillis(1500)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("below the minimum TTL PT2S")
                    .hasMessageContaining("use at least PT2S");
        }
    }

    @Test
    void tls_files_must_exist() {
        assertThatThrownBy(() -> EtcdBackend.builder().tls(Paths.get("/nonexistent/ca.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/nonexistent/ca.pem");
        assertThatThrownBy(() -> EtcdBackend.builder()
                        .endpoints("https://127.0.0.1:2379")
                        .tlsClientCertificate(Paths.get("pom.xml"), Paths.get("pom.xml"))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tls(caCertificates)");
    }

    @Test
    void tls_and_https_endpoints_go_together() {
        assertThatThrownBy(() -> EtcdBackend.builder()
                        .endpoints("https://127.0.0.1:2379")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("https://127.0.0.1:2379")
                .hasMessageContaining("tls(caCertificates)");
        assertThatThrownBy(() -> EtcdBackend.builder()
                        .endpoints("https://127.0.0.1:2379", "http://127.0.0.1:2380")
                        .tls(Paths.get("pom.xml"))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("http://127.0.0.1:2380")
                .hasMessageContaining("is not https");
    }

    @Test
    void the_password_is_never_shown() {
        EtcdBackend.Builder builder =
                EtcdBackend.builder().endpoints("http://127.0.0.1:1").credentials("app", "s3cr3t-pw");
        assertThat(builder.toString()).contains("app").doesNotContain("s3cr3t-pw");
        try (EtcdBackend backend = builder.build()) {
            assertThat(backend.describe()).contains("user 'app'").doesNotContain("s3cr3t-pw");
            assertThat(backend.toString()).doesNotContain("s3cr3t-pw");
        }
    }

    @Test
    void an_empty_password_is_refused_as_the_client_s_own_check_not_the_server_s() {
        assertThatThrownBy(() -> EtcdBackend.builder().credentials("app", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("password of user 'app' is empty")
                .hasMessageContaining("the jetcd client refuses to authenticate with an empty password")
                .hasMessageContaining("no request would reach etcd")
                .hasMessageNotContaining("server refused");
    }

    @Test
    void a_jetcd_client_refusing_an_empty_password_is_reported_as_such() {
        // What jetcd's own credential check fails a call with when a caller-built Client has an empty password.
        Throwable failure = Status.UNAUTHENTICATED
                .withDescription("Failed computing credential metadata")
                .withCause(new IllegalArgumentException("password can not be empty."))
                .asRuntimeException();
        EtcdCalls calls = new EtcdCalls("etcd http://127.0.0.1:2379", "app");
        assertThat(calls.translate(failure, "a get"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("the jetcd client refused to authenticate user 'app' with an empty password")
                .hasMessageContaining("no request reached etcd http://127.0.0.1:2379")
                .hasMessageNotContaining("refused user");
    }
}
