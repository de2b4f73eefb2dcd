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
package dev.baton.consul.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch under {@code X-Consul-Index} going backwards (tombstones reaped, a snapshot restore) and blocking queries
 * that wake with nothing changed: it resets when it cannot order what it sees, and delivers nothing spurious. The
 * watch is built directly on a query of its own with a 1 s wait, so that a query's end-of-wait answer comes within the
 * test.
 */
class ConsulWatchIndexTest {
    private static final byte[] V = "v".getBytes(StandardCharsets.UTF_8);

    private ConsulEmulator consul;
    private ConsulApiHttp http;
    private final List<String> resets = new CopyOnWriteArrayList<>();
    private final List<WatchEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        consul = ConsulEmulator.start();
        http = new ConsulApiHttp(URI.create(consul.address()), null, null, Duration.ofSeconds(5), null);
    }

    @AfterEach
    void stop() {
        http.close();
        consul.close();
    }

    private void set(String key) {
        assertThat(http.txn(List.of(new TxnOp(TxnVerb.SET, key, V, 0, 0, null))).committed())
                .isTrue();
    }

    private void delete(String key) {
        assertThat(http.txn(List.of(TxnOp.of(TxnVerb.DELETE, key, 0))).committed())
                .isTrue();
    }

    private ConsulWatch watch(String prefix) {
        KvRead baseline = http.list(prefix + "/");
        List<Entry> entries = new ArrayList<>();
        baseline.entries().forEach(kv -> entries.add(entry(kv)));
        ConsulSharedQuery query = new ConsulSharedQuery(http, prefix + "/", true, Duration.ofSeconds(1), q -> {});
        ConsulWatch w = new ConsulWatch(
                query,
                prefix,
                true,
                ConsulWatchIndexTest::entry,
                new WatchListener() {
                    @Override
                    public void onEvent(WatchEvent event) {
                        events.add(event);
                    }

                    @Override
                    public void onReset(String reason) {
                        resets.add(reason);
                    }
                },
                ForkJoinPool.commonPool(),
                () -> {});
        assertThat(w.start(entries, baseline.index())).isTrue();
        return w;
    }

    private static Entry entry(KvEntry kv) {
        return new Entry(kv.key(), kv.value(), kv.modifyIndex(), kv.createIndex(), Entry.NO_LEASE);
    }

    @Test
    void a_prefix_index_that_goes_back_when_tombstones_are_reaped_resets_the_watch() throws Exception {
        set("p/a");
        set("p/b");
        delete("p/b");
        try (ConsulWatch w = watch("p")) {
            // Let one end-of-wait answer through (the prefix index is the tombstone's), then reap.
            Thread.sleep(1500);
            assertThat(resets).as("resets before the reaping").isEmpty();
            consul.reapTombstones();
            await().atMost(Duration.ofSeconds(10)).until(() -> !resets.isEmpty());
            assertThat(resets.get(0)).contains("went back");
            assertThat(events).as("events: nothing changed but the index").isEmpty();
        }
    }

    @Test
    void a_snapshot_restore_that_takes_a_key_away_resets_the_watch_instead_of_missing_the_delete() {
        set("r/a");
        Object snapshot = consul.snapshot();
        set("r/b");
        try (ConsulWatch w = watch("r")) {
            consul.restore(snapshot);
            await().atMost(Duration.ofSeconds(10)).until(() -> !resets.isEmpty());
            assertThat(events).as("events").isEmpty();
        }
    }

    @Test
    void spurious_wake_ups_deliver_nothing_and_the_watch_still_sees_the_next_change() throws Exception {
        set("s/a");
        consul.spuriousWakeups(true);
        try (ConsulWatch w = watch("s")) {
            Thread.sleep(1000); // about ten early answers with nothing changed
            assertThat(events).isEmpty();
            set("s/b");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
            assertThat(events.get(0).key()).isEqualTo("s/b");
            assertThat(resets).isEmpty();
        }
    }
}
