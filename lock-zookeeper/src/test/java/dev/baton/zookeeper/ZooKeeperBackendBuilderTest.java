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

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The builder's checks, which run before any connection is made: each bad setting gets an exception whose message
 * names the setting, what was wrong and what to give instead. No server is needed.
 */
class ZooKeeperBackendBuilderTest {
    @Test
    void well_formed_connect_strings_are_accepted() {
        for (String ok : List.of(
                "127.0.0.1:2181",
                "localhost",
                "zk1:2181,zk2:2181,zk3:2181",
                "zk1,zk2:2182",
                "zk-1.example.com:2181",
                "[::1]:2181",
                "[fe80::1]",
                "zk1:2181,zk2:2181/apps/billing",
                "zk1:2181/",
                "zk1:65535")) {
            assertThatCode(() -> ZooKeeperBackend.builder().connectString(ok))
                    .as(ok)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void malformed_connect_strings_are_refused_naming_the_mistake() {
        assertThatThrownBy(() -> ZooKeeperBackend.builder().connectString(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("connectString");
        refused("", "must not be blank");
        refused("   ", "must not be blank");
        refused("zk://zk1:2181", "without a scheme");
        refused("zk1:2181, zk2:2181", "contains whitespace at character 9; remove it");
        refused("zk1:2181,,zk2:2181", "empty host between commas");
        refused("zk1:2181,", "empty host between commas");
        refused(":2181", "a port without a host");
        refused("zk1:", "has the port '' for host zk1; a port is a number from 1 to 65535");
        refused("zk1:0", "has the port '0'");
        refused("zk1:65536", "has the port '65536'");
        refused("zk1:21810000", "has the port '21810000'");
        refused("zk1:port", "has the port 'port'");
        refused("zk1:-1", "has the port '-1'");
        refused("::1:2181", "more than one ':'; write an IPv6 address as [addr]:port");
        refused("[::1:2181", "without its closing ']'");
        refused("[zk1]:2181", "not an IPv6 address");
        refused("[::1]2181", "write [addr]:port");
        refused("zk1;zk2", "the character ';'");
        refused("zk1:2181/apps/", "not a valid ZooKeeper path");
        refused("zk1:2181/apps//billing", "not a valid ZooKeeper path");
        refused("/apps", "names no host");
    }

    private static void refused(String connectString, String expected) {
        assertThatThrownBy(() -> ZooKeeperBackend.builder().connectString(connectString))
                .as("'%s'", connectString)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected)
                .hasMessageContaining("e.g. \"zk1:2181,zk2:2181,zk3:2181\"");
    }

    @Test
    void bad_namespaces_are_refused_naming_the_rule() {
        for (String bad : List.of("/baton", "baton//", "a//b", "a/./b", "a/../b", "a\u0000b", "a b", "")) {
            assertThatThrownBy(() -> ZooKeeperBackend.builder().namespace(bad))
                    .as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("namespace ");
        }
        assertThatThrownBy(() -> ZooKeeperBackend.builder().namespace("zookeeper"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved /zookeeper");
        assertThatThrownBy(() -> ZooKeeperBackend.builder().namespace("zookeeper/quota"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved /zookeeper");
        assertThatThrownBy(() -> ZooKeeperBackend.builder().namespace(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("namespace");
        assertThatCode(() -> ZooKeeperBackend.builder().namespace("apps/billing/locks"))
                .doesNotThrowAnyException();
        assertThatCode(() -> ZooKeeperBackend.builder().namespace("apps/billing/"))
                .as("one trailing '/' is dropped")
                .doesNotThrowAnyException();
    }

    @Test
    void timeouts_out_of_range_are_refused_with_the_range() {
        ZooKeeperBackend.Builder b = ZooKeeperBackend.builder();
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofMillis(9), Duration.ofDays(2))) {
            assertThatThrownBy(() -> b.sessionTimeout(bad))
                    .as("session %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sessionTimeout must be from 10 ms to PT24H, got " + bad);
        }
        for (Duration bad : List.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofHours(2))) {
            assertThatThrownBy(() -> b.connectionTimeout(bad))
                    .as("connection %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("connectionTimeout must be from 10 ms to PT1H, got " + bad);
            assertThatThrownBy(() -> b.requestTimeout(bad))
                    .as("request %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("requestTimeout must be from 10 ms to PT1H, got " + bad);
        }
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(1), Duration.ofHours(7))) {
            assertThatThrownBy(() -> b.reapInterval(bad))
                    .as("reap %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reapInterval must be from 10 ms to PT6H, got " + bad)
                    .hasMessageContaining("minimum lease TTL is four intervals");
        }
        assertThatThrownBy(() -> b.sessionTimeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("sessionTimeout");
        assertThatCode(() -> b.sessionTimeout(Duration.ofMillis(10))
                        .sessionTimeout(Duration.ofDays(1))
                        .connectionTimeout(Duration.ofHours(1))
                        .requestTimeout(Duration.ofMillis(10))
                        .reapInterval(Duration.ofHours(6)))
                .doesNotThrowAnyException();
    }

    @Test
    void a_session_timeout_shorter_than_the_minimum_ttl_is_refused_before_connecting() {
        ZooKeeperBackend.Builder b = ZooKeeperBackend.builder()
                .connectString("127.0.0.1:1")
                .reapInterval(Duration.ofMillis(250))
                .sessionTimeout(Duration.ofMillis(900));
        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "sessionTimeout PT0.9S is shorter than the minimum lease TTL, four reap" + " intervals (PT1S)")
                .hasMessageContaining(
                        "raise sessionTimeout to at least the coordinator's session TTL, or lower" + " reapInterval");
    }

    @Test
    void exactly_one_of_connect_string_and_client_is_required() {
        assertThatThrownBy(() -> ZooKeeperBackend.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("give exactly one of connectString(...) and curator(...)");
    }

    @Test
    void bad_authentication_and_acl_settings_are_refused() {
        assertThatThrownBy(() -> ZooKeeperBackend.builder().digestAuthentication("", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("digest user must be non-empty and must not contain ':'");
        assertThatThrownBy(() -> ZooKeeperBackend.builder().digestAuthentication("a:b", "s3cret-pw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain ':'")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ZooKeeperBackend.builder().acl(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acl must not be empty");
    }
}
