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
import io.etcd.jetcd.Client;
import io.grpc.Status;
import java.lang.reflect.Proxy;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The builder's checks, which need no server: each bad input gets a message that says what to change. */
class EtcdCoordinatorBuilderTest {
    @Test
    void endpoints_must_be_urls_with_scheme_host_and_port() {
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create().endpoints("127.0.0.1:2379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://127.0.0.1:2379");
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create().endpoints("http://host"))
                .hasMessageContaining("scheme, host and port");
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create().endpoints()).hasMessageContaining("at least one URL");
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create().endpoints("http://u:secret@host:2379"))
                .hasMessageContaining("credentials(user, password)")
                .hasMessageNotContaining("secret");
    }

    @Test
    void a_connection_needs_exactly_one_of_endpoints_and_client() {
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create().buildBackend())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("endpoints(");
        try (Client client = Client.builder().endpoints("http://127.0.0.1:1").build()) {
            assertThatThrownBy(() -> EtcdCoordinatorBuilder.create()
                            .endpoints("http://127.0.0.1:1")
                            .client(client)
                            .buildBackend())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not both");
            assertThatThrownBy(() -> EtcdCoordinatorBuilder.create()
                            .client(client)
                            .credentials("u", "p")
                            .buildBackend())
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
            EtcdBackend backend = EtcdCoordinatorBuilder.create().client(client).buildBackend();
            backend.close();
            backend.close();
            assertThat(closes.get()).as("close() calls on the caller's client").isZero();
            assertThat(backend.describe()).contains("jetcd Client given by the caller");
        }
    }

    @Test
    void minimum_ttl_and_durations_are_checked() {
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create().minimumTtl(Duration.ofMillis(500)))
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create().requestTimeout(Duration.ZERO))
                .hasMessageContaining("requestTimeout must be positive");
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create().sessionTtl(Duration.ofSeconds(-1)))
                .hasMessageContaining("sessionTtl must be positive");
    }

    @Test
    void a_ttl_below_the_minimum_is_rejected_before_any_request() {
        try (EtcdBackend backend =
                EtcdCoordinatorBuilder.create().endpoints("http://127.0.0.1:1").buildBackend()) {
            assertThatThrownBy(() -> backend.grantLease(Duration.ofMillis(1500)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("below the minimum TTL PT2S")
                    .hasMessageContaining("use at least PT2S");
        }
    }

    @Test
    void tls_files_must_exist() {
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create().tls(Paths.get("/nonexistent/ca.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/nonexistent/ca.pem");
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create()
                        .endpoints("https://127.0.0.1:2379")
                        .tlsClientCertificate(Paths.get("pom.xml"), Paths.get("pom.xml"))
                        .buildBackend())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tls(caCertificates)");
    }

    @Test
    void tls_and_https_endpoints_go_together() {
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create()
                        .endpoints("https://127.0.0.1:2379")
                        .buildBackend())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("https://127.0.0.1:2379")
                .hasMessageContaining("tls(caCertificates)");
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create()
                        .endpoints("https://127.0.0.1:2379", "http://127.0.0.1:2380")
                        .tls(Paths.get("pom.xml"))
                        .buildBackend())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("http://127.0.0.1:2380")
                .hasMessageContaining("is not https");
    }

    @Test
    void the_password_is_never_shown() {
        EtcdCoordinatorBuilder builder =
                EtcdCoordinatorBuilder.create().endpoints("http://127.0.0.1:1").credentials("app", "s3cr3t-pw");
        assertThat(builder.toString()).contains("app").doesNotContain("s3cr3t-pw");
        try (EtcdBackend backend = builder.buildBackend()) {
            assertThat(backend.describe()).contains("user 'app'").doesNotContain("s3cr3t-pw");
            assertThat(backend.toString()).doesNotContain("s3cr3t-pw");
        }
    }

    @Test
    void an_empty_password_is_refused_as_the_client_s_own_check_not_the_server_s() {
        assertThatThrownBy(() -> EtcdCoordinatorBuilder.create().credentials("app", ""))
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
                .isInstanceOf(EtcdAuthenticationException.class)
                .hasMessageContaining("the jetcd client refused to authenticate user 'app' with an empty password")
                .hasMessageContaining("no request reached etcd http://127.0.0.1:2379")
                .hasMessageNotContaining("refused user");
    }
}
