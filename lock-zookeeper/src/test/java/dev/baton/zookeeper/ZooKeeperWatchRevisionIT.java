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

import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A watch of a key or prefix that does not exist yet is not reset by the backend's own skeleton nodes: the revision
 * of an absent key once counted the namespace root's children, so the clock node that a reaper creates on its first
 * round with a lease to check, landing between a listing and the watch made from it, reset the watch although
 * nothing under the prefix had changed (seen as a flaky {@code spi_watch_delivers_changes_in_revision_order} on the
 * ensemble under load).
 */
@Timeout(60)
class ZooKeeperWatchRevisionIT {
    private final ZooKeeperTckEnvironment env = new ZooKeeperTckEnvironment(ZooKeeperServers.single());
    /** Holds the reaper's thread, so that the test decides when its rounds run. */
    private final ScheduledExecutorService reaperThread = Executors.newSingleThreadScheduledExecutor();

    private final CountDownLatch reaperMayRun = new CountDownLatch(1);

    @AfterEach
    void close() {
        reaperMayRun.countDown();
        reaperThread.shutdownNow();
        env.close();
    }

    @Test
    void the_reaper_creating_its_clock_node_does_not_reset_a_watch_of_an_absent_prefix() throws Exception {
        reaperThread.execute(() -> {
            try {
                reaperMayRun.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (ZooKeeperBackend backend = env.builder().executor(reaperThread).build()) {
            backend.grantLease(Duration.ofMinutes(1)); // a lease for the reaper's round to check
            long start = backend.list("jobs").revision();
            assertThat(env.admin().checkExists().forPath("/" + env.namespace() + "/clock"))
                    .as("the clock node before the reaper's first round")
                    .isNull();

            backend.reapExpiredLeases(); // creates the clock node, as the first round would

            AtomicReference<String> reset = new AtomicReference<>();
            Watch watch = backend.watch("jobs", true, start, new WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {}

                @Override
                public void onReset(String reason) {
                    reset.set(reason);
                }
            });
            watch.close();
            assertThat(reset.get())
                    .as("reset of a watch of an unchanged, absent prefix")
                    .isNull();
        }
    }
}
