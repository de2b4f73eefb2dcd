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

import dev.baton.lock.spi.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A release's delete ({@code compareAndDeleteAsync}) of the version this client wrote is sent from the calling thread
 * with ZooKeeper's asynchronous call, without a hop to the executor the default would run it on; a version it cannot
 * delete as written goes the read path on that executor, with the blocking call's answer.
 */
@Timeout(60)
class ZooKeeperAsyncReleaseIT {
    private static final byte[] VALUE = "x".getBytes(StandardCharsets.UTF_8);
    private static final Duration TTL = Duration.ofSeconds(30);

    private final ZooKeeperTckEnvironment env = new ZooKeeperTckEnvironment(ZooKeeperServers.single());
    private final Tasks tasks = new Tasks();

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void a_delete_of_the_version_this_client_wrote_is_sent_without_the_executor() throws Exception {
        try (ZooKeeperBackend backend = env.builder().build()) {
            Entry written = backend.createIfAbsent("locks/jobs/1", VALUE, backend.grantLease(TTL))
                    .orElseThrow();

            boolean deleted = backend.compareAndDeleteAsync("locks/jobs/1", written.version(), tasks)
                    .get(10, TimeUnit.SECONDS);

            assertThat(deleted).as("deleted").isTrue();
            assertThat(tasks.queued).as("tasks given to the executor").isEmpty();
            assertThat(backend.get("locks/jobs/1"))
                    .as("the key after the delete")
                    .isEmpty();
        }
    }

    @Test
    void a_version_another_client_wrote_is_deleted_through_the_read_path_on_the_executor() throws Exception {
        try (ZooKeeperBackend writer = env.builder().build();
                ZooKeeperBackend other = env.builder().build()) {
            Entry written = writer.createIfAbsent("locks/jobs/1", VALUE, writer.grantLease(TTL))
                    .orElseThrow();

            var answer = other.compareAndDeleteAsync("locks/jobs/1", written.version(), tasks);
            assertThat(tasks.queued).as("tasks given to the executor").hasSize(1);
            tasks.runAll();

            assertThat(answer.get(10, TimeUnit.SECONDS)).as("deleted").isTrue();
            assertThat(other.get("locks/jobs/1")).as("the key after the delete").isEmpty();
        }
    }

    @Test
    void a_version_this_client_wrote_but_another_changed_since_is_not_deleted() throws Exception {
        try (ZooKeeperBackend first = env.builder().build();
                ZooKeeperBackend second = env.builder().build()) {
            Entry written = first.createIfAbsent("locks/jobs/1", VALUE, first.grantLease(TTL))
                    .orElseThrow();
            Entry changed = second.compareAndSet("locks/jobs/1", written.version(), VALUE, second.grantLease(TTL))
                    .orElseThrow();

            // The first client's record still names its own write: the multi-operation is sent, fails on the node,
            // and the read path on the executor finds a newer version.
            var answer = first.compareAndDeleteAsync("locks/jobs/1", written.version(), tasks);
            await(tasks);
            tasks.runAll();

            assertThat(answer.get(10, TimeUnit.SECONDS)).as("deleted").isFalse();
            assertThat(first.get("locks/jobs/1").map(Entry::version))
                    .as("the other client's version, still there")
                    .hasValue(changed.version());
        }
    }

    /** Waits until the executor has been given a task (the failed multi-operation's answer hands the read path to it). */
    private static void await(Tasks tasks) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !tasks.queued.isEmpty());
    }

    /** An executor that only queues its tasks, so a test sees whether any were given and runs them itself. */
    private static final class Tasks implements Executor {
        final List<Runnable> queued = new CopyOnWriteArrayList<>();

        @Override
        public void execute(Runnable task) {
            queued.add(task);
        }

        void runAll() {
            queued.forEach(Runnable::run);
        }
    }
}
