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

import dev.baton.lock.AccessDeniedException;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import dev.baton.lock.tck.TckTimeout;
import dev.baton.lock.tck.TckTimeoutExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against a real etcd: one member serving {@code https://127.0.0.1:port} with a throwaway CA's server certificate
 * (IP SAN 127.0.0.1) and {@code --client-cert-auth}, so only clients with a certificate from that CA get in. The
 * builder with {@code tls(ca)} and {@code tlsClientCertificate(cert, key)} locks and releases; without the client
 * certificate, or trusting another CA, {@code build()} fails within the request timeout with a {@link
 * BackendUnavailableException} whose message says what TLS problem it was and which builder method to fix.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 60)
class EtcdTlsIT {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /**
     * How much later than the request timeout a failed build() may return: the session is never opened, so what is
     * left is closing the jetcd client and the scheduling of a loaded 2-core host.
     */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(1);

    @TempDir
    static Path certificates;

    private static TestCertificates tls;
    private static EtcdCluster cluster;

    @BeforeAll
    static void startEtcdWithMutualTls() {
        tls = TestCertificates.generate(certificates);
        cluster = EtcdCluster.startTls(1, tls);
    }

    @AfterAll
    static void stopEtcd() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void the_builder_with_the_ca_and_a_client_certificate_locks_and_releases_with_a_fencing_token() throws Exception {
        assertThat(cluster.endpoint(0)).startsWith("https://127.0.0.1:");
        try (Coordinator coordinator = builder()
                .tls(tls.ca)
                .tlsClientCertificate(tls.clientCertificate, tls.clientKey)
                .coordinatorBuilder()
                .sessionTtl(Duration.ofSeconds(2))
                .build()) {
            long first;
            try (LockHandle handle = coordinator.lock("orders/42").acquire(Duration.ofSeconds(10))) {
                first = handle.fencingToken();
                assertThat(first).isPositive();
                assertThat(handle.isValid()).isTrue();
                assertThat(cluster.keys("tls-it/"))
                        .as("the lock's key, read over mutual TLS")
                        .hasSize(1);
            }
            assertThat(cluster.keys("tls-it/")).as("keys after the release").isEmpty();
            try (LockHandle again = coordinator.lock("orders/42").acquire(Duration.ofSeconds(10))) {
                assertThat(again.fencingToken()).isGreaterThan(first);
                Figures.print(
                        "tls",
                        "mutual TLS to %s: locked and released, fencing tokens %d then %d",
                        cluster.endpoint(0),
                        first,
                        again.fencingToken());
            }
        }
    }

    @Test
    void without_the_client_certificate_the_server_refuses_and_the_error_says_so() throws Exception {
        long started = System.nanoTime();
        Throwable failure = catchFailure(builder().tls(tls.ca));
        long elapsed = System.nanoTime() - started;
        Figures.print(
                "tls",
                "no client certificate: %s after %d ms: %s",
                failure.getClass().getSimpleName(),
                TimeUnit.NANOSECONDS.toMillis(elapsed),
                failure.getMessage());
        assertThat(failure)
                .as("a server refusing the client's certificate (or its lack) denies access")
                .isInstanceOf(AccessDeniedException.class)
                .isNotInstanceOf(BackendUnavailableException.class);
        assertThat(failure.getMessage())
                .contains("TLS handshake with etcd " + cluster.endpoint(0))
                .contains("requires a client certificate")
                .contains("tlsClientCertificate(certificate, privateKey)");
        assertThat(Duration.ofNanos(elapsed)).isLessThan(REQUEST_TIMEOUT.plus(CLOSE_SLACK));
        Awaitility.await("etcd logged that it rejected a client without a certificate")
                .atMost(Duration.ofSeconds(5))
                .until(() -> etcdLog().contains("didn't provide a certificate"));
    }

    @Test
    void trusting_the_wrong_ca_fails_clearly_within_the_request_timeout() {
        long started = System.nanoTime();
        Throwable failure =
                catchFailure(builder().tls(tls.otherCa).tlsClientCertificate(tls.clientCertificate, tls.clientKey));
        long elapsed = System.nanoTime() - started;
        Figures.print(
                "tls",
                "wrong CA: %s after %d ms: %s",
                failure.getClass().getSimpleName(),
                TimeUnit.NANOSECONDS.toMillis(elapsed),
                failure.getMessage());
        assertThat(failure).isExactlyInstanceOf(BackendUnavailableException.class);
        assertThat(failure.getMessage())
                .contains("TLS handshake with etcd " + cluster.endpoint(0))
                .contains("not signed by a CA this client trusts")
                .contains("tls(caCertificates)");
        assertThat(Duration.ofNanos(elapsed)).isLessThan(REQUEST_TIMEOUT.plus(CLOSE_SLACK));
    }

    private static EtcdBackend.Builder builder() {
        return EtcdBackend.builder()
                .endpoints(cluster.endpoints())
                .namespace("tls-it")
                .minimumTtl(EtcdCluster.MINIMUM_TTL)
                .requestTimeout(REQUEST_TIMEOUT);
    }

    private static Throwable catchFailure(EtcdBackend.Builder builder) {
        try (Coordinator unexpected =
                builder.coordinatorBuilder().sessionTtl(Duration.ofSeconds(2)).build()) {
            throw new AssertionError("built a coordinator the server should have refused: " + unexpected);
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static String etcdLog() throws Exception {
        StringBuilder all = new StringBuilder();
        for (Path log : cluster.logs()) {
            all.append(Files.readString(log, StandardCharsets.UTF_8));
        }
        return all.toString();
    }
}
