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

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.tck.ForwardingBackend;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An acquire interrupted while its own backend call is in flight (the create written on the server, its answer not yet
 * back) throws {@link InterruptedException}, as the caller asked, not the backend's "interrupted" failure; and the
 * entry it wrote is removed. Real backends end such a call with {@link BackendUnavailableException} and the interrupt
 * flag set, which is what this backend does.
 */
@Timeout(30)
class InterruptedBackendCallTest {
    private final InMemoryCluster cluster = new InMemoryCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Writes the create, then waits for its "answer" until interrupted, as a client library's blocking call does. */
    private static final class SlowAnswers extends ForwardingBackend {
        final CountDownLatch written = new CountDownLatch(1);

        SlowAnswers(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
            Optional<Entry> created = super.createIfAbsent(key, value, leaseId);
            written.countDown();
            try {
                new CountDownLatch(1).await();
                return created;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendUnavailableException(null, "interrupted while waiting for the create's answer", e);
            }
        }
    }

    @Test
    @SuppressWarnings("try") // a try-with-resources whose resource is held, not used
    void the_caller_gets_interrupted_exception_and_the_entry_is_removed() throws Exception {
        SlowAnswers slow =
                new SlowAnswers(InMemoryBackend.builder().cluster(cluster).build());
        try (Coordinator coordinator = Coordinator.builder(slow)
                .sessionTtl(Duration.ofSeconds(2))
                .closeBackendOnClose(true)
                .build()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try (LockHandle ignored = coordinator.lock("jobs").acquire()) {
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            caller.start();
            assertThat(slow.written.await(10, TimeUnit.SECONDS)).isTrue();

            caller.interrupt();

            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.keys().isEmpty());
        }
    }
}
