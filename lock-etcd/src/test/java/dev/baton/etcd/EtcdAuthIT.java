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
import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import dev.baton.lock.tck.TckTimeout;
import dev.baton.lock.tck.TckTimeoutExtension;
import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 3, test c: etcd with auth enabled. A user whose role may read and write only the backend's namespace can lock
 * and elect; a wrong password, and no credentials at all, fail with {@link AccessDeniedException} whose message
 * names the user and the fix; a namespace the user was not granted fails naming the permission to grant; and the password appears in no exception message, description, test log line (Baton
 * and jetcd log at debug into {@code target/lock-etcd-tests.log}) nor etcd's own log.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 90)
class EtcdAuthIT {
    private static final String NAMESPACE = "auth-it/";
    private static final String USER = "baton-app";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String ROOT_PASSWORD = "root-" + UUID.randomUUID();

    private static EtcdCluster cluster;

    @BeforeAll
    static void startEtcdWithAuth() throws Exception {
        cluster = EtcdCluster.start(1);
        try (Client admin = cluster.adminClient()) {
            Auth auth = admin.getAuthClient();
            auth.roleAdd(bytes("root")).get(10, TimeUnit.SECONDS);
            auth.userAdd(bytes("root"), bytes(ROOT_PASSWORD)).get(10, TimeUnit.SECONDS);
            auth.userGrantRole(bytes("root"), bytes("root")).get(10, TimeUnit.SECONDS);
            auth.roleAdd(bytes("baton-role")).get(10, TimeUnit.SECONDS);
            byte[] end = NAMESPACE.getBytes(StandardCharsets.UTF_8);
            end[end.length - 1]++;
            auth.roleGrantPermission(
                            bytes("baton-role"), bytes(NAMESPACE), ByteSequence.from(end), Permission.Type.READWRITE)
                    .get(10, TimeUnit.SECONDS);
            auth.userAdd(bytes(USER), bytes(PASSWORD)).get(10, TimeUnit.SECONDS);
            auth.userGrantRole(bytes(USER), bytes("baton-role")).get(10, TimeUnit.SECONDS);
            auth.authEnable().get(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopEtcd() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void the_right_user_locks_and_elects_within_its_namespace() throws Exception {
        try (Coordinator coordinator = builder()
                .credentials(USER, PASSWORD)
                .coordinatorBuilder()
                .sessionTtl(Duration.ofSeconds(2))
                .build()) {
            try (LockHandle handle = coordinator.lock("orders/42").acquire(Duration.ofSeconds(10))) {
                assertThat(handle.fencingToken()).isPositive();
                assertThat(handle.isValid()).isTrue();
            }
            coordinator
                    .election("auth/leader", "a")
                    .campaign(Duration.ofSeconds(10))
                    .close();
        }
        Figures.print("auth", "user '%s' with read-write on '%s' only: lock and election work", USER, NAMESPACE);
    }

    @Test
    void a_wrong_password_fails_with_a_clear_error_that_names_the_user_and_not_the_password() {
        String wrong = "wrong-" + UUID.randomUUID();
        EtcdBackend.Builder builder = builder().credentials(USER, wrong);
        assertThat(builder.toString()).doesNotContain(wrong);
        Throwable failure = catchFailure(builder);
        assertThat(failure)
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("user '" + USER + "'")
                .hasMessageContaining("authentication failed")
                .hasMessageContaining("credentials");
        assertThat(everything(failure)).doesNotContain(wrong).doesNotContain(PASSWORD);
        Figures.print("auth", "wrong password: %s: %s", failure.getClass().getSimpleName(), failure.getMessage());
    }

    @Test
    void no_credentials_on_a_cluster_with_auth_fail_with_a_clear_error() {
        Throwable failure = catchFailure(builder());
        assertThat(failure).isInstanceOf(AccessDeniedException.class).hasMessageContaining("credentials");
        Figures.print("auth", "no credentials: %s: %s", failure.getClass().getSimpleName(), failure.getMessage());
    }

    @Test
    void a_namespace_the_user_may_not_read_fails_naming_the_user_and_the_permission_to_grant() {
        Throwable failure = catchFailure(cluster.builder("not-granted").credentials(USER, PASSWORD));
        assertThat(failure)
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("denied user '" + USER + "' permission for a read of the namespace")
                .hasMessageContaining("etcdctl role grant-permission baton-role --prefix=true readwrite not-granted/")
                .hasMessageContaining("etcdctl user grant-role " + USER + " baton-role");
        assertThat(everything(failure)).doesNotContain(PASSWORD);
        Figures.print(
                "auth", "namespace not granted: %s: %s", failure.getClass().getSimpleName(), failure.getMessage());
    }

    @Test
    void the_password_appears_in_no_log_line() throws Exception {
        // Exercise both paths first, so that their log lines exist.
        try (Coordinator coordinator = builder()
                .credentials(USER, PASSWORD)
                .coordinatorBuilder()
                .sessionTtl(Duration.ofSeconds(2))
                .build()) {
            coordinator.lock("logged").acquire(Duration.ofSeconds(10)).close();
        }
        catchFailure(builder().credentials(USER, PASSWORD + "-not"));
        Path testLog = Paths.get("target", "lock-etcd-tests.log");
        assertThat(testLog)
                .as("the test log that Baton and jetcd write to at debug")
                .exists();
        List<String> lines = Files.readAllLines(testLog, StandardCharsets.UTF_8);
        assertThat(lines).as("lines in the test log").isNotEmpty();
        assertThat(lines).noneMatch(line -> line.contains(PASSWORD));
        long etcdLines = 0;
        for (Path log : cluster.logs()) {
            List<String> etcd = Files.readAllLines(log, StandardCharsets.UTF_8);
            etcdLines += etcd.size();
            assertThat(etcd).noneMatch(line -> line.contains(PASSWORD));
        }
        Figures.print(
                "auth", "password found in 0 of %d test log lines and 0 of %d etcd log lines", lines.size(), etcdLines);
    }

    private static EtcdBackend.Builder builder() {
        return cluster.builder(NAMESPACE);
    }

    private static Throwable catchFailure(EtcdBackend.Builder builder) {
        try (Coordinator unexpected =
                builder.coordinatorBuilder().sessionTtl(Duration.ofSeconds(2)).build()) {
            throw new AssertionError("built a coordinator with bad credentials: " + unexpected);
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static String everything(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
