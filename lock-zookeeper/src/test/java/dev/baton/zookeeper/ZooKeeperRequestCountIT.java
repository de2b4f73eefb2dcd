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
import static org.awaitility.Awaitility.await;

import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.zookeeper.internal.Layout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.KillSession;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The requests a mutex cycle sends to the server, counted by a proxy between the backend and the server (pings left
 * out; the reapers, which would add their rounds and remove leases, are held on their executor): the uncontended
 * acquire is the create and one listing of the children, without reading back the entry it just wrote; the release of
 * an entry as this client wrote it is one multi-operation, without a read, and still never deletes another
 * incarnation of the key (ZooKeeper's data version starts again at 0 in a node created anew).
 */
@Timeout(60)
class ZooKeeperRequestCountIT {
    private static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);

    private final ZooKeeperTckEnvironment env = new ZooKeeperTckEnvironment(ZooKeeperServers.single());
    private final CountDownLatch reaperHeld = new CountDownLatch(1);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private RequestCountingProxy proxy;
    private ZooKeeperBackend backend;
    private ZooKeeperBackend other;
    private long lease;

    @BeforeEach
    void open() throws Exception {
        // The reaper's rounds queue behind this task: only the calls of the test reach the server.
        scheduler.execute(() -> {
            try {
                reaperHeld.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        proxy = new RequestCountingProxy(ZooKeeperServers.single());
        backend = env.builder()
                .connectString(proxy.connectString())
                .executor(scheduler)
                .build();
        other = env.builder().executor(scheduler).build();
        lease = backend.grantLease(ZooKeeperTckEnvironment.SESSION_TTL);
        // A first cycle creates the lock's structure node and lets the client's own start-up requests pass.
        Entry warm = backend.createIfAbsentAndList("m/warm", VALUE, lease, "m")
                .orElseThrow()
                .entries()
                .get(0);
        assertThat(backend.compareAndDelete("m/warm", warm.version())).isTrue();
    }

    @AfterEach
    void close() throws Exception {
        backend.close();
        other.close();
        reaperHeld.countDown();
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        proxy.close();
        env.close();
    }

    @Test
    void an_uncontended_acquire_is_the_create_and_one_listing_of_the_children() {
        proxy.reset();
        Listing listing =
                backend.createIfAbsentAndList("m/a", VALUE, lease, "m").orElseThrow();

        assertThat(proxy.requests()).containsExactly(OpCode.multi, OpCode.getChildren2);
        Entry own = backend.get("m/a").orElseThrow();
        assertThat(listing.entries()).containsExactly(own);
        assertThat(listing.revision()).isEqualTo(own.version());
    }

    @Test
    void a_contended_acquire_reads_every_entry_and_lists_them_in_queue_order() {
        long otherLease = other.grantLease(ZooKeeperTckEnvironment.SESSION_TTL);
        Entry first = other.createIfAbsent("m/first", VALUE, otherLease).orElseThrow();
        proxy.reset();
        Listing listing =
                backend.createIfAbsentAndList("m/second", VALUE, lease, "m").orElseThrow();

        assertThat(proxy.requests()).containsExactly(OpCode.multi, OpCode.getChildren2, OpCode.multiRead);
        assertThat(listing.entries())
                .containsExactly(first, backend.get("m/second").orElseThrow());
        assertThat(listing).isEqualTo(backend.list("m"));
    }

    @Test
    void an_uncontended_release_is_one_multi_operation_without_a_read() {
        Entry own = backend.createIfAbsentAndList("m/a", VALUE, lease, "m")
                .orElseThrow()
                .entries()
                .get(0);
        proxy.reset();
        assertThat(backend.compareAndDelete("m/a", own.version())).isTrue();

        assertThat(proxy.requests()).containsExactly(OpCode.multi);
        assertThat(backend.get("m/a")).isEmpty();
    }

    @Test
    void a_release_of_an_entry_another_client_deleted_and_created_again_leaves_the_new_entry() {
        Entry own = backend.createIfAbsent("m/a", VALUE, lease).orElseThrow();
        assertThat(other.compareAndDelete("m/a", own.version())).isTrue();
        long otherLease = other.grantLease(ZooKeeperTckEnvironment.SESSION_TTL);
        Entry again = other.createIfAbsent("m/a", VALUE, otherLease).orElseThrow();

        assertThat(backend.compareAndDelete("m/a", own.version())).isFalse();

        assertThat(other.get("m/a")).contains(again);
    }

    @Test
    void a_release_after_the_session_of_an_ephemeral_entry_ended_leaves_the_entry_created_since() throws Exception {
        Entry own = backend.createIfAbsent("m/a", VALUE, lease).orElseThrow();
        ZooKeeper first = backend.curator().getZookeeperClient().getZooKeeper();
        long firstSession = first.getSessionId();
        KillSession.kill(first);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> backend.curator().getZookeeperClient().isConnected()
                        && backend.curator().getZookeeperClient().getZooKeeper().getSessionId() != firstSession);
        // The ephemeral entry went with its session (at once, or at the server's session timeout); its reference
        // under the lease stays, with no reaper running.
        long otherLease = other.grantLease(ZooKeeperTckEnvironment.SESSION_TTL);
        Entry again = await().atMost(Duration.ofSeconds(20))
                .until(() -> other.createIfAbsent("m/a", VALUE, otherLease), Optional::isPresent)
                .orElseThrow();
        assertThat(env.admin().checkExists().forPath(new Layout(backend.rootPath()).reference(lease, "m/a")))
                .isNotNull();

        assertThat(backend.compareAndDelete("m/a", own.version())).isFalse();

        assertThat(other.get("m/a")).contains(again);
    }
}
