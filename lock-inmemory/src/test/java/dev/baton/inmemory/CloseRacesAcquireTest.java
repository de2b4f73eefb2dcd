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
import static org.awaitility.Awaitility.await;

import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.ElectionListener;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.Leadership;
import dev.baton.lock.LockOptions;
import dev.baton.lock.LossReason;
import dev.baton.lock.SessionState;
import dev.baton.lock.Subscription;
import dev.baton.lock.tck.ForwardingBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Coordinator.close()} racing an acquisition or a background session reopen: the acquisition throws the
 * {@link IllegalStateException} of use after close, and no lease granted in the race is left on the server. Each
 * interleaving is injected through a backend whose Nth {@code grantLease} pauses, after the server granted the lease,
 * until the test has begun closing the coordinator.
 */
@Timeout(60)
class CloseRacesAcquireTest {
    private static final Duration SESSION_TTL = Duration.ofSeconds(30);
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    private final InMemoryCluster cluster = new InMemoryCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void a_ttl_lock_acquired_as_the_coordinator_closes_throws_illegal_state_and_leaves_no_lease() throws Exception {
        PausingBackend backend = new PausingBackend(
                InMemoryBackend.builder().cluster(cluster).build(), 2); // 1: the session, 2: the lock's lease
        Coordinator coordinator = build(backend);
        DistributedLock lock = coordinator.lock("jobs", LockOptions.ttl(Duration.ofSeconds(20)));
        CompletableFuture<Throwable> acquiring = CompletableFuture.supplyAsync(() -> {
            try {
                lock.acquire(PROMPTLY).close();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(backend.granted.await(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                .isTrue();

        CompletableFuture<Void> closing = closeWhileGrantIsPaused(coordinator, backend);

        assertThat(acquiring.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                .as("what the acquire threw")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("coordinator was closed");
        closing.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
        assertThat(cluster.liveLeaseCount()).as("leases left after close").isZero();
        assertThat(cluster.keys()).as("keys left after close").isEmpty();
    }

    @Test
    void a_session_reopened_in_the_background_as_the_coordinator_closes_leaves_no_lease() throws Exception {
        PausingBackend backend =
                new PausingBackend(InMemoryBackend.builder().cluster(cluster).build(), 2); // 2: the reopened session
        Coordinator coordinator = build(backend);
        long first = backend.leases.get(0);
        cluster.revokeLease(first); // the server ends the session...
        backend.report(first); // ...the client library hears of it, and the keeper reopens in the background
        assertThat(backend.granted.await(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                .isTrue();

        CompletableFuture<Void> closing = closeWhileGrantIsPaused(coordinator, backend);

        closing.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
        await("the lease granted as the coordinator closed to be revoked")
                .atMost(PROMPTLY)
                .until(cluster::liveLeaseCount, n -> n == 0);
    }

    @Test
    void a_candidate_elected_as_the_coordinator_closes_gets_illegal_state() throws Exception {
        Coordinator coordinator = Coordinator.builder(
                        InMemoryBackend.builder().cluster(cluster).build())
                .sessionTtl(SESSION_TTL)
                .callbackExecutor(Runnable::run) // onElected runs on the campaigning thread, before activation
                .closeBackendOnClose(true)
                .build();
        LeaderElection election = coordinator.election("leader", "a");
        AtomicReference<LossReason> revoked = new AtomicReference<>();
        election.listen(new ElectionListener() {
            @Override
            public void onElected(Leadership leadership) {
                coordinator.close(); // the close lands between the win and the term's activation
            }

            @Override
            public void onRevoked(Leadership leadership, LossReason reason) {
                revoked.set(reason);
            }
        });

        assertThatThrownBy(() -> election.campaign(PROMPTLY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("coordinator was closed");
        assertThat(cluster.keys()).as("keys left after close").isEmpty();
        assertThat(cluster.liveLeaseCount()).as("leases left after close").isZero();
    }

    private Coordinator build(PausingBackend backend) {
        return Coordinator.builder(backend)
                .sessionTtl(SESSION_TTL)
                .closeBackendOnClose(true)
                .build();
    }

    /**
     * Starts closing the coordinator on another thread, lets the paused grant go on once the close has begun (the
     * session state reads CLOSED from its first steps on), and returns the close's future.
     */
    private static CompletableFuture<Void> closeWhileGrantIsPaused(Coordinator coordinator, PausingBackend backend) {
        CompletableFuture<Void> closing = CompletableFuture.runAsync(coordinator::close);
        await("the close to begin").atMost(PROMPTLY).until(() -> coordinator.sessionState() == SessionState.CLOSED);
        backend.proceed.countDown();
        return closing;
    }

    /** Pauses its {@code pauseAt}-th grant after the server granted it; reports lease losses on demand. */
    private static final class PausingBackend extends ForwardingBackend {
        final List<Long> leases = new CopyOnWriteArrayList<>();
        final CountDownLatch granted = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        private final List<LongConsumer> lossListeners = new CopyOnWriteArrayList<>();
        private final AtomicInteger grants = new AtomicInteger();
        private final int pauseAt;

        PausingBackend(InMemoryBackend delegate, int pauseAt) {
            super(delegate);
            this.pauseAt = pauseAt;
        }

        @Override
        public long grantLease(Duration ttl) {
            long id = super.grantLease(ttl);
            leases.add(id);
            if (grants.incrementAndGet() == pauseAt) {
                granted.countDown();
                // Uninterruptibly, as an answer already on its way: the lease exists on the server either way.
                boolean interrupted = false;
                while (true) {
                    try {
                        if (!proceed.await(PROMPTLY.toSeconds(), TimeUnit.SECONDS)) {
                            throw new AssertionError("the test never let the paused grant go on");
                        }
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return id;
        }

        @Override
        public Subscription onLeaseLost(LongConsumer listener) {
            lossListeners.add(listener);
            return () -> lossListeners.remove(listener);
        }

        void report(long leaseId) {
            lossListeners.forEach(l -> l.accept(leaseId));
        }
    }
}
