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

import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * The watch learns this client's own writes through {@link ConsulWatch#local} while a blocking query sent before them
 * may still be answered: an answer that predates a local write must not be taken for Consul losing it, and one to a
 * request sent after the write still must. The query's requests are answered by hand (a scripted {@link ConsulHttp})
 * and the listener calls run when the test says, so each interleaving is exact.
 */
class ConsulWatchLocalWriteTest {
    private static final byte[] V = "v".getBytes(StandardCharsets.UTF_8);

    private final ScriptedHttp http = new ScriptedHttp();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Executor delivery = tasks::add;
    private final List<String> events = new ArrayList<>();
    private final List<String> resets = new ArrayList<>();

    /** A blocking query on prefix {@code p/} and a watch of prefix {@code p} from an empty listing at index 10. */
    private ConsulWatch watch() {
        ConsulSharedQuery query = new ConsulSharedQuery(http, "p/", true, Duration.ofSeconds(30), q -> {});
        ConsulWatch w = new ConsulWatch(
                query,
                "p",
                true,
                kv -> new Entry(kv.key(), kv.value(), kv.modifyIndex(), kv.createIndex(), Entry.NO_LEASE),
                new WatchListener() {
                    @Override
                    public void onEvent(WatchEvent event) {
                        events.add(event.type() + " " + event.key() + "@" + event.revision());
                    }

                    @Override
                    public void onReset(String reason) {
                        resets.add(reason);
                    }
                },
                delivery,
                () -> {});
        assertThat(w.start(List.of(), 10)).isTrue();
        return w;
    }

    private static KvEntry kv(String key, long created, long modified) {
        return new KvEntry(key, V, 0, created, modified, 0, null);
    }

    private static Entry entry(String key, long created, long modified) {
        return new Entry(key, V, modified, created, Entry.NO_LEASE);
    }

    /** Runs the queued listener calls (and leave tasks) on this thread. */
    private void runDeliveries() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            task.run();
        }
    }

    @Test
    void an_answer_to_a_request_sent_before_a_local_write_that_arrives_after_it_is_no_news_for_the_written_key() {
        try (ConsulWatch w = watch()) {
            assertThat(http.requests()).as("requests sent").isEqualTo(1);
            // Request 1 (index 10) is in flight while this client writes k1 and k2 and tells the watch.
            w.local(WatchEvent.Type.PUT, "p/k1", entry("p/k1", 12, 12), 12);
            w.local(WatchEvent.Type.PUT, "p/k2", entry("p/k2", 14, 14), 14);
            // Consul answered request 1 after k1 and before k2; the answer reaches the watch only now.
            http.answer(1, new KvRead(List.of(kv("p/k1", 12, 12)), 12));
            http.answer(2, new KvRead(List.of(kv("p/k1", 12, 12), kv("p/k2", 14, 14)), 14));
            // Then another client writes k3.
            http.answer(3, new KvRead(List.of(kv("p/k1", 12, 12), kv("p/k2", 14, 14), kv("p/k3", 15, 15)), 15));
            runDeliveries();

            assertThat(resets).as("resets").isEmpty();
            assertThat(events).as("events").containsExactly("PUT p/k1@12", "PUT p/k2@14", "PUT p/k3@15");
            assertThat(http.blockIndexes)
                    .as("the index each request blocked on")
                    .containsExactly(10L, 12L, 14L, 15L);
        }
    }

    @Test
    void an_answer_to_a_request_sent_after_a_local_write_that_lacks_the_key_below_its_version_resets_the_watch() {
        try (ConsulWatch w = watch()) {
            w.local(WatchEvent.Type.PUT, "p/k1", entry("p/k1", 12, 12), 12);
            w.local(WatchEvent.Type.PUT, "p/k2", entry("p/k2", 14, 14), 14);
            http.answer(1, new KvRead(List.of(kv("p/k1", 12, 12)), 12));
            runDeliveries();
            assertThat(resets)
                    .as("resets after the answer that predates the write")
                    .isEmpty();
            // Request 2 was sent after the write of k2; Consul, restored from a snapshot taken at index 12, answers
            // without it.
            http.answer(2, new KvRead(List.of(kv("p/k1", 12, 12)), 12));
            runDeliveries();

            assertThat(resets).as("resets").hasSize(1);
            assertThat(resets.get(0)).contains("p/k2", "version 14", "index 12", "went back");
            assertThat(events).as("events").containsExactly("PUT p/k1@12", "PUT p/k2@14");
        }
    }

    @Test
    void a_local_write_made_after_the_request_was_sent_is_checked_against_the_next_request_only() {
        try (ConsulWatch w = watch()) {
            w.local(WatchEvent.Type.PUT, "p/k1", entry("p/k1", 12, 12), 12);
            http.answer(1, new KvRead(List.of(kv("p/k1", 12, 12)), 12));
            // Request 2 (index 12) is in flight when k2 is written; its answer (the end of its wait, nothing changed
            // before the write) comes late.
            w.local(WatchEvent.Type.PUT, "p/k2", entry("p/k2", 14, 14), 14);
            http.answer(2, new KvRead(List.of(kv("p/k1", 12, 12)), 12));
            runDeliveries();
            assertThat(resets)
                    .as("resets after the answer that predates the write")
                    .isEmpty();
            assertThat(events).containsExactly("PUT p/k1@12", "PUT p/k2@14");
            // Request 3 was sent after the write: its answer must hold k2.
            http.answer(3, new KvRead(List.of(kv("p/k1", 12, 12)), 12));
            runDeliveries();

            assertThat(resets).as("resets").hasSize(1);
            assertThat(resets.get(0)).contains("p/k2", "missing");
        }
    }

    /** Answers blocking queries by hand; every other call is a test error. */
    private static final class ScriptedHttp implements ConsulHttp {
        private final List<CompletableFuture<KvRead>> pending = new ArrayList<>();
        final List<Long> blockIndexes = new ArrayList<>();

        int requests() {
            return pending.size();
        }

        /** Completes request {@code n} (from 1); the query then sends its next request on this thread. */
        void answer(int n, KvRead read) {
            assertThat(pending).as("requests sent").hasSizeGreaterThanOrEqualTo(n);
            assertThat(pending.get(n - 1).complete(read))
                    .as("request %d answered once", n)
                    .isTrue();
        }

        @Override
        public CompletableFuture<KvRead> watch(String keyOrPrefix, boolean recurse, long index, Duration wait) {
            blockIndexes.add(index);
            CompletableFuture<KvRead> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        @Override
        public String createSession(String name, Duration ttl, Duration lockDelay) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean renewSession(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void destroySession(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SessionInfo> listSessions() {
            throw new UnsupportedOperationException();
        }

        @Override
        public KvRead get(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KvRead list(String prefix) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TxnResult txn(List<TxnOp> ops) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }
}
