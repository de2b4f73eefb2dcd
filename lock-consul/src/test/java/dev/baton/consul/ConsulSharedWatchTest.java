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
import static org.awaitility.Awaitility.await;

import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Watches of one backend on keys under one prefix share one blocking query: each still gets its own events (a watch
 * that joins with an older baseline gets the changes since it), and a listener that blocks holds up no other watch.
 * Changes are made through a second backend, so that they reach the watches through the shared query, not as this
 * client's own writes.
 */
class ConsulSharedWatchTest {
    private static final byte[] V = {1};

    /** Records what a listener receives. */
    private static final class Recorder implements WatchListener {
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
    }

    @Test
    void a_listener_that_blocks_holds_up_no_other_watch_on_the_shared_query() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        try (ConsulEmulator consul = ConsulEmulator.start();
                ConsulBackend watcher =
                        ConsulBackend.builder().agentAddress(consul.address()).build();
                ConsulBackend writer =
                        ConsulBackend.builder().agentAddress(consul.address()).build()) {
            Entry a = writer.createIfAbsent("p/a", V, Entry.NO_LEASE).orElseThrow();
            Entry b = writer.createIfAbsent("p/b", V, Entry.NO_LEASE).orElseThrow();
            Listing listing = watcher.list("p");
            Recorder other = new Recorder();
            try (Watch stuck = watcher.watch("p/a", false, listing.revision(), new WatchListener() {
                        @Override
                        public void onEvent(WatchEvent event) {
                            blocked.countDown();
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }

                        @Override
                        public void onReset(String why) {}
                    });
                    Watch free = watcher.watch("p/b", false, listing.revision(), other)) {
                assertThat(writer.compareAndDelete("p/a", a.version())).isTrue();
                assertThat(blocked.await(10, TimeUnit.SECONDS))
                        .as("the first listener got its event")
                        .isTrue();
                assertThat(writer.compareAndDelete("p/b", b.version())).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> other.events.size() == 1);
                assertThat(other.events.get(0).type()).isEqualTo(WatchEvent.Type.DELETE);
                assertThat(other.events.get(0).key()).isEqualTo("p/b");
                assertThat(other.resets).isEmpty();
                assertThat(consul.mostBlockingQueries())
                        .as("blocking queries for two watches under one prefix")
                        .isEqualTo(1);
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void a_watch_that_joins_the_shared_query_with_an_older_baseline_gets_the_changes_since_it() {
        try (ConsulEmulator consul = ConsulEmulator.start();
                ConsulBackend watcher =
                        ConsulBackend.builder().agentAddress(consul.address()).build();
                ConsulBackend writer =
                        ConsulBackend.builder().agentAddress(consul.address()).build()) {
            writer.createIfAbsent("p/a", V, Entry.NO_LEASE).orElseThrow();
            Entry b = writer.createIfAbsent("p/b", V, Entry.NO_LEASE).orElseThrow();
            Listing old = watcher.list("p");
            Recorder first = new Recorder();
            Recorder late = new Recorder();
            try (Watch prefix = watcher.watch("p", true, old.revision(), first)) {
                assertThat(writer.compareAndDelete("p/b", b.version())).isTrue();
                // The shared query has answered past the old listing once the prefix watch has the delete.
                await().atMost(Duration.ofSeconds(10)).until(() -> first.events.size() == 1);
                try (Watch key = watcher.watch("p/b", false, old.revision(), late)) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> late.events.size() == 1);
                    assertThat(late.events.get(0).type()).isEqualTo(WatchEvent.Type.DELETE);
                    assertThat(late.events.get(0).revision()).isGreaterThan(old.revision());
                    assertThat(late.resets).isEmpty();
                    assertThat(consul.mostBlockingQueries()).isEqualTo(1);
                }
            }
        }
    }
}
