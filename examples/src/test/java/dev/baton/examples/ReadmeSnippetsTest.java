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
package dev.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.inmemory.InMemoryBackend;
import dev.baton.inmemory.InMemoryCluster;
import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedLease;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.DistributedMultiLock;
import dev.baton.lock.DistributedReadWriteLock;
import dev.baton.lock.DistributedSemaphore;
import dev.baton.lock.ElectionListener;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.Leadership;
import dev.baton.lock.LeaseHandle;
import dev.baton.lock.LeaseOptions;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.LossReason;
import dev.baton.lock.MultiLockHandle;
import dev.baton.lock.Participant;
import dev.baton.lock.SemaphoreHandle;
import dev.baton.lock.SingletonOptions;
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.SingletonTermEnd;
import dev.baton.lock.TtlLockHandle;
import dev.baton.lock.WriteLockHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The snippets of README.md, statement for statement, with the README's placeholder work ({@code orders.save},
 * {@code compact}, ...) done by small methods here. When this stops compiling, the README is out of date.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadmeSnippetsTest {
    private Coordinator coordinator;
    /** A client of the same JVM-wide cluster, only to look at the server's side. */
    private InMemoryBackend inspector;

    private InMemoryCluster cluster;
    private final FencedStore orders = new FencedStore();
    private final List<Long> tokensUsed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startCoordinator() {
        coordinator = InMemoryBackend.builder() // the embedded backend: one JVM, no server
                .coordinatorBuilder() // builds the backend, owns it and closes it
                .sessionTtl(Duration.ofSeconds(10)) // the default
                .build();
        inspector = InMemoryBackend.builder().build();
        cluster = inspector.cluster();
    }

    @AfterEach
    void close() {
        coordinator.close();
        inspector.close();
    }

    @Test
    void mutex_with_fencing_token() throws InterruptedException {
        String order = "order 42, paid";
        DistributedLock lock = coordinator.lock("orders/42");
        try (LockHandle handle = lock.acquire(Duration.ofSeconds(5))) {
            save(order, handle.fencingToken());
        }
        assertThat(orders.value()).isEqualTo(order);
        assertThat(cluster.keys()).isEmpty();
    }

    @Test
    void ttl_lock() throws InterruptedException {
        DistributedLock nightly = coordinator.lock("reports/nightly", LockOptions.ttl(Duration.ofMinutes(10)));
        Optional<LockHandle> taken = nightly.tryAcquire();
        if (taken.isPresent()) {
            try (LockHandle handle = taken.get()) {
                runNightlyReport(handle.fencingToken());
            }
        }
        assertThat(tokensUsed).hasSize(1);
    }

    @Test
    void ttl_lock_extended_and_held_at_least() throws InterruptedException {
        DistributedLock daily = coordinator.lock(
                "reports/daily",
                LockOptions.ttl(Duration.ofMinutes(10)) // lockAtMostFor
                        .holdAtLeast(Duration.ofSeconds(30))); // lockAtLeastFor
        Optional<LockHandle> acquired = daily.tryAcquire();
        if (acquired.isPresent()) {
            try (TtlLockHandle handle = TtlLockHandle.of(acquired.get())) { // a TTL lock's handle can be extended
                runDailyReport(handle.fencingToken());
                handle.extend(Duration.ofMinutes(5)); // now expires 5 minutes from now, on the server
                sendDailyReport(handle.fencingToken());
            } // closed within 30 s: held on the server until then
        }
        assertThat(tokensUsed).hasSize(2);
        assertThat(coordinator.lock("reports/daily").tryAcquire())
                .as("the lock right after its release, within its minimum hold")
                .isEmpty();
    }

    @Test
    void renewable_leases() throws InterruptedException {
        DistributedLease compaction = coordinator.lease("jobs/compaction", Duration.ofSeconds(30));
        try (LeaseHandle lease = compaction.acquire()) {
            for (String segment : List.of("a", "b")) {
                compact(segment, lease.fencingToken());
                lease.renew();
            }
        }

        LeaseOptions options =
                LeaseOptions.builder(Duration.ofSeconds(30)).autoRenew(true).build();
        try (LockHandle lease = coordinator.lease("jobs/reindex", options).acquire()) {
            lease.onLost((h, reason) -> stopReindexing());
            reindex(lease.fencingToken());
        }
        assertThat(tokensUsed).hasSize(3);
    }

    @Test
    void leader_election() throws InterruptedException {
        CountDownLatch proclaimed = new CountDownLatch(1);
        LeaderElection election = coordinator.election("billing/leader", "host-a");
        election.observe(leader -> leader.ifPresent(info -> {
            System.out.println(info.candidateId() + " leads at " + info.value());
            if (info.value().equals("host-a:8080")) {
                proclaimed.countDown();
            }
        }));
        CountDownLatch revoked = new CountDownLatch(1);
        election.listen(new ElectionListener() {
            @Override
            public void onElected(Leadership term) {
                startServing(term.fencingToken());
            }

            @Override
            public void onRevoked(Leadership term, LossReason reason) {
                revoked.countDown();
            }
        });

        Leadership term = election.campaign();
        term.proclaim("host-a:8080");

        List<Participant> candidates = election.participants();
        candidates.forEach(p -> System.out.println(p.candidateId() + (p.leader() ? " leads" : " waits")));
        assertThat(candidates).containsExactly(new Participant("host-a", true));
        assertThat(proclaimed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(term.isValid()).isTrue();
        term.close();
        assertThat(revoked.await(10, TimeUnit.SECONDS)).isTrue();
        election.close();
    }

    @Test
    void singleton_task() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        SingletonRunner runner = coordinator.singleton("billing/invoicer", "host-a", term -> {
            started.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                sendNextBatch(term.fencingToken());
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        runner.close();
        assertThat(runner.termsStarted()).isEqualTo(1);
        assertThat(runner.currentTerm()).isEmpty();
    }

    @Test
    void singleton_options() throws InterruptedException {
        SingletonOptions once = SingletonOptions.builder()
                .whenTaskReturns(SingletonOptions.WhenTaskReturns.RESIGN) // done: hand over, do not run again here
                .failureBackoff(Duration.ofSeconds(5), Duration.ofMinutes(5)) // after failures: 5 s, 10 s, ... 5 min
                .build();
        SingletonRunner migration =
                coordinator.singleton("billing/migrate", "host-a", once, term -> migrate(term.fencingToken()));
        await().atMost(Duration.ofSeconds(10)).until(() -> migration.state() == SingletonRunner.State.FINISHED);
        assertThat(migration.state()).isEqualTo(SingletonRunner.State.FINISHED);
        assertThat(migration.termsStarted()).isEqualTo(1);
        assertThat(migration.failures()).isZero();
        assertThat(migration.recentTermEnds())
                .extracting(SingletonTermEnd::reason)
                .containsExactly(SingletonTermEnd.Reason.RETURNED);
        migration.close();
        assertThat(tokensUsed).hasSize(1);
        assertThat(cluster.keys()).isEmpty();
    }

    @Test
    void read_write_lock() throws InterruptedException {
        DistributedReadWriteLock prices = coordinator.readWriteLock("catalog/prices");
        try (LockHandle read = prices.readLock().acquire(Duration.ofSeconds(5))) { // many readers at once
            show(catalogPrices(read.fencingToken()));
        }
        try (WriteLockHandle write = prices.writeLock().acquire(Duration.ofSeconds(5))) { // one writer, nobody else
            reprice(write.fencingToken()); // the store refuses older write tokens
            try (LockHandle read = write.downgrade()) { // same token; no writer gets in between
                publish(catalogPrices(read.fencingToken()));
            }
        }
        assertThat(tokensUsed).hasSize(3); // read, write, and the read it was downgraded to
        assertThat(tokensUsed.get(2)).isEqualTo(tokensUsed.get(1)).isGreaterThan(tokensUsed.get(0));
        assertThat(cluster.keys()).isEmpty();
    }

    @Test
    void multi_lock() throws InterruptedException {
        DistributedMultiLock transfer = coordinator.multiLock("accounts/17", "accounts/4"); // any order
        try (MultiLockHandle both = transfer.acquire(Duration.ofSeconds(5))) { // all or none
            move(17, 4, 100, both.fencingTokens()); // {accounts/17=.., accounts/4=..}
        }
        assertThat(tokensUsed).hasSize(2);
        assertThat(cluster.keys()).isEmpty();
    }

    @Test
    void semaphore() throws InterruptedException {
        DistributedSemaphore exports = coordinator.semaphore("reports/exports", 4); // every process says 4
        try (SemaphoreHandle permit = exports.acquire(Duration.ofSeconds(30))) { // 1 of the 4 permits
            export(permit.fencingToken());
        }
        try (SemaphoreHandle big = exports.acquire(3, Duration.ofSeconds(30))) { // 3 at once, as one handle
            exportYearEnd(big.permits());
        }
        assertThat(tokensUsed).hasSize(1);
        assertThat(cluster.keys()).isEmpty();
    }

    private void save(String order, long fencingToken) {
        assertThat(orders.write(fencingToken, order)).isTrue();
    }

    private void runNightlyReport(long fencingToken) {
        tokensUsed.add(fencingToken);
    }

    private void runDailyReport(long fencingToken) {
        tokensUsed.add(fencingToken);
    }

    private void sendDailyReport(long fencingToken) {
        tokensUsed.add(fencingToken);
    }

    private void compact(String segment, long fencingToken) {
        assertThat(segment).isNotEmpty();
        tokensUsed.add(fencingToken);
    }

    private void reindex(long fencingToken) {
        tokensUsed.add(fencingToken);
    }

    private void stopReindexing() {}

    private void export(long fencingToken) {
        tokensUsed.add(fencingToken);
    }

    private void exportYearEnd(int permits) {
        assertThat(permits).isEqualTo(3);
    }

    private long catalogPrices(long fencingToken) {
        tokensUsed.add(fencingToken);
        return fencingToken;
    }

    private void show(long prices) {
        assertThat(prices).isPositive();
    }

    private void reprice(long fencingToken) {
        tokensUsed.add(fencingToken);
    }

    private void publish(long prices) {
        assertThat(prices).isPositive();
    }

    private void move(int from, int to, int amount, Map<String, Long> fencingTokens) {
        assertThat(from).isNotEqualTo(to);
        assertThat(amount).isPositive();
        assertThat(fencingTokens).containsOnlyKeys("accounts/17", "accounts/4");
        tokensUsed.addAll(fencingTokens.values());
    }

    private void startServing(long fencingToken) {
        tokensUsed.add(fencingToken);
    }

    private void migrate(long fencingToken) {
        tokensUsed.add(fencingToken);
    }

    private void sendNextBatch(long fencingToken) throws InterruptedException {
        assertThat(fencingToken).isPositive();
        Thread.sleep(5); // stands for the batch's I/O; throws when the runner interrupts the task
    }
}
