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
import dev.baton.lock.LockHandle;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.tck.ForwardingBackend;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A create whose answer was lost and that the server applies only later (held in a connection that a partition
 * stalled) must not leave an entry holding the lock for no one: the coordinator keeps looking for it and removes it.
 */
@Timeout(60)
class LateCreateTest {
    private static final Duration SESSION_TTL = Duration.ofSeconds(1);

    private final InMemoryCluster cluster = new InMemoryCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Fails the first create without applying it, and lets the test apply it later. */
    private static final class LateCreates extends ForwardingBackend {
        final AtomicBoolean armed = new AtomicBoolean(true);
        final AtomicReference<Supplier<Optional<Entry>>> stalled = new AtomicReference<>();

        LateCreates(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
            if (armed.compareAndSet(true, false)) {
                stalled.set(() -> delegate().createIfAbsent(key, value, leaseId));
                throw new BackendUnavailableException(null, "request timed out (the test holds it back)", null);
            }
            return super.createIfAbsent(key, value, leaseId);
        }
    }

    @Test
    void an_entry_created_after_its_request_failed_is_removed_and_the_lock_is_not_stuck() throws Exception {
        LateCreates faulty =
                new LateCreates(InMemoryBackend.builder().cluster(cluster).build());
        try (Coordinator late = Coordinator.builder(faulty)
                        .sessionTtl(SESSION_TTL)
                        .closeBackendOnClose(true)
                        .build();
                Coordinator other = InMemoryBackend.builder()
                        .cluster(cluster)
                        .coordinatorBuilder()
                        .sessionTtl(SESSION_TTL)
                        .build()) {
            assertThatThrownBy(() -> late.lock("jobs").acquire(Duration.ofSeconds(5)))
                    .isInstanceOf(BackendUnavailableException.class);

            // The held-back create lands now, on the late coordinator's live session, after the janitor's first read
            // found nothing.
            // Checked by the create's own answer: the janitor may already have removed the entry again by the time
            // this thread could list the cluster (seen on a busy machine).
            assertThat(faulty.stalled.get().get()).as("the late entry landed").isPresent();

            // Without the janitor watching for late writes this entry would hold "jobs" for as long as the late
            // coordinator lives; with it, the other coordinator gets the lock within the late-write window.
            try (LockHandle handle = other.lock("jobs").acquire(SESSION_TTL.multipliedBy(6))) {
                assertThat(handle.isValid()).isTrue();
            }
            assertThat(late.sessionState().toString()).isEqualTo("CONNECTED");
        }
        assertThat(cluster.keys()).isEmpty();
    }
}
