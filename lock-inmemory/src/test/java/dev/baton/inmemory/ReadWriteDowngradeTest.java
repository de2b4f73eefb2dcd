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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedReadWriteLock;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossReason;
import dev.baton.lock.WriteLockHandle;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A read-write lock's downgrade when its one request fails: the write handle is invalid before the request is sent,
 * so whatever happens nothing is held afterwards and nothing stays on the server. On a manual clock, with every
 * callback and background request inline.
 */
@Timeout(30)
class ReadWriteDowngradeTest {
    private final ManualTimeSource time = new ManualTimeSource();
    private final InMemoryCluster cluster = new InMemoryCluster(time);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void a_downgrade_whose_answer_was_lost_holds_nothing_and_leaves_nothing() throws Exception {
        LosesNextCasAnswer backend = new LosesNextCasAnswer(
                InMemoryBackend.builder().cluster(cluster).build());
        try (Coordinator coordinator = coordinator(backend);
                Coordinator other =
                        coordinator(InMemoryBackend.builder().cluster(cluster).build())) {
            DistributedReadWriteLock lock = coordinator.readWriteLock("prices");
            WriteLockHandle write = lock.writeLock().acquire(Duration.ofSeconds(5));
            backend.loseNext.set(true);

            assertThatThrownBy(write::downgrade).isInstanceOf(BackendUnavailableException.class);

            assertThat(write.isValid()).isFalse();
            assertThat(cluster.keys())
                    .as("keys after a downgrade whose answer was lost")
                    .isEmpty();
            WriteLockHandle next = other.readWriteLock("prices")
                    .writeLock()
                    .tryAcquire()
                    .orElseThrow(() -> new AssertionError("the lock after the failed downgrade"));
            assertThat(next.fencingToken()).isGreaterThan(write.fencingToken());
            next.close();
            lock.readLock().tryAcquire().orElseThrow().close();
        }
    }

    @Test
    void a_downgrade_of_an_entry_removed_on_the_server_is_a_loss() throws Exception {
        try (Coordinator coordinator =
                        coordinator(InMemoryBackend.builder().cluster(cluster).build());
                InMemoryBackend inspector =
                        InMemoryBackend.builder().cluster(cluster).build()) {
            DistributedReadWriteLock lock = coordinator.readWriteLock("prices");
            WriteLockHandle write = lock.writeLock().acquire(Duration.ofSeconds(5));
            List<String> keys = List.copyOf(cluster.keys());
            assertThat(keys).hasSize(1);
            Entry entry = inspector.get(keys.get(0)).orElseThrow();
            assertThat(inspector.compareAndDelete(entry.key(), entry.version())).isTrue();

            assertThatThrownBy(write::downgrade)
                    .isInstanceOf(LockLostException.class)
                    .satisfies(e -> assertThat(((LockLostException) e).reason()).isEqualTo(LossReason.ENTRY_REMOVED));

            assertThat(write.isValid()).isFalse();
            assertThat(cluster.keys()).isEmpty();
            LockHandle read = lock.readLock().tryAcquire().orElseThrow(() -> new AssertionError("the lock afterwards"));
            read.close();
        }
    }

    private Coordinator coordinator(CoordinationBackend backend) {
        return Coordinator.builder(backend)
                .sessionTtl(Duration.ofSeconds(10))
                .timeSource(time)
                .callbackExecutor(Runnable::run)
                .blockingExecutor(Runnable::run)
                .closeBackendOnClose(true)
                .build();
    }
}
