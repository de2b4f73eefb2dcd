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
import static org.awaitility.Awaitility.await;

import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LossReason;
import dev.baton.lock.SessionState;
import dev.baton.lock.Subscription;
import dev.baton.lock.tck.ForwardingBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backend that learns on its own that the session's lease is gone (its client library saw the server expire the
 * session) tells the coordinator, which declares the session lost at once instead of at its next renewal, a third of
 * the TTL later.
 */
@Timeout(60)
class LeaseLostSignalTest {
    /** Long enough that the next renewal (TTL/3 = 20 s) cannot be what tells the holder within the test's waits. */
    private static final Duration SESSION_TTL = Duration.ofSeconds(60);

    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private final InMemoryCluster cluster = new InMemoryCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Lets the test send the backend's lease-lost news. */
    private static final class Signalling extends ForwardingBackend {
        final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

        Signalling(InMemoryBackend delegate) {
            super(delegate);
        }

        @Override
        public Subscription onLeaseLost(LongConsumer listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        void report(long leaseId) {
            listeners.forEach(l -> l.accept(leaseId));
        }
    }

    @Test
    void a_reported_loss_of_the_session_lease_tells_holders_at_once_and_opens_a_new_session() throws Exception {
        Signalling backend =
                new Signalling(InMemoryBackend.builder().cluster(cluster).build());
        try (Coordinator coordinator = Coordinator.builder(backend)
                .sessionTtl(SESSION_TTL)
                .closeBackendOnClose(true)
                .build()) {
            LockHandle handle = coordinator.lock("jobs").acquire(PROMPTLY);
            List<LossReason> told = new CopyOnWriteArrayList<>();
            handle.onLost((h, reason) -> told.add(reason));
            long sessionLease =
                    cluster.entry(cluster.keys().get(0)).orElseThrow().leaseId();

            cluster.revokeLease(sessionLease); // the server ends the session...
            backend.report(sessionLease); // ...and the client library hears of it

            await().atMost(PROMPTLY).until(() -> !told.isEmpty());
            assertThat(handle.isValid()).isFalse();
            assertThat(told).containsExactly(LossReason.SESSION_LOST);
            await().atMost(PROMPTLY).until(() -> coordinator.sessionState() == SessionState.CONNECTED);
            try (LockHandle again = coordinator.lock("jobs").acquire(PROMPTLY)) {
                assertThat(again.fencingToken()).isGreaterThan(handle.fencingToken());
            }
        }
        assertThat(backend.listeners).as("the coordinator unregisters at close").isEmpty();
    }

    @Test
    void news_of_another_lease_changes_nothing() throws Exception {
        Signalling backend =
                new Signalling(InMemoryBackend.builder().cluster(cluster).build());
        try (Coordinator coordinator = Coordinator.builder(backend)
                        .sessionTtl(SESSION_TTL)
                        .blockingExecutor(Runnable::run) // the news is handled inside report()
                        .closeBackendOnClose(true)
                        .build();
                LockHandle handle = coordinator.lock("jobs").acquire(PROMPTLY)) {
            long sessionLease =
                    cluster.entry(cluster.keys().get(0)).orElseThrow().leaseId();

            backend.report(sessionLease + 1);

            assertThat(handle.isValid()).isTrue();
            assertThat(coordinator.sessionState()).isEqualTo(SessionState.CONNECTED);
        }
    }
}
