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

import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Consul snapshot restore brings keys back with their old {@code CreateIndex}: the head of a queue, the holder, can
 * then carry a fencing token lower than one already handed out. Consul cannot promise otherwise; the backend detects it
 * by the head's creation sequence going backwards under a prefix it listed, and reports it.
 */
class ConsulSnapshotRestoreTest {
    private static final byte[] V = {1};

    @Test
    void a_restore_that_brings_back_an_older_head_is_detected_as_a_fencing_token_regression() {
        try (ConsulEmulator consul = ConsulEmulator.start();
                ConsulBackend backend =
                        ConsulBackend.builder().agentAddress(consul.address()).build()) {
            long a = backend.grantLease(Duration.ofSeconds(60));
            long b = backend.grantLease(Duration.ofSeconds(60));
            Entry first = backend.createIfAbsent("n/1", V, a).orElseThrow();
            Object snapshot = consul.snapshot();
            assertThat(backend.compareAndDelete("n/1", first.version())).isTrue();
            Entry later = backend.createIfAbsent("n/2", V, b).orElseThrow();
            Listing before = backend.list("n");
            assertThat(before.entries().get(0).createSequence()).isEqualTo(later.createSequence());
            assertThat(backend.fencingTokenRegressions()).isZero();

            consul.restore(snapshot);

            Listing after = backend.list("n");
            assertThat(after.revision()).as("X-Consul-Index after the restore").isLessThan(before.revision());
            assertThat(after.entries().get(0).createSequence())
                    .as("the restored head's token, below the one handed out before")
                    .isLessThan(later.createSequence());
            assertThat(backend.fencingTokenRegressions()).isEqualTo(1);
            Entry created = backend.createIfAbsent("n/3", V, a).orElseThrow();
            assertThat(created.createSequence())
                    .as("a key created after the restore: Raft's index does not go back")
                    .isGreaterThan(later.createSequence());
        }
    }

    @Test
    void listings_in_flight_at_once_are_not_taken_for_a_regression_whatever_order_they_are_answered_in()
            throws Exception {
        int threads = 8;
        int rounds = 150;
        try (ConsulEmulator consul = ConsulEmulator.start();
                ConsulBackend backend =
                        ConsulBackend.builder().agentAddress(consul.address()).build()) {
            long lease = backend.grantLease(Duration.ofSeconds(60));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        // Each thread joins the queue, lists it and leaves: the head keeps moving up while other
                        // listings of the same prefix are in flight, as with several waiters in one process.
                        for (int r = 0; r < rounds; r++) {
                            String key = "q/" + thread + "-" + r;
                            Entry own = backend.createIfAbsent(key, V, lease).orElseThrow();
                            backend.list("q");
                            assertThat(backend.compareAndDelete(key, own.version()))
                                    .isTrue();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(backend.fencingTokenRegressions())
                    .as("regressions reported with Consul's state never going back")
                    .isZero();
        }
    }
}
