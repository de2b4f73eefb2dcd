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
package dev.baton.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.BackendUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The traps of issue 12 point 7, tried as a new user would, without a server: one TTL setting (an explicit session
 * timeout that contradicts the coordinator's session TTL is refused before connecting, naming the setting), a clear
 * error for a Curator client that was never started, and connection failures that keep a cause.
 */
@Timeout(30)
class ZooKeeperEntryShapeTest {
    @Test
    void an_explicit_session_timeout_shorter_than_the_session_ttl_is_refused_naming_the_setting_to_change() {
        assertThatThrownBy(() -> ZooKeeperBackend.builder()
                        .connectString(deadAddress())
                        .sessionTimeout(Duration.ofSeconds(4))
                        .coordinatorBuilder()
                        .sessionTtl(Duration.ofSeconds(6))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessionTimeout PT4S is shorter than the coordinator's sessionTtl PT6S")
                .hasMessageContaining("raise sessionTimeout(...) to at least PT6S, lower sessionTtl(...), or leave"
                        + " sessionTimeout unset");
    }

    @Test
    void a_session_ttl_below_four_reap_intervals_is_refused_naming_the_session_ttl() {
        assertThatThrownBy(() -> ZooKeeperBackend.builder()
                        .connectString(deadAddress())
                        .reapInterval(Duration.ofSeconds(1))
                        .coordinatorBuilder()
                        .sessionTtl(Duration.ofSeconds(3))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessionTtl PT3S is below the minimum TTL PT4S")
                .hasMessageContaining("reapInterval(...)");
    }

    @Test
    void a_curator_client_that_was_never_started_is_refused_with_start_it_first() {
        try (CuratorFramework client = CuratorFrameworkFactory.newClient(deadAddress(), new RetryNTimes(0, 0))) {
            assertThatThrownBy(() -> ZooKeeperBackend.builder().curator(client).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("never started: call its start() before building the ZooKeeper backend");
            assertThatThrownBy(() -> ZooKeeperBackend.builder()
                            .curator(client)
                            .coordinatorBuilder()
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("never started");
        }
    }

    @Test
    void a_closed_curator_client_is_refused() {
        CuratorFramework client = CuratorFrameworkFactory.newClient(deadAddress(), new RetryNTimes(0, 0));
        client.start();
        client.close();
        assertThatThrownBy(() -> ZooKeeperBackend.builder().curator(client).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void a_failure_to_connect_keeps_zookeepers_connection_loss_as_its_cause() {
        String address = deadAddress();
        assertThatThrownBy(() -> ZooKeeperBackend.builder()
                        .connectString(address)
                        .connectionTimeout(Duration.ofMillis(300))
                        .build())
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("ZooKeeper " + address)
                .hasMessageContaining("not connected to ZooKeeper within the connection timeout (300 ms)")
                .hasCauseInstanceOf(KeeperException.ConnectionLossException.class);
    }

    @Test
    void a_call_that_finds_no_connection_keeps_zookeepers_connection_loss_as_its_cause() {
        try (CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(deadAddress())
                .connectionTimeoutMs(300)
                .retryPolicy(new RetryNTimes(0, 0))
                .build()) {
            client.start();
            try (ZooKeeperBackend backend =
                    ZooKeeperBackend.builder().curator(client).build()) {
                assertThatThrownBy(() -> backend.get("locks/a"))
                        .isInstanceOf(BackendUnavailableException.class)
                        .hasMessageContaining("for read locks/a")
                        .hasCauseInstanceOf(KeeperException.ConnectionLossException.class);
            }
        }
    }

    @Test
    void a_backend_built_alone_asks_for_the_default_session_ttl() {
        assertThat(ZooKeeperBackend.DEFAULT_SESSION_TIMEOUT)
                .isEqualTo(dev.baton.lock.CoordinatorBuilder.DEFAULT_SESSION_TTL);
    }

    /** A loopback address on which nothing listens (a port just freed). */
    private static String deadAddress() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
