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
import static org.awaitility.Awaitility.await;

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.tck.FaultInjectingBackend;
import dev.baton.lock.tck.TcpProxy;
import dev.baton.zookeeper.internal.Layout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Leases nobody can renew any more are not left on the server: a session-bound lease whose revoke failed (the
 * coordinator's close could not reach the server), which can never be renewed once its client closes, and a lease
 * whose grant took effect but lost its answer, which no caller knows of. With no other client in the namespace no
 * reaper would ever expire them. Nothing else runs in these namespaces, so whatever the test finds left stays left.
 */
@Timeout(60)
class ZooKeeperLeaseLeakIT {
    private static final Duration LONG_TTL = Duration.ofMinutes(1);

    private final ZooKeeperTckEnvironment env = new ZooKeeperTckEnvironment(ZooKeeperServers.single());

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void a_session_lease_whose_revoke_failed_at_coordinator_close_is_removed_when_the_backend_closes()
            throws Exception {
        FaultInjectingBackend backend = new FaultInjectingBackend(env.newBackend());
        Coordinator coordinator = Coordinator.builder(backend)
                .sessionTtl(ZooKeeperTckEnvironment.SESSION_TTL)
                .closeBackendOnClose(true)
                .build();
        coordinator.lock("jobs").acquire(Duration.ofSeconds(10));
        assertThat(env.liveLeases()).hasValue(1);

        backend.partition(); // the close's revoke cannot reach the server; the backend's own close still does
        coordinator.close();

        assertThat(env.liveLeases()).as("leases left after close").hasValue(0);
        assertThat(env.keysOnServer()).as("keys left after close").isEmpty();
    }

    @Test
    void a_session_bound_lease_never_revoked_is_removed_when_the_backend_closes() throws Exception {
        ZooKeeperBackend backend = env.builder().build();
        long lease = backend.grantLease(ZooKeeperTckEnvironment.SHORT_TTL);
        backend.createIfAbsent("locks/jobs/1", "x".getBytes(StandardCharsets.UTF_8), lease);

        backend.close();

        assertThat(env.liveLeases()).as("leases left after close").hasValue(0);
        assertThat(env.keysOnServer()).as("keys left after close").isEmpty();
        assertThat(env.allNodes())
                .as("nodes left after close, parents of the lease's entries included")
                .isEmpty();
    }

    @Test
    void a_revoke_leaves_the_parents_it_emptied_to_the_reaper_which_prunes_them() throws Exception {
        ZooKeeperBackend backend = env.builder().build();
        try {
            long lease = backend.grantLease(LONG_TTL);
            backend.createIfAbsent("locks/jobs/1", "x".getBytes(StandardCharsets.UTF_8), lease);
            String keysRoot = new Layout(backend.rootPath()).keysRoot();

            backend.revokeLease(lease);

            assertThat(env.liveLeases()).hasValue(0);
            assertThat(env.keysOnServer()).isEmpty();
            await("the reaper's rounds to prune the parents left empty, 40 rounds after the revoke")
                    .atMost(ZooKeeperTckEnvironment.REAP_INTERVAL
                            .multipliedBy(40)
                            .plusSeconds(20))
                    .until(() -> env.allNodes().stream().noneMatch(p -> p.startsWith(keysRoot + "/")));
        } finally {
            backend.close();
        }
    }

    @Test
    void a_parent_emptied_by_a_release_stays_for_the_idle_rounds_and_is_pruned_after_them() throws Exception {
        ZooKeeperBackend backend = env.builder().build();
        try {
            long lease = backend.grantLease(ZooKeeperTckEnvironment.SESSION_TTL);
            long version = backend.createIfAbsent("locks/hot/1", "x".getBytes(StandardCharsets.UTF_8), lease)
                    .orElseThrow()
                    .version();
            String parent = new Layout(backend.rootPath()).structure("locks/hot");
            Duration idle = ZooKeeperTckEnvironment.REAP_INTERVAL.multipliedBy(40);

            assertThat(backend.compareAndDelete("locks/hot/1", version)).isTrue();

            // Pruned at the reaper's next round, the parent would be gone within a round or two; the next acquire of
            // the lock would then fail on it, re-create it and try again.
            await("the parent to stay for ten reap intervals after the release")
                    .during(ZooKeeperTckEnvironment.REAP_INTERVAL.multipliedBy(10))
                    .atMost(idle)
                    .until(() -> env.allNodes().contains(parent));
            await("the reaper to prune the parent once it was idle for 40 rounds")
                    .atMost(idle.plusSeconds(20))
                    .until(() -> !env.allNodes().contains(parent));
        } finally {
            backend.close();
        }
    }

    @Test
    void a_lease_whose_grant_lost_its_answer_is_removed_without_waiting_for_its_ttl() throws Exception {
        String server = ZooKeeperServers.single();
        int colon = server.lastIndexOf(':');
        try (TcpProxy proxy =
                TcpProxy.start(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)))) {
            ZooKeeperBackend backend = ZooKeeperBackend.builder()
                    .connectString(proxy.address())
                    .namespace(env.namespace())
                    .sessionTimeout(ZooKeeperTckEnvironment.SESSION_TTL)
                    .requestTimeout(Duration.ofMillis(500))
                    .reapInterval(ZooKeeperTckEnvironment.REAP_INTERVAL)
                    .build();
            try {
                backend.revokeLease(backend.grantLease(LONG_TTL)); // the parent node, so the next create can succeed
                proxy.blackholeReplies(); // the create reaches the server, its answer does not come back

                assertThatThrownBy(() -> backend.grantLease(LONG_TTL)).isInstanceOf(BackendUnavailableException.class);
                await("the unanswered create to be on the server")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> env.liveLeases().getAsInt() == 1);
                proxy.heal();

                await("the lease nobody knows of to be removed, long before its TTL of " + LONG_TTL)
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> env.liveLeases().getAsInt() == 0);
            } finally {
                backend.close();
            }
        }
    }
}
