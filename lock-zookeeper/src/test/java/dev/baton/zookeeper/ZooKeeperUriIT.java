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

import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13: a {@code zookeeper://} URI gives, through ServiceLoader, a coordinator on a real server (curator-test's
 * TestingServer) whose coordinators of one namespace exclude each other; each mistake names what to fix, never the
 * password.
 */
@Timeout(60)
class ZooKeeperUriIT {
    private static final String SECRET = "zk-Pw-93-secret";

    @Test
    void uri_connects_takes_a_lock_and_closes() throws Exception {
        String uri = "zookeeper://" + ZooKeeperServers.single() + "/uri-app?reap-interval=100ms";
        Duration ttl = ZooKeeperTckEnvironment.SESSION_TTL;
        try (Coordinator a = Coordinator.builder(uri).sessionTtl(ttl).build();
                Coordinator b = Coordinator.builder(uri).sessionTtl(ttl).build();
                LockHandle held = a.lock("job").acquire(Duration.ofSeconds(10))) {
            assertThat(held.isValid()).isTrue();
            assertThat(b.lock("job").tryAcquire())
                    .as("the same namespace, so the same lock")
                    .isEmpty();
            assertThat(a.toString()).contains("uri-app");
        }
    }

    @Test
    void every_mistake_names_what_to_fix_and_never_the_password() {
        String pw = "&password=" + SECRET;
        Map<String, String> expected = Map.of(
                "zookeeper://u@zk1/app?chroot=/x" + pw,
                "zookeeper URI: unknown parameter 'chroot'; zookeeper URIs take connection-timeout, password,"
                        + " password-env, reap-interval, request-timeout, session-timeout",
                "zookeeper:///app?reap-interval=1s" + pw,
                "zookeeper URI: name at least one host, as in zookeeper://zk1:2181,zk2:2181/namespace",
                "zookeeper://bob@zk1/app",
                "zookeeper URI: user 'bob' needs a password: add password-env=VARIABLE or password=...",
                "zookeeper://zk1/app?" + pw.substring(1),
                "zookeeper URI: a password needs a user: write zookeeper://USER@host/...",
                "zookeeper://u@zk1/zookeeper/x?reap-interval=1s" + pw,
                "zookeeper URI: the path (the namespace): namespace must not be under ZooKeeper's reserved",
                "zookeeper://u@zk1/app?session-timeout=1ms" + pw,
                "zookeeper URI: parameter 'session-timeout': sessionTimeout must be from 10 ms",
                "zookeeper://u@zk1/app?connection-timeout=2h" + pw,
                "zookeeper URI: parameter 'connection-timeout': connectionTimeout must be from 10 ms",
                "zookeeper://u@zk1/app?request-timeout=x" + pw,
                "zookeeper URI: parameter 'request-timeout' must be a duration",
                "zookeeper://u@zk1/app?reap-interval=0ms" + pw,
                "zookeeper URI: parameter 'reap-interval': reapInterval must be from 10 ms");
        expected.forEach((uri, message) -> assertThatThrownBy(() -> Coordinator.builder(uri, name -> null))
                .as(uri)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining(SECRET));
        assertThat(Coordinator.builder(
                        "zookeeper://u@zk1:2181,zk2/app?password-env=ZK_PW", Map.of("ZK_PW", SECRET)::get))
                .isNotNull();
    }
}
