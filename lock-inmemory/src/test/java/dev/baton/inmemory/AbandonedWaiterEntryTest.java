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
import dev.baton.lock.LockLostException;
import dev.baton.lock.tck.ForwardingBackend;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A waiter whose session this coordinator declared lost leaves its queue entry on the server until the server expires
 * the old lease (its revoke did not get through). The same coordinator's next waiter of that lock must pass that
 * entry: it never held and never will. Without that, the next waiter queued behind its own dead entry and got the
 * lock only when the server expired the old lease, a whole TTL after the holder released (issue 11, seen on etcd after
 * a leader pause).
 *
 * <p>The waiter's coordinator runs on a manual clock, so that its session is declared lost by moving its clock while
 * the server (on real time) keeps the old lease alive for the whole TTL.
 */
@Timeout(60)
class AbandonedWaiterEntryTest {
    private static final Duration SESSION_TTL = Duration.ofSeconds(30);
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private final InMemoryCluster cluster = new InMemoryCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /**
     * While {@code on}, renewals that the server acknowledges but that do not count. Revokes of the first session's
     * lease never reach the server: the coordinator revokes a lost session's lease asynchronously, after its loss
     * callbacks, which on a busy machine can come after {@code on} is cleared, and that revoke must be lost too.
     */
    private static final class Unheard extends ForwardingBackend {
        final AtomicBoolean on = new AtomicBoolean();
        final AtomicLong firstLease = new AtomicLong();

        Unheard(InMemoryBackend delegate) {
            super(delegate);
        }

        @Override
        public long grantLease(Duration ttl) {
            long leaseId = super.grantLease(ttl);
            firstLease.compareAndSet(0, leaseId);
            return leaseId;
        }

        @Override
        public OptionalLong keepAliveCountingFrom(long leaseId, long sentNanos) {
            OptionalLong counted = super.keepAliveCountingFrom(leaseId, sentNanos);
            return on.get() ? OptionalLong.empty() : counted;
        }

        @Override
        public void revokeLease(long leaseId) {
            if (leaseId != firstLease.get()) {
                super.revokeLease(leaseId);
            }
        }
    }

    @Test
    void a_waiter_passes_the_entry_its_coordinator_left_behind_a_lost_session() throws Exception {
        ManualTimeSource clock = new ManualTimeSource();
        Unheard backend = new Unheard(InMemoryBackend.builder().cluster(cluster).build());
        try (Coordinator holder = InMemoryBackend.builder()
                        .cluster(cluster)
                        .coordinatorBuilder()
                        .sessionTtl(SESSION_TTL)
                        .build();
                Coordinator waiter = Coordinator.builder(backend)
                        .sessionTtl(SESSION_TTL)
                        .timeSource(clock)
                        .closeBackendOnClose(true)
                        .build()) {
            LockHandle held = holder.lock("jobs").acquire(PROMPTLY);
            CompletableFuture<LockHandle> first = waiter.lock("jobs").acquireAsync();
            await("the first waiter queued").atMost(PROMPTLY).until(() -> entries() == 2);

            backend.on.set(true);
            clock.advance(SESSION_TTL); // past the waiter's local deadline; the server still renews the lease
            assertThat(catchLoss(first))
                    .as("the first wait ends with the session")
                    .isTrue();
            assertThat(entries())
                    .as("the lost waiter's entry is still on the server")
                    .isEqualTo(2);

            backend.on.set(false);
            CompletableFuture<LockHandle> second = waiter.lock("jobs").acquireAsync();
            await("the second waiter queued, on a new session")
                    .atMost(PROMPTLY)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        clock.advance(Duration.ofMillis(1)); // runs the new session's zero-delay tasks
                        return entries() == 3;
                    });

            held.close();
            LockHandle got = second.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(got.isValid()).as("the second waiter holds the lock").isTrue();
            assertThat(entries())
                    .as("it passed its coordinator's dead entry, which the server still has")
                    .isEqualTo(2);
            got.close();
        }
    }

    private int entries() {
        return (int) cluster.keys().stream().filter(k -> k.contains("jobs")).count();
    }

    private static boolean catchLoss(CompletableFuture<LockHandle> wait) throws InterruptedException {
        try {
            wait.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS).close();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof LockLostException;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
