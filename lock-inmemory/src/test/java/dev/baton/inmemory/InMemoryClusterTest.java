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
package dev.baton.inmemory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.TimeSource;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class InMemoryClusterTest {
    private static final Duration TTL = Duration.ofSeconds(10);

    private final ManualTimeSource time = new ManualTimeSource();
    private final InMemoryCluster cluster = new InMemoryCluster(time);
    private final InMemoryBackend backend =
            InMemoryBackend.builder().cluster(cluster).build();

    @AfterEach
    void closeCluster() {
        backend.close();
        cluster.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private Entry create(String key, long lease) {
        return backend.createIfAbsent(key, bytes(key), lease).orElseThrow();
    }

    @Test
    void every_key_change_takes_the_next_revision_and_create_sequence_is_the_creating_revision() {
        long lease = backend.grantLease(TTL);
        assertThat(cluster.revision()).isZero();

        Entry a = create("a", lease);
        Entry b = create("b", lease);
        Entry a2 = backend.compareAndSet("a", a.version(), bytes("a2"), lease).orElseThrow();
        assertThat(backend.compareAndDelete("b", b.version())).isTrue();
        Entry c = create("c", lease);

        assertThat(a.createSequence()).isEqualTo(1).isEqualTo(a.version());
        assertThat(b.createSequence()).isEqualTo(2);
        assertThat(a2.version()).isEqualTo(3);
        assertThat(a2.createSequence()).isEqualTo(1);
        assertThat(c.createSequence()).isEqualTo(5);
        assertThat(cluster.revision()).isEqualTo(5);
    }

    @Test
    void create_sequence_is_never_reused_after_a_key_is_deleted_and_created_again() {
        long lease = backend.grantLease(TTL);
        Entry first = create("k", lease);
        backend.compareAndDelete("k", first.version());
        Entry second = create("k", lease);

        assertThat(second.createSequence()).isGreaterThan(first.createSequence());
    }

    @Test
    void compare_and_set_and_compare_and_delete_fail_on_a_stale_version() {
        long lease = backend.grantLease(TTL);
        Entry created = create("k", lease);
        Entry updated = backend.compareAndSet("k", created.version(), bytes("v2"), lease)
                .orElseThrow();

        assertThat(backend.compareAndSet("k", created.version(), bytes("v3"), lease))
                .isEmpty();
        assertThat(backend.compareAndDelete("k", created.version())).isFalse();
        assertThat(backend.get("k")).contains(updated);
        assertThat(backend.compareAndDelete("k", updated.version())).isTrue();
        assertThat(backend.get("k")).isEmpty();
        assertThat(backend.compareAndSet("k", updated.version(), bytes("v4"), lease))
                .isEmpty();
        assertThat(backend.compareAndDelete("k", updated.version())).isFalse();
    }

    @Test
    void create_if_absent_on_an_existing_key_changes_nothing() {
        long lease = backend.grantLease(TTL);
        Entry created = create("k", lease);
        long revision = cluster.revision();

        assertThat(backend.createIfAbsent("k", bytes("other"), lease)).isEmpty();

        assertThat(backend.get("k")).contains(created);
        assertThat(cluster.revision()).isEqualTo(revision);
    }

    @Test
    void lease_expiry_deletes_its_keys_and_emits_delete_events_at_the_deadline() {
        long lease = backend.grantLease(TTL);
        long other = backend.grantLease(TTL.multipliedBy(2));
        create("q/1", lease);
        create("q/2", lease);
        create("q/3", other);
        long deadline = time.nanoTime() + TTL.toNanos();
        List<Long> seenAt = new ArrayList<>();
        Recorder recorder = new Recorder() {
            @Override
            public void onEvent(WatchEvent event) {
                seenAt.add(time.nanoTime());
                super.onEvent(event);
            }
        };
        backend.watch("q", true, cluster.revision(), recorder);

        time.advance(TTL.minusNanos(1));
        assertThat(recorder.events).isEmpty();

        time.advance(Duration.ofNanos(1));

        assertThat(recorder.events)
                .extracting(WatchEvent::type, WatchEvent::key)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(WatchEvent.Type.DELETE, "q/1"),
                        org.assertj.core.groups.Tuple.tuple(WatchEvent.Type.DELETE, "q/2"));
        assertThat(seenAt).containsOnly(deadline);
        assertThat(cluster.keys()).containsExactly("q/3");
        assertThat(cluster.liveLeaseCount()).isEqualTo(1);
        assertThatThrownBy(() -> backend.keepAlive(lease)).isInstanceOf(NoSuchLeaseException.class);
    }

    @Test
    void keep_alive_extends_the_lease_by_a_full_ttl_from_now() {
        long lease = backend.grantLease(TTL);
        create("k", lease);

        time.advance(Duration.ofSeconds(8));
        backend.keepAlive(lease);
        time.advance(Duration.ofSeconds(8));
        assertThat(cluster.keys()).containsExactly("k");
        backend.keepAlive(lease);
        time.advance(TTL.minusNanos(1));
        assertThat(cluster.keys()).containsExactly("k");

        time.advance(Duration.ofNanos(1));
        assertThat(cluster.keys()).isEmpty();
        assertThat(time.pendingTaskCount()).isZero();
    }

    @Test
    void leases_expire_lazily_on_the_next_operation_even_when_no_timer_fires() {
        AtomicLong now = new AtomicLong();
        TimeSource timerless = new TimeSource() {
            @Override
            public long nanoTime() {
                return now.get();
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                return () -> {};
            }
        };
        try (InMemoryCluster lazy = new InMemoryCluster(timerless);
                InMemoryBackend client = InMemoryBackend.builder().cluster(lazy).build()) {
            long lease = client.grantLease(TTL);
            client.createIfAbsent("k", bytes("v"), lease);

            now.addAndGet(TTL.toNanos());

            assertThat(client.get("k")).isEmpty();
            assertThatThrownBy(() -> client.createIfAbsent("k2", bytes("v"), lease))
                    .isInstanceOf(NoSuchLeaseException.class);
        }
    }

    @Test
    void unknown_or_expired_leases_are_rejected_and_revoking_an_unknown_lease_does_nothing() {
        assertThatThrownBy(() -> backend.createIfAbsent("k", bytes("v"), 42L))
                .isInstanceOf(NoSuchLeaseException.class)
                .hasMessageContaining(Long.toHexString(42L));
        assertThatThrownBy(() -> backend.keepAlive(42L)).isInstanceOf(NoSuchLeaseException.class);
        backend.revokeLease(42L);

        long lease = backend.grantLease(TTL);
        Entry entry = create("k", lease);
        long expired = backend.grantLease(Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(1));

        assertThatThrownBy(() -> backend.compareAndSet("k", entry.version(), bytes("v"), expired))
                .isInstanceOf(NoSuchLeaseException.class);
        assertThatThrownBy(() -> backend.createIfAbsent("other", bytes("v"), expired))
                .isInstanceOf(NoSuchLeaseException.class);
        assertThat(backend.get("k")).contains(entry);
        assertThat(cluster.keys()).containsExactly("k");
    }

    @Test
    void lease_ids_are_positive_and_unique() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(backend.grantLease(TTL));
        }
        assertThat(ids).allSatisfy(id -> assertThat(id).isPositive()).doesNotHaveDuplicates();
        assertThat(cluster.liveLeaseCount()).isEqualTo(1000);
    }

    @Test
    void compare_and_set_moves_a_key_to_another_lease() {
        long first = backend.grantLease(TTL);
        long second = backend.grantLease(TTL.multipliedBy(3));
        Entry entry = create("k", first);

        Entry moved =
                backend.compareAndSet("k", entry.version(), bytes("v"), second).orElseThrow();
        backend.revokeLease(first);

        assertThat(moved.leaseId()).isEqualTo(second);
        assertThat(backend.get("k")).contains(moved);
        backend.revokeLease(second);
        assertThat(backend.get("k")).isEmpty();
    }

    @Test
    void revoke_deletes_the_leases_keys_and_cancels_its_timer() {
        long lease = backend.grantLease(TTL);
        create("a", lease);
        create("b", lease);

        backend.revokeLease(lease);

        assertThat(cluster.keys()).isEmpty();
        assertThat(cluster.liveLeaseCount()).isZero();
        assertThat(time.pendingTaskCount()).isZero();
        assertThat(cluster.revision()).isEqualTo(4);
    }

    @Test
    void list_orders_by_create_sequence_and_isolates_prefixes() {
        long lease = backend.grantLease(TTL);
        create("a/z", lease);
        create("ab/x", lease);
        create("a", lease);
        create("a/b/deep", lease);
        create("a/m", lease);
        create("a0", lease);

        Listing listing = backend.list("a");

        assertThat(listing.entries()).extracting(Entry::key).containsExactly("a/z", "a/b/deep", "a/m");
        assertThat(listing.revision()).isEqualTo(cluster.revision());
        assertThat(backend.list("ab").entries()).extracting(Entry::key).containsExactly("ab/x");
        assertThat(backend.list("nothing").entries()).isEmpty();
    }

    @Test
    void a_watch_replays_retained_events_after_the_revision_then_follows_live_ones() {
        long lease = backend.grantLease(TTL);
        Entry one = create("w/1", lease);
        long from = cluster.revision();
        Entry two = create("w/2", lease);
        create("x/ignored", lease);
        backend.compareAndDelete("w/1", one.version());
        Recorder recorder = new Recorder();

        backend.watch("w", true, from, recorder);
        create("w/3", lease);

        assertThat(recorder.events)
                .extracting(WatchEvent::key, WatchEvent::type, WatchEvent::revision)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("w/2", WatchEvent.Type.PUT, two.version()),
                        org.assertj.core.groups.Tuple.tuple("w/1", WatchEvent.Type.DELETE, 4L),
                        org.assertj.core.groups.Tuple.tuple("w/3", WatchEvent.Type.PUT, 5L));
        assertThat(recorder.events.get(0).entry()).contains(two);
        assertThat(recorder.resets).isEmpty();
    }

    @Test
    void a_key_watch_sees_only_its_key_and_a_prefix_watch_not_a_sibling_prefix() {
        long lease = backend.grantLease(TTL);
        Recorder exact = new Recorder();
        Recorder prefix = new Recorder();
        backend.watch("a", false, 0, exact);
        backend.watch("a", true, 0, prefix);

        create("a", lease);
        create("ab/x", lease);
        create("a/x", lease);
        create("ab", lease);

        assertThat(exact.keys()).containsExactly("a");
        assertThat(prefix.keys()).containsExactly("a/x");
    }

    @Test
    void a_watch_from_before_the_retained_history_is_reset_once_and_delivers_nothing() {
        cluster.setHistoryLimit(3);
        long lease = backend.grantLease(TTL);
        for (int i = 0; i < 5; i++) {
            create("k/" + i, lease);
        }
        Recorder tooOld = new Recorder();
        Recorder justInTime = new Recorder();

        backend.watch("k", true, 1, tooOld);
        backend.watch("k", true, 2, justInTime);
        create("k/5", lease);

        assertThat(tooOld.resets).hasSize(1);
        assertThat(tooOld.resets.get(0)).contains("revision 1").contains("re-read");
        assertThat(tooOld.events).isEmpty();
        assertThat(justInTime.revisions()).containsExactly(3L, 4L, 5L, 6L);
        assertThat(justInTime.resets).isEmpty();
    }

    @Test
    void history_limit_zero_still_allows_watching_from_the_current_revision() {
        cluster.setHistoryLimit(0);
        long lease = backend.grantLease(TTL);
        create("k/0", lease);
        Recorder recorder = new Recorder();
        Recorder stale = new Recorder();

        backend.watch("k", true, cluster.revision(), recorder);
        backend.watch("k", true, 0, stale);
        create("k/1", lease);

        assertThat(recorder.revisions()).containsExactly(2L);
        assertThat(stale.resets).hasSize(1);
    }

    @Test
    void events_are_delivered_on_the_writing_thread_before_the_write_returns() {
        long lease = backend.grantLease(TTL);
        List<Thread> threads = new ArrayList<>();
        backend.watch("k", false, 0, new Recorder() {
            @Override
            public void onEvent(WatchEvent event) {
                threads.add(Thread.currentThread());
            }
        });

        create("k", lease);

        assertThat(threads).containsExactly(Thread.currentThread());
    }

    @Test
    void a_listener_that_writes_to_the_cluster_keeps_every_watch_in_revision_order() {
        long lease = backend.grantLease(TTL);
        Recorder observer = new Recorder();
        Recorder writer = new Recorder() {
            @Override
            public void onEvent(WatchEvent event) {
                String suffix = event.key().substring("chain/".length());
                if (!suffix.endsWith("b") && Integer.parseInt(suffix) < 5) {
                    int n = Integer.parseInt(suffix);
                    backend.createIfAbsent("chain/" + (n + 1), bytes("v"), lease);
                    backend.createIfAbsent("chain/" + (n + 1) + "b", bytes("v"), lease);
                }
                super.onEvent(event);
            }
        };
        backend.watch("chain", true, 0, writer);
        backend.watch("chain", true, 0, observer);

        create("chain/0", lease);

        List<Long> all = LongStream.rangeClosed(1, 11).boxed().toList();
        assertThat(cluster.revision()).isEqualTo(11);
        assertThat(writer.revisions()).isEqualTo(all);
        assertThat(observer.revisions()).isEqualTo(all);
    }

    @Test
    void a_throwing_listener_does_not_break_the_cluster_or_its_own_watch() {
        long lease = backend.grantLease(TTL);
        Recorder recorder = new Recorder() {
            @Override
            public void onEvent(WatchEvent event) {
                super.onEvent(event);
                throw new IllegalStateException("listener failure expected by the test");
            }
        };
        backend.watch("k", true, 0, recorder);

        create("k/1", lease);
        create("k/2", lease);

        assertThat(recorder.keys()).containsExactly("k/1", "k/2");
        assertThat(cluster.keys()).containsExactly("k/1", "k/2");
    }

    @Test
    void closing_a_watch_stops_delivery() {
        long lease = backend.grantLease(TTL);
        Recorder recorder = new Recorder();
        Watch watch = backend.watch("k", true, 0, recorder);
        create("k/1", lease);

        watch.close();
        watch.close();
        create("k/2", lease);

        assertThat(recorder.keys()).containsExactly("k/1");
        assertThat(recorder.resets).isEmpty();
    }

    @Test
    void each_watch_sees_strictly_increasing_revisions_without_gaps_under_concurrent_writers() throws Exception {
        int writers = 8;
        int keysPerWriter = 250;
        long lease = backend.grantLease(TTL);
        List<Recorder> perWriter = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Recorder recorder = new Recorder();
            backend.watch("c/w" + w, true, 0, recorder);
            perWriter.add(recorder);
        }
        Recorder everything = new Recorder();
        InMemoryBackend watcherClient =
                InMemoryBackend.builder().cluster(cluster).build();
        watcherClient.watch("c", true, 0, everything);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                InMemoryBackend client =
                        InMemoryBackend.builder().cluster(cluster).build();
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < keysPerWriter; i++) {
                        String key = "c/w" + writer + "/" + i;
                        Entry e = client.createIfAbsent(key, bytes("v"), lease).orElseThrow();
                        client.compareAndSet(key, e.version(), bytes("v2"), lease)
                                .orElseThrow();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            watcherClient.close();
        }

        long total = (long) writers * keysPerWriter * 2;
        assertThat(cluster.revision()).isEqualTo(total);
        // The watch over every key saw every revision, in order, with no gap.
        assertThat(everything.revisions())
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, total).boxed().toList());
        for (int w = 0; w < writers; w++) {
            String prefix = "c/w" + w + "/";
            List<Long> expected = everything.events.stream()
                    .filter(e -> e.key().startsWith(prefix))
                    .map(WatchEvent::revision)
                    .toList();
            assertThat(perWriter.get(w).revisions()).isEqualTo(expected).hasSize(2 * keysPerWriter);
        }
    }

    @Test
    void operator_hooks_expire_revoke_and_delete() {
        long first = backend.grantLease(TTL);
        long second = backend.grantLease(TTL);
        create("a", first);
        create("b", second);
        create("c", Entry.NO_LEASE);
        Recorder recorder = new Recorder();
        backend.watch("b", false, cluster.revision(), recorder);

        cluster.revokeLease(first);
        assertThat(cluster.keys()).containsExactly("b", "c");
        assertThat(cluster.expireAllLeases()).isEqualTo(1);
        assertThat(cluster.keys()).containsExactly("c");
        assertThat(cluster.deleteKey("c")).isTrue();
        assertThat(cluster.deleteKey("c")).isFalse();

        assertThat(cluster.keys()).isEmpty();
        assertThat(cluster.liveLeaseCount()).isZero();
        assertThat(recorder.events).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.DELETE);
        assertThatThrownBy(() -> backend.keepAlive(second)).isInstanceOf(NoSuchLeaseException.class);
    }

    @Test
    void a_key_without_a_lease_lives_until_deleted() {
        create("forever", Entry.NO_LEASE);
        time.advance(Duration.ofDays(2));
        assertThat(backend.get("forever")).map(Entry::leaseId).contains(Entry.NO_LEASE);
    }

    @Test
    void closing_the_cluster_resets_watches_and_makes_backends_unavailable() {
        long lease = backend.grantLease(TTL);
        create("k", lease);
        Recorder recorder = new Recorder();
        backend.watch("k", false, 0, recorder);

        cluster.close();
        cluster.close();

        assertThat(recorder.resets).hasSize(1).allMatch(r -> r.contains("closed"));
        assertThatThrownBy(() -> backend.get("k"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(InMemoryBackend.builder().cluster(cluster)::build).isInstanceOf(IllegalStateException.class);
        assertThat(cluster.keys()).containsExactly("k");
        assertThat(time.pendingTaskCount()).isZero();
    }

    @Test
    void a_cluster_on_the_system_clock_expires_leases_on_its_own_timer() throws Exception {
        try (InMemoryCluster real = new InMemoryCluster();
                InMemoryBackend client = InMemoryBackend.builder().cluster(real).build()) {
            CountDownLatch deleted = new CountDownLatch(1);
            // Long enough that the create below lands before the expiry also on a busy machine (50 ms did not).
            long lease = client.grantLease(Duration.ofSeconds(1));
            client.createIfAbsent("k", bytes("v"), lease);
            client.watch("k", false, 0, new Recorder() {
                @Override
                public void onEvent(WatchEvent event) {
                    if (event.type() == WatchEvent.Type.DELETE) {
                        deleted.countDown();
                    }
                }
            });

            assertThat(deleted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(real.keys()).isEmpty();
        }
    }

    @Test
    void get_returns_a_copy_of_the_value() {
        byte[] value = bytes("original");
        backend.createIfAbsent("k", value, Entry.NO_LEASE);
        value[0] = 'X';

        Optional<Entry> read = backend.get("k");

        assertThat(read).map(e -> new String(e.value(), UTF_8)).contains("original");
    }

    static class Recorder implements WatchListener {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final List<String> resets = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(WatchEvent event) {
            events.add(event);
        }

        @Override
        public void onReset(String why) {
            resets.add(why);
        }

        List<String> keys() {
            return events.stream().map(WatchEvent::key).toList();
        }

        List<Long> revisions() {
            return events.stream().map(WatchEvent::revision).toList();
        }
    }
}
