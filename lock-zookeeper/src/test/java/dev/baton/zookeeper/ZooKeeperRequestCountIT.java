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

import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.zookeeper.internal.Layout;
import dev.baton.zookeeper.internal.LeaseTies;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.KillSession;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The requests a mutex cycle sends to the server, counted by a proxy between the backend and the server (pings left
 * out; the reapers, which would add their rounds and remove leases, are held on their executor): the uncontended
 * acquire is the create and one listing of the children, without reading back the entry it just wrote; the release of
 * an entry as this client wrote it is one multi-operation, without a read, and still never deletes another
 * incarnation of the key (ZooKeeper's data version starts again at 0 in a node created anew). A TTL lock's or lease's
 * cycle on a lease of its own (grant, create, revoke) is one request more than the mutex's: the revoke of a lease whose
 * entries this client wrote is one multi-operation, without listing the lease, and leaves the parent nodes for the
 * reaper's round to prune.
 */
@Timeout(60)
class ZooKeeperRequestCountIT {
    private static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);
    /** Longer than the session timeout the test servers grant: a lease that is not tied to the ZooKeeper session. */
    private static final Duration LONG_TTL = Duration.ofMinutes(1);

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
    void an_acquire_sends_the_listing_of_the_children_without_waiting_for_the_create_to_answer() throws Exception {
        proxy.reset();
        proxy.holdAnswers();
        CompletableFuture<Listing> listed;
        try {
            listed = CompletableFuture.supplyAsync(() ->
                    backend.createIfAbsentAndList("m/a", VALUE, lease, "m").orElseThrow());
            await("both requests sent while no answer came back")
                    .atMost(Duration.ofSeconds(5))
                    .until(proxy::requests, r -> r.equals(List.of(OpCode.multi, OpCode.getChildren2)));
        } finally {
            proxy.releaseAnswers();
        }

        Listing listing = listed.get(10, TimeUnit.SECONDS);
        Entry own = backend.get("m/a").orElseThrow();
        assertThat(listing.entries()).as("the listing, which saw the create").containsExactly(own);
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

    @Test
    void a_ttl_lock_cycle_on_a_lease_longer_than_the_session_is_grant_create_and_list_and_one_revoke()
            throws Exception {
        for (int cycle = 0; cycle < 2; cycle++) {
            List<List<Integer>> calls = ownLeaseCycle(LONG_TTL, "m/ttl");

            assertThat(calls)
                    .as("cycle %d: grantLease, createIfAbsentAndList, revokeLease", cycle)
                    .containsExactly(
                            List.of(OpCode.create), List.of(OpCode.multi, OpCode.getChildren2), List.of(OpCode.multi));
        }
        assertThat(env.keysOnServer()).isEmpty();
        assertThat(env.liveLeases()).hasValue(1); // the backend's session lease alone
    }

    @Test
    void a_ttl_lock_cycle_on_a_lease_tied_to_the_session_is_grant_create_and_list_and_one_revoke() throws Exception {
        for (int cycle = 0; cycle < 2; cycle++) {
            List<List<Integer>> calls = ownLeaseCycle(ZooKeeperTckEnvironment.SHORT_TTL, "m/ttl");

            assertThat(calls)
                    .as("cycle %d: grantLease, createIfAbsentAndList, revokeLease", cycle)
                    .containsExactly(
                            List.of(OpCode.create), List.of(OpCode.multi, OpCode.getChildren2), List.of(OpCode.multi));
        }
        assertThat(env.keysOnServer()).isEmpty();
        assertThat(env.liveLeases()).hasValue(1);
    }

    @Test
    void a_ttl_lock_cycle_moved_from_the_session_lease_onto_its_own_sets_and_revokes_without_reading()
            throws Exception {
        for (int cycle = 0; cycle < 2; cycle++) {
            List<List<Integer>> calls = new ArrayList<>();
            proxy.reset();
            Entry won = backend.createIfAbsentAndList("m/ttl", VALUE, lease, "m")
                    .orElseThrow()
                    .entries()
                    .get(0);
            calls.add(proxy.requests());
            proxy.reset();
            long own = backend.grantLease(LONG_TTL);
            calls.add(proxy.requests());
            proxy.reset();
            Entry moved =
                    backend.compareAndSet("m/ttl", won.version(), VALUE, own).orElseThrow();
            calls.add(proxy.requests());
            assertThat(moved.leaseId()).isEqualTo(own);
            assertThat(moved.createSequence()).isEqualTo(won.createSequence());
            assertThat(backend.get("m/ttl")).contains(moved);
            assertThat(env.admin()
                            .checkExists()
                            .forPath(new Layout(backend.rootPath()).entry("m/ttl"))
                            .getEphemeralOwner())
                    .as("on a lease longer than the session, the entry is persistent")
                    .isZero();
            proxy.reset();
            backend.revokeLease(own);
            calls.add(proxy.requests());
            report("moved onto its own lease", calls);

            assertThat(calls)
                    .as("cycle %d: createIfAbsentAndList, grantLease, compareAndSet, revokeLease", cycle)
                    .containsExactly(
                            List.of(OpCode.multi, OpCode.getChildren2),
                            List.of(OpCode.create),
                            List.of(OpCode.multi),
                            List.of(OpCode.multi));
            assertThat(backend.get("m/ttl")).isEmpty();
        }
        assertThat(env.liveLeases()).hasValue(1);
    }

    @Test
    void a_compare_and_set_of_an_entry_another_client_deleted_and_created_again_leaves_the_new_entry() {
        long otherLease = other.grantLease(ZooKeeperTckEnvironment.SESSION_TTL);
        long own = backend.grantLease(LONG_TTL);
        // In place on the same lease (the reference is checked), and onto another lease (the reference is deleted).
        for (long target : new long[] {lease, own}) {
            Entry written = backend.createIfAbsent("m/a", VALUE, lease).orElseThrow();
            assertThat(other.compareAndDelete("m/a", written.version())).isTrue();
            Entry again = other.createIfAbsent("m/a", VALUE, otherLease).orElseThrow();

            assertThat(backend.compareAndSet("m/a", written.version(), "w".getBytes(StandardCharsets.UTF_8), target))
                    .isEmpty();

            assertThat(other.get("m/a")).contains(again);
            assertThat(other.compareAndDelete("m/a", again.version())).isTrue();
        }
    }

    @Test
    void a_compare_and_set_onto_the_same_lease_sets_the_entry_in_place_without_reading() {
        Entry own = backend.createIfAbsent("m/a", VALUE, lease).orElseThrow();
        proxy.reset();

        Entry set = backend.compareAndSet("m/a", own.version(), "w".getBytes(StandardCharsets.UTF_8), lease)
                .orElseThrow();

        assertThat(proxy.requests()).containsExactly(OpCode.multi);
        assertThat(set.createSequence()).isEqualTo(own.createSequence());
        assertThat(backend.get("m/a")).contains(set);
        assertThat(backend.compareAndSet("m/a", own.version(), VALUE, lease)).isEmpty();
        assertThat(backend.compareAndDelete("m/a", set.version())).isTrue();
    }

    @Test
    void a_revoke_of_a_lease_with_an_entry_another_client_attached_removes_every_entry_by_reading_the_lease()
            throws Exception {
        long own = backend.grantLease(LONG_TTL);
        backend.createIfAbsent("m/a", VALUE, own).orElseThrow();
        other.createIfAbsent("m/b", VALUE, own).orElseThrow();
        proxy.reset();

        backend.revokeLease(own);

        // The multi-operation of the entries this client wrote fails on the lease's other reference: nothing deleted.
        assertThat(proxy.requests()).containsExactly(OpCode.multi, OpCode.getChildren, OpCode.multiRead, OpCode.multi);
        assertThat(env.keysOnServer()).isEmpty();
        assertThat(env.liveLeases()).hasValue(1);
        assertThat(env.admin().checkExists().forPath(new Layout(backend.rootPath()).lease(own)))
                .isNull();
    }

    @Test
    void a_revoke_of_a_lease_with_more_entries_than_one_request_takes_reads_the_lease_and_removes_them_all()
            throws Exception {
        long own = backend.grantLease(LONG_TTL);
        for (int i = 0; i <= LeaseTies.ONE_REQUEST_REVOKE_LIMIT; i++) {
            backend.createIfAbsent("m/e" + i, VALUE, own).orElseThrow();
        }
        proxy.reset();

        backend.revokeLease(own);

        assertThat(proxy.requests())
                .as("no multi-operation tried before the read")
                .startsWith(OpCode.getChildren);
        assertThat(env.keysOnServer()).isEmpty();
        assertThat(env.liveLeases()).hasValue(1);
    }

    @Test
    void a_revoke_after_the_entry_was_moved_to_another_lease_leaves_the_entry() throws Exception {
        long own = backend.grantLease(LONG_TTL);
        Entry created = backend.createIfAbsent("m/a", VALUE, own).orElseThrow();
        long otherLease = other.grantLease(LONG_TTL);
        Entry moved =
                other.compareAndSet("m/a", created.version(), VALUE, otherLease).orElseThrow();

        backend.revokeLease(own);

        assertThat(other.get("m/a")).contains(moved);
        assertThat(env.admin().checkExists().forPath(new Layout(backend.rootPath()).lease(own)))
                .isNull();
        other.revokeLease(otherLease);
    }

    @Test
    void a_create_on_a_lease_revoked_meanwhile_fails_and_leaves_nothing() throws Exception {
        long own = backend.grantLease(LONG_TTL);
        backend.revokeLease(own);

        assertThatThrownBy(() -> backend.createIfAbsentAndList("m/a", VALUE, own, "m"))
                .isInstanceOf(NoSuchLeaseException.class);
        assertThat(env.keysOnServer()).isEmpty();
        assertThat(env.liveLeases()).hasValue(1);
    }

    /** One cycle on a lease of its own: the requests of grantLease, createIfAbsentAndList and revokeLease. */
    private List<List<Integer>> ownLeaseCycle(Duration ttl, String key) {
        List<List<Integer>> calls = new ArrayList<>();
        proxy.reset();
        long own = backend.grantLease(ttl);
        calls.add(proxy.requests());
        proxy.reset();
        Listing listing = backend.createIfAbsentAndList(key, VALUE, own, "m").orElseThrow();
        calls.add(proxy.requests());
        assertThat(listing.entries()).singleElement().satisfies(e -> assertThat(e.leaseId())
                .isEqualTo(own));
        proxy.reset();
        backend.revokeLease(own);
        calls.add(proxy.requests());
        report("own lease, ttl " + ttl, calls);
        assertThat(backend.get(key)).isEmpty();
        return calls;
    }

    private static void report(String what, List<List<Integer>> calls) {
        List<String> named = new ArrayList<>();
        int total = 0;
        for (List<Integer> call : calls) {
            List<String> ops = new ArrayList<>();
            for (int op : call) {
                ops.add(Request.op2String(op));
            }
            named.add(ops.toString());
            total += call.size();
        }
        System.out.println("[baton-zookeeper] requests per call, " + what + ": " + named + " = " + total);
    }
}
