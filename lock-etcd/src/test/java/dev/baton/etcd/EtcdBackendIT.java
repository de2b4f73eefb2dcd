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

import dev.baton.etcd.internal.EtcdKeys;
import dev.baton.etcd.internal.ResumableWatch;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import dev.baton.lock.tck.TckTimeout;
import dev.baton.lock.tck.TckTimeoutExtension;
import dev.baton.lock.tck.TcpProxy;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.LeaseOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The etcd-specific behaviour of {@link EtcdBackend} that the kit cannot see: TTL rounding, watch resumption across a
 * broken connection without losing a deletion, and a compacted history reported as a reset.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 60)
class EtcdBackendIT {
    private static EtcdCluster cluster;

    @BeforeAll
    static void startEtcd() {
        cluster = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void a_ttl_is_rounded_up_to_whole_seconds_so_the_server_never_expires_it_early() throws Exception {
        try (EtcdBackend backend = cluster.builder("backend-it-ttl").build();
                Client admin = cluster.adminClient()) {
            long lease = backend.grantLease(Duration.ofMillis(1500));
            long granted = admin.getLeaseClient()
                    .timeToLive(lease, LeaseOption.DEFAULT)
                    .get(10, TimeUnit.SECONDS)
                    .getGrantedTTL();
            assertThat(granted).as("granted TTL of a 1.5 s lease, in seconds").isEqualTo(2);
            backend.revokeLease(lease);
        }
    }

    @Test
    void a_watch_resumes_after_its_connection_is_cut_and_delivers_the_deletion_made_meanwhile() throws Exception {
        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", cluster.clientPort(0));
                EtcdBackend watching = EtcdBackend.builder()
                        .endpoints("http://" + proxy.address())
                        .namespace("backend-it-resume")
                        .minimumTtl(EtcdCluster.MINIMUM_TTL)
                        .requestTimeout(Duration.ofSeconds(10))
                        .build();
                EtcdBackend writer = cluster.builder("backend-it-resume").build()) {
            Entry created =
                    writer.createIfAbsent("q/a", bytes("a"), Entry.NO_LEASE).orElseThrow();
            Recording events = new Recording();
            Watch watch = watching.watch("q", true, created.version(), events);
            writer.createIfAbsent("q/b", bytes("b"), Entry.NO_LEASE).orElseThrow();
            Awaitility.await("the first event").atMost(Duration.ofSeconds(10)).until(() -> events.events.size() == 1);

            proxy.cut();
            assertThat(writer.compareAndDelete("q/a", created.version())).isTrue();
            Entry c = writer.createIfAbsent("q/c", bytes("c"), Entry.NO_LEASE).orElseThrow();
            proxy.heal();

            Awaitility.await("the changes made while the connection was cut")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> events.events.size() >= 3 || events.reset.get() != null);
            assertThat(events.reset.get()).as("reset of a resumable watch").isNull();
            assertThat(events.describe()).containsExactly("PUT q/b", "DELETE q/a", "PUT q/c");
            assertThat(events.events.get(2).revision()).isEqualTo(c.version());
            Figures.print(
                    "watch resume",
                    "connection cut and healed: %s delivered once each, in order, no reset",
                    events.describe());
            watch.close();
            writer.compareAndDelete("q/b", writer.get("q/b").orElseThrow().version());
            writer.compareAndDelete("q/c", c.version());
        }
    }

    @Test
    void a_watch_from_a_compacted_revision_is_reset() throws Exception {
        try (EtcdBackend backend = cluster.builder("backend-it-compact").build();
                Client admin = cluster.adminClient()) {
            Entry first =
                    backend.createIfAbsent("k/x", bytes("1"), Entry.NO_LEASE).orElseThrow();
            assertThat(backend.compareAndDelete("k/x", first.version())).isTrue();
            long now = backend.list("k").revision();
            admin.getKVClient().compact(now).get(10, TimeUnit.SECONDS);
            Recording events = new Recording();
            Watch watch = backend.watch("k", true, first.version() - 1, events);
            Awaitility.await("the reset").atMost(Duration.ofSeconds(10)).until(() -> events.reset.get() != null);
            assertThat(events.events).as("events delivered before the reset").isEmpty();
            assertThat(events.reset.get()).contains("compacted");
            Figures.print("watch compaction", "watch from a compacted revision: reset (%s)", events.reset.get());
            watch.close();
        }
    }

    @Test
    @SuppressWarnings("try") // a try-with-resources whose resource is held, not used
    void a_server_that_raises_a_ttl_makes_the_grant_fail_with_the_ttl_it_honours() {
        // A member at etcd's default election timeout (1 s): its minimum TTL is 2 s, above the 1 s configured here.
        try (EtcdCluster defaults =
                        EtcdCluster.start(1, List.of("--heartbeat-interval=100", "--election-timeout=1000"));
                Client admin = defaults.adminClient();
                EtcdBackend backend = defaults.builder("backend-it-raise").build()) {
            assertThatThrownBy(() -> backend.grantLease(Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("raised a lease TTL of 1 s to 2 s")
                    .hasMessageContaining("minimumTtl(Duration.ofSeconds(2))");
            assertThatThrownBy(() -> backend.grantLease(Duration.ofMillis(999)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("below the minimum TTL");
            Figures.print(
                    "ttl limits",
                    "a 1 s lease on a member with a 1 s election timeout is rejected: the server raises it to 2 s");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void create_and_list_returns_the_queue_in_creation_order_with_the_new_entry() throws Exception {
        try (EtcdBackend backend = cluster.builder("backend-it-create-list").build()) {
            long lease = backend.grantLease(Duration.ofSeconds(5));
            Entry first = backend.createIfAbsent("q/z", bytes("1"), lease).orElseThrow();
            Listing listing =
                    backend.createIfAbsentAndList("q/a", bytes("2"), lease, "q").orElseThrow();
            assertThat(listing.entries()).extracting(Entry::key).containsExactly("q/z", "q/a");
            Entry created = listing.entries().get(1);
            assertThat(created.createSequence()).isGreaterThan(first.createSequence());
            assertThat(created.leaseId()).isEqualTo(lease);
            assertThat(listing.revision()).as("listing revision").isEqualTo(created.createSequence());
            assertThat(backend.createIfAbsentAndList("q/a", bytes("3"), lease, "q"))
                    .as("a second create of the same key")
                    .isEmpty();
            backend.revokeLease(lease);
            assertThatThrownBy(() -> backend.createIfAbsentAndList("q/b", bytes("4"), lease, "q"))
                    .isInstanceOf(NoSuchLeaseException.class);
            assertThat(backend.list("q").entries())
                    .as("keys left after the revoke")
                    .isEmpty();
        }
    }

    @Test
    void a_key_watch_opened_after_its_key_was_deleted_reports_the_change() throws Exception {
        try (EtcdBackend backend = cluster.builder("backend-it-gap").build()) {
            Entry e = backend.createIfAbsent("k/a", bytes("1"), Entry.NO_LEASE).orElseThrow();
            assertThat(backend.compareAndDelete("k/a", e.version())).isTrue();
            Recording events = new Recording();
            Watch watch = backend.watch("k/a", false, e.version(), events);
            Awaitility.await("the deletion, or a reset")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> !events.events.isEmpty() || events.reset.get() != null);
            if (events.reset.get() == null) {
                assertThat(events.describe()).containsExactly("DELETE k/a");
            } else {
                assertThat(events.reset.get()).contains("changed between revision " + e.version());
            }
            watch.close();
        }
    }

    @Test
    void a_key_watch_whose_key_did_not_change_before_it_opened_delivers_the_later_deletion() throws Exception {
        try (EtcdBackend backend = cluster.builder("backend-it-nogap").build();
                Client client = cluster.adminClient();
                ScheduledExecutorServiceCloser scheduler = new ScheduledExecutorServiceCloser()) {
            Entry watched =
                    backend.createIfAbsent("k/p", bytes("1"), Entry.NO_LEASE).orElseThrow();
            for (int i = 0; i < 5; i++) { // other keys move the revision past the one the watch starts after
                backend.createIfAbsent("k/other-" + i, bytes("x"), Entry.NO_LEASE)
                        .orElseThrow();
            }
            Recording events = new Recording();
            // The backend's own watch, built directly so the test can see when its start was checked.
            ResumableWatch watch = new ResumableWatch(
                    client.getWatchClient(),
                    client.getKVClient(),
                    new EtcdKeys(EtcdKeys.normalize("backend-it-nogap")),
                    "k/p",
                    false,
                    watched.version(),
                    events,
                    scheduler.executor,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(1));
            watch.start();
            Awaitility.await("the watch's start checked")
                    .atMost(Duration.ofSeconds(10))
                    .until(watch::startChecked);
            assertThat(events.reset.get())
                    .as("reset of a watch whose key did not change")
                    .isNull();
            assertThat(backend.compareAndDelete("k/p", watched.version())).isTrue();
            Awaitility.await("the deletion").atMost(Duration.ofSeconds(10)).until(() -> !events.events.isEmpty());
            assertThat(events.describe()).containsExactly("DELETE k/p");
            assertThat(events.reset.get()).as("reset").isNull();
            watch.close();
        }
    }

    /** A scheduler for a watch built by the test, shut down with it. */
    private static final class ScheduledExecutorServiceCloser implements AutoCloseable {
        final java.util.concurrent.ScheduledExecutorService executor =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Collects a watch's events. */
    private static final class Recording implements WatchListener {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final AtomicReference<String> reset = new AtomicReference<>();

        @Override
        public void onEvent(WatchEvent event) {
            events.add(event);
        }

        @Override
        public void onReset(String why) {
            reset.compareAndSet(null, why);
        }

        List<String> describe() {
            return events.stream().map(e -> e.type() + " " + e.key()).toList();
        }
    }
}
