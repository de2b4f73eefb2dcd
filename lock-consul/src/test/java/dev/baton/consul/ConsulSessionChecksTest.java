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
import dev.baton.lock.spi.NoSuchLeaseException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backend's sessions are governed by their TTL alone: created with empty checks, they survive their node's
 * {@code serfHealth} check turning critical (which destroys a session created with Consul's default checks at once);
 * a node that leaves the cluster still ends them, and the next renewal says so.
 */
class ConsulSessionChecksTest {
    private static final Duration TTL = Duration.ofSeconds(10);

    private ConsulEmulator consul;
    private ConsulBackend onNodeA;
    private ConsulBackend observer;

    @BeforeEach
    void start() {
        consul = ConsulEmulator.start();
        onNodeA = ConsulBackend.builder()
                .agentAddress(consul.addAgent("node-a"))
                .requestTimeout(Duration.ofSeconds(5))
                .build();
        observer = ConsulBackend.builder().agentAddress(consul.address()).build();
    }

    @AfterEach
    void stop() {
        onNodeA.close();
        observer.close();
        consul.close();
    }

    @Test
    void a_session_has_no_checks_and_keeps_its_key_when_its_node_fails_by_gossip() {
        long lease = onNodeA.grantLease(TTL);
        assertThat(onNodeA.createIfAbsent("k", new byte[] {1}, lease)).isPresent();
        String session = consul.oldestHolder("baton/");
        assertThat(consul.sessionChecks(session))
                .as("checks of the backend's session")
                .isEmpty();

        consul.failNode("node-a");

        assertThat(consul.sessionChecks(session))
                .as("the session after its node's serfHealth turned critical")
                .isNotNull();
        assertThat(observer.get("k")).as("the key the session holds").isPresent();
        consul.recoverNode("node-a");
        onNodeA.keepAlive(lease);
        onNodeA.revokeLease(lease);
    }

    @Test
    void a_node_that_leaves_ends_the_session_and_its_next_renewal_says_so() {
        long lease = onNodeA.grantLease(TTL);
        assertThat(onNodeA.createIfAbsent("k", new byte[] {1}, lease)).isPresent();

        consul.nodeLeft("node-a");

        assertThat(observer.get("k")).as("the key of a session whose node left").isEmpty();
        assertThatThrownBy(() -> onNodeA.keepAlive(lease)).isInstanceOf(NoSuchLeaseException.class);
    }
}
