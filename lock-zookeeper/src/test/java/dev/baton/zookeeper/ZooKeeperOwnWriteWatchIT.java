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
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ZooKeeper tells a watcher only that a node changed; the backend reads the node to complete a PUT. When this client
 * creates a key and deletes it before its event thread gets to that read, the read finds nothing: the PUT must still
 * be delivered, with the entry this client wrote, and not dropped (the SPI promises every change, in order).
 */
@Timeout(60)
class ZooKeeperOwnWriteWatchIT {
    private final ZooKeeperTckEnvironment env = new ZooKeeperTckEnvironment(ZooKeeperServers.single());
    private final ZooKeeperBackend backend = env.builder().build();

    @AfterEach
    void close() {
        backend.close();
        env.close();
    }

    @Test
    void a_put_of_an_own_key_deleted_before_its_read_is_delivered_with_the_written_entry() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        List<Entry> puts = new CopyOnWriteArrayList<>();
        AtomicReference<String> reset = new AtomicReference<>();
        long start = backend.list("w").revision();
        Watch watch = backend.watch("w", true, start, new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                events.add(event.type() + " " + event.key());
                event.entry().ifPresent(puts::add);
            }

            @Override
            public void onReset(String why) {
                reset.set(why);
            }
        });

        // Hold ZooKeeper's event thread, which delivers watch events and the answers of asynchronous reads.
        ZooKeeper zk = backend.curator().getZookeeperClient().getZooKeeper();
        String trigger = "/" + env.namespace() + "-hold";
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        zk.exists(trigger, event -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        env.admin().create().forPath(trigger);
        assertThat(held.await(10, TimeUnit.SECONDS)).as("event thread held").isTrue();

        Entry created = backend.createIfAbsent("w/k", "v".getBytes(StandardCharsets.UTF_8), Entry.NO_LEASE)
                .orElseThrow();
        assertThat(backend.compareAndDelete("w/k", created.version())).isTrue();
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2 || reset.get() != null);
        assertThat(reset.get()).as("reset").isNull();
        assertThat(events).containsExactly("PUT w/k", "DELETE w/k");
        assertThat(puts).containsExactly(created);
        watch.close();
        env.admin().delete().forPath(trigger);
    }
}
