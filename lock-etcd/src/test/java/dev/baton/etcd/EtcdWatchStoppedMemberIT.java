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

import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A watch whose stream sits on a member that is then stopped (SIGSTOP: its sockets stay open, it answers nothing, not
 * even an error) still delivers: the backend probes a silent stream with a progress request and resumes one that
 * leaves it unanswered on another member. Several watches are opened so that the client's round-robin places some on
 * the member that is stopped; each must deliver the deletion, or reset (the recipes then list again, which shows the
 * deletion as well), within {@link #DELIVERED_WITHIN}. With a request timeout of 2 s one failover attempt is 500 ms:
 * a silent stream is probed within 250 ms, taken as broken 500 ms later, and resumed; a resumed stream that lands on
 * the stopped member again goes the same way, and a watch that cannot be resumed for the request timeout resets.
 *
 * <p>Before the fix, the watches on the stopped member never delivered the deletion (a waiter behind the key waited
 * until its own acquire timed out).
 */
class EtcdWatchStoppedMemberIT {
    private static final int WATCHES = 6;
    /** Probe period (250 ms) + the request timeout of failing resumptions (2 s) + one probe (500 ms), with room. */
    private static final Duration DELIVERED_WITHIN = Duration.ofSeconds(4);

    @Test
    void every_watch_delivers_a_deletion_although_one_member_is_stopped() {
        try (EtcdCluster cluster = EtcdCluster.start(3);
                EtcdBackend backend = cluster.builder("watch-stopped-it").build()) {
            cluster.awaitHealthy(Duration.ofSeconds(30));
            String key = "k/watched";
            Entry created =
                    backend.createIfAbsent(key, bytes("a"), Entry.NO_LEASE).orElseThrow();
            List<AtomicInteger> puts = new ArrayList<>();
            List<AtomicInteger> deletes = new ArrayList<>();
            List<Watch> watches = new ArrayList<>();
            for (int i = 0; i < WATCHES; i++) {
                AtomicInteger put = new AtomicInteger();
                AtomicInteger deleted = new AtomicInteger();
                puts.add(put);
                deletes.add(deleted);
                watches.add(backend.watch(key, false, created.version(), new WatchListener() {
                    @Override
                    public void onEvent(WatchEvent event) {
                        (event.type() == WatchEvent.Type.DELETE ? deleted : put).incrementAndGet();
                    }

                    @Override
                    public void onReset(String why) {
                        deleted.incrementAndGet(); // a reset waiter lists again, which shows the deletion too
                    }
                }));
            }
            // A key watch opens "from now" and then checks that nothing changed since the given revision; a write
            // made before that check would (rightly) reset the watch instead of delivering, so wait for every start.
            Awaitility.await("every watch's start checked")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> watches.stream().allMatch(w -> ((WatchRegistry.Opened) w).startChecked()));
            assertThat(deletes.stream().mapToInt(AtomicInteger::get).sum())
                    .as("resets before the fault")
                    .isZero();
            // Every stream is live before the member stops: each delivered a write made after it opened.
            Entry written = backend.compareAndSet(key, created.version(), bytes("b"), Entry.NO_LEASE)
                    .orElseThrow();
            Awaitility.await("every watch delivered the write")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> puts.stream().allMatch(p -> p.get() == 1));
            int leader = cluster.leader();
            assertThat(leader).as("leader").isGreaterThanOrEqualTo(0);
            int stopped = (leader + 1) % cluster.size(); // a follower: no election, only a silent member
            cluster.pause(stopped);
            try {
                assertThat(backend.compareAndDelete(key, written.version()))
                        .as("deleted")
                        .isTrue();
                long deletedAt = System.nanoTime();
                Awaitility.await("every watch delivered the deletion")
                        .atMost(DELIVERED_WITHIN)
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> deletes.stream().allMatch(d -> d.get() >= 1));
                Figures.print(
                        "watch with a member stopped",
                        "%d watches delivered the deletion (or reset) within %d ms (bound %d ms)",
                        WATCHES,
                        (System.nanoTime() - deletedAt) / 1_000_000,
                        DELIVERED_WITHIN.toMillis());
            } finally {
                cluster.resume(stopped);
                watches.forEach(Watch::close);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
