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

import dev.baton.inmemory.CountedCoordinators.Recording;
import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedLease;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LeaseHandle;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.tck.FaultInjectingBackend.Call;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TTL lock or lease whose queue is empty is created on a lease of its own in its first write: the uncontended
 * cycle is a grant, the create and the revoke, with no compare-and-set moving the entry off the session. An entry that
 * finds the queue taken waits on the session, as every waiter must (a dead waiter must not block the queue for longer
 * than the session TTL), and its own lease is revoked.
 */
@Timeout(60)
class OwnLeaseFirstWriteTest {
    private static final Duration LOCK_TTL = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final CountedCoordinators coordinators = new CountedCoordinators();

    private final InMemoryCluster cluster = coordinators.cluster;

    private Recording counted() {
        return coordinators.counted();
    }

    private Coordinator last() {
        return coordinators.last();
    }

    @Test
    void an_uncontended_ttl_lock_cycle_is_a_grant_a_create_and_a_revoke_without_a_compare_and_set() throws Exception {
        Recording a = counted();
        long grantsBefore = a.calls(Call.GRANT_LEASE);
        DistributedLock lock = last().lock("jobs", LockOptions.ttl(LOCK_TTL));

        try (LockHandle held = lock.acquire(WAIT)) {
            Entry entry = cluster.entry(cluster.keys().get(0)).orElseThrow();
            assertThat(entry.leaseId())
                    .as("the entry's lease, not the session's")
                    .isNotEqualTo(a.sessionLease());
            assertThat(entry.createSequence()).as("the fencing token").isEqualTo(held.fencingToken());
        }

        assertThat(a.calls(Call.GRANT_LEASE) - grantsBefore).as("grants").isEqualTo(1);
        assertThat(a.calls(Call.CREATE_IF_ABSENT)).as("creates").isEqualTo(1);
        assertThat(a.calls(Call.COMPARE_AND_SET)).as("moves onto the lease").isZero();
        await("the release's revoke").atMost(WAIT).until(() -> a.calls(Call.REVOKE_LEASE) == 1);
        assertThat(cluster.keys()).as("keys after the release").isEmpty();
        assertThat(cluster.liveLeaseCount())
                .as("leases after the release: the session's")
                .isEqualTo(1);
    }

    @Test
    void an_uncontended_lease_cycle_is_a_grant_a_create_and_a_revoke_without_a_compare_and_set() throws Exception {
        Recording a = counted();
        long grantsBefore = a.calls(Call.GRANT_LEASE);

        try (LeaseHandle held = last().lease("leader-lease", LOCK_TTL).acquire(WAIT)) {
            assertThat(held.isValid()).isTrue();
        }

        assertThat(a.calls(Call.GRANT_LEASE) - grantsBefore).as("grants").isEqualTo(1);
        assertThat(a.calls(Call.COMPARE_AND_SET)).as("moves onto the lease").isZero();
        await("the release's revoke").atMost(WAIT).until(() -> a.calls(Call.REVOKE_LEASE) == 1);
        assertThat(cluster.keys()).as("keys after the release").isEmpty();
    }

    @Test
    void an_entry_that_finds_the_queue_taken_waits_on_the_session_and_its_own_lease_is_revoked() throws Exception {
        counted();
        LockHandle first = last().lock("jobs", LockOptions.ttl(LOCK_TTL)).acquire(WAIT);
        Recording b = counted();
        long session = b.sessionLease();
        CompletableFuture<LockHandle> next =
                last().lock("jobs", LockOptions.ttl(LOCK_TTL)).acquireAsync();
        await("the waiter to watch").atMost(WAIT).until(() -> b.calls(Call.WATCH) == 1);

        String waiterKey = cluster.keys().stream()
                .filter(k -> cluster.entry(k).orElseThrow().createSequence() != first.fencingToken())
                .findFirst()
                .orElseThrow();
        assertThat(cluster.entry(waiterKey).orElseThrow().leaseId())
                .as("the waiting entry's lease")
                .isEqualTo(session);
        await("the waiter's own lease to be revoked")
                .atMost(WAIT)
                .until(cluster::liveLeaseCount, n -> n == 3); // two sessions and the holder's lease

        first.close();
        LockHandle second = next.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(cluster.entry(waiterKey).orElseThrow().leaseId())
                .as("the winner's lease, granted as it won")
                .isNotEqualTo(session);
        second.close();
        await("every lock lease revoked").atMost(WAIT).until(cluster::liveLeaseCount, n -> n == 2);
        assertThat(cluster.keys()).as("keys after both releases").isEmpty();
    }

    @Test
    void a_lock_whose_last_acquisition_waited_queues_on_the_session_until_one_does_not() throws Exception {
        counted();
        LockHandle first = last().lock("jobs", LockOptions.ttl(LOCK_TTL)).acquire(WAIT);
        Recording b = counted();
        DistributedLock lock = last().lock("jobs", LockOptions.ttl(LOCK_TTL));
        CompletableFuture<LockHandle> waited = lock.acquireAsync();
        await("the waiter to watch").atMost(WAIT).until(() -> b.calls(Call.WATCH) == 1);
        first.close();
        waited.get(WAIT.toSeconds(), TimeUnit.SECONDS).close();
        long grants = b.calls(Call.GRANT_LEASE);
        long moves = b.calls(Call.COMPARE_AND_SET);

        // The last acquisition waited: this one is created on the session and moved onto its lease once first.
        lock.acquire(WAIT).close();
        assertThat(b.calls(Call.GRANT_LEASE) - grants).as("grants").isEqualTo(1);
        assertThat(b.calls(Call.COMPARE_AND_SET) - moves)
                .as("moves onto the lease")
                .isEqualTo(1);

        // That one did not wait: the next is created on its own lease.
        lock.acquire(WAIT).close();
        assertThat(b.calls(Call.GRANT_LEASE) - grants).as("grants").isEqualTo(2);
        assertThat(b.calls(Call.COMPARE_AND_SET) - moves)
                .as("moves onto the lease")
                .isEqualTo(1);
    }

    @Test
    void a_ttl_lock_creates_again_the_key_its_last_release_revoked_with_a_larger_token() throws Exception {
        counted();
        DistributedLock lock = last().lock("jobs", LockOptions.ttl(LOCK_TTL));
        coordinators.assertReleasedKeyTakenAgain(() -> lock.acquire(WAIT), LockHandle::fencingToken);
    }

    @Test
    void a_lease_creates_again_the_key_its_last_release_revoked_with_a_larger_token() throws Exception {
        counted();
        DistributedLease lease = last().lease("leader-lease", LOCK_TTL);
        coordinators.assertReleasedKeyTakenAgain(() -> lease.acquire(WAIT), LeaseHandle::fencingToken);
    }
}
