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
package dev.baton.lock.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.Leadership;
import dev.baton.lock.LeaseOptions;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.LossReason;
import dev.baton.lock.SingletonRunner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The no-leak rules: nothing is left on the server (keys or leases) after releases, a coordinator closed with
 * locks held, a timed-out, cancelled or interrupted acquisition, or an expired TTL lock.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface NoLeakRules extends TckRules {
    /**
     * No leaks: after release.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void no_leaks_after_release() throws Exception {
        TckHarness tck = tck();
        TckClient a = tck.newClient("a");
        Coordinator c = a.coordinator();
        c.lock(tck.name("mutex")).acquire(tck.awaitTimeout()).close();
        c.lock(tck.name("ttl"), LockOptions.ttl(tck.env().shortTtl()))
                .acquire(tck.awaitTimeout())
                .close();
        c.lease(tck.name("lease"), tck.env().shortTtl())
                .acquire(tck.awaitTimeout())
                .close();
        c.lease(
                        tck.name("auto"),
                        LeaseOptions.builder(tck.env().shortTtl())
                                .autoRenew(true)
                                .build())
                .acquire(tck.awaitTimeout())
                .close();
        LeaderElection election = c.election(tck.name("election"), "a");
        election.campaign(tck.awaitTimeout()).close();
        election.close();
        Scenarios.SingletonProbe probe = new Scenarios.SingletonProbe(tck);
        SingletonRunner runner = c.singleton(tck.name("singleton"), "a", probe.task("a"));
        tck.await("the singleton task to start").until(() -> probe.started.containsKey("a"));
        runner.close();
        tck.assertNoKeysLeft("after every lock, lease, term and runner was released");
        // Exactly the open coordinator's session, not a count read before: a read of the server can be stale (a
        // ZooKeeper follower behind the leader) or fall between a session's loss and its replacement.
        tck.assertLiveLeases(1, "after release, with the coordinator still open (its session's lease only)");
        a.close();
        tck.assertNoKeysLeft("after the coordinator closed");
        tck.assertLiveLeases(0, "after the coordinator closed");
    }

    /**
     * No leaks: after coordinator close with locks held.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void no_leaks_after_coordinator_close_with_locks_held() throws Exception {
        TckHarness tck = tck();
        TckClient a = tck.newClient("a");
        TckClient b = tck.newClient("b");
        Coordinator c = a.coordinator();
        LockHandle mutex = c.lock(tck.name("mutex")).acquire(tck.awaitTimeout());
        AtomicReference<LossReason> mutexLoss = new AtomicReference<>();
        mutex.onLost((h, reason) -> mutexLoss.compareAndSet(null, reason));
        LockHandle ttlLock =
                c.lock(tck.name("ttl"), LockOptions.ttl(tck.env().shortTtl())).acquire(tck.awaitTimeout());
        LockHandle lease = c.lease(
                        tck.name("lease"),
                        LeaseOptions.builder(tck.env().shortTtl())
                                .autoRenew(true)
                                .build())
                .acquire(tck.awaitTimeout());
        Leadership term = c.election(tck.name("election"), "a").campaign(tck.awaitTimeout());
        Scenarios.SingletonProbe probe = new Scenarios.SingletonProbe(tck);
        c.singleton(tck.name("singleton"), "a", probe.task("a"));
        tck.await("the singleton task to start").until(() -> probe.started.containsKey("a"));
        String contended = tck.name("contended");
        LockHandle othersLock = b.coordinator().lock(contended).acquire(tck.awaitTimeout());
        CompletableFuture<LockHandle> waiting = c.lock(contended).acquireAsync();
        tck.awaitKeyCount(7, "a's five holds, b's lock and a's waiting entry");

        a.close();
        assertThat(List.of(mutex.isValid(), ttlLock.isValid(), lease.isValid(), term.isValid()))
                .as("handles and term after their coordinator closed")
                .containsOnly(false);
        tck.await("the loss listener of a lock held at close").until(() -> mutexLoss.get() != null);
        assertThat(mutexLoss.get()).isEqualTo(LossReason.COORDINATOR_CLOSED);
        assertThat(probe.finished).as("singleton task finished by close()").containsKey("a");
        tck.await("the pending acquisition to fail").until(waiting::isDone);
        assertThat(waiting).as("pending acquisition after close").isCompletedExceptionally();
        tck.assertKeyCount(1, "after the coordinator closed: only b's lock");
        othersLock.close();
        b.close();
        tck.assertNoKeysLeft("after both coordinators closed");
        tck.assertLiveLeases(0, "after both coordinators closed");
    }

    /**
     * No leaks: after acquire timed out.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void no_leaks_after_acquire_timed_out() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("timeout");
        LockHandle held = tck.newClient("a").coordinator().lock(name).acquire(tck.awaitTimeout());
        DistributedLock other = tck.newClient("b").coordinator().lock(name);
        Duration wait = TckTimeouts.scaled(Duration.ofSeconds(1));
        TckWorker<LockHandle> waiter = tck.startWorker("timeout-waiter", () -> other.acquire(wait));
        tck.awaitKeyCount(2, "the waiter queued");
        tck.passTimeUntil(wait.plus(tck.env().sessionTtl()), waiter.result()::isDone, "the acquisition to time out");
        assertThat(waiter.failure())
                .as("outcome of acquire(%s) while held", wait)
                .isInstanceOf(LockAcquisitionTimeoutException.class);
        tck.assertKeyCount(1, "after the waiter timed out: only the holder's entry");
        assertThat(other.tryAcquire(Duration.ZERO))
                .as("tryAcquire(0) while held")
                .isEmpty();
        held.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * No leaks: after async acquire cancelled.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void no_leaks_after_async_acquire_cancelled() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("cancel");
        LockHandle held = tck.newClient("a").coordinator().lock(name).acquire(tck.awaitTimeout());
        DistributedLock other = tck.newClient("b").coordinator().lock(name);
        CompletableFuture<LockHandle> waiting = other.acquireAsync();
        tck.awaitKeyCount(2, "the async waiter queued");
        assertThat(waiting.cancel(true)).isTrue();
        tck.assertKeyCount(1, "after the waiter's future was cancelled: only the holder's entry");
        held.close();
        tck.assertNoKeysLeft("after release");
        other.tryAcquire()
                .orElseThrow(() -> new AssertionError("lock after cancelled wait"))
                .close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * No leaks: after interrupted acquire.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void no_leaks_after_interrupted_acquire() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("interrupt");
        LockHandle held = tck.newClient("a").coordinator().lock(name).acquire(tck.awaitTimeout());
        DistributedLock other = tck.newClient("b").coordinator().lock(name);
        TckWorker<LockHandle> waiter = tck.startWorker("interrupted-waiter", other::acquire);
        tck.awaitKeyCount(2, "the waiter queued");
        waiter.thread().interrupt();
        tck.await("the interrupted acquire to return").until(waiter.result()::isDone);
        assertThat(waiter.failure()).as("outcome of an interrupted acquire").isInstanceOf(InterruptedException.class);
        tck.assertKeyCount(1, "after the waiter was interrupted: only the holder's entry");
        held.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * No leaks: after ttl lock expired.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void no_leaks_after_ttl_lock_expired() throws Exception {
        TckHarness tck = tck();
        TckClient a = tck.newClient("a");
        LockHandle handle = a.coordinator()
                .lock(tck.name("ttl-leak"), LockOptions.ttl(tck.env().shortTtl()))
                .acquire(tck.awaitTimeout());
        tck.passTimeUntil(
                tck.env().shortTtl().plus(tck.livenessSlack()), () -> !handle.isValid(), "the TTL lock to expire");
        tck.assertNoKeysLeft("after the TTL lock expired");
        handle.close();
        tck.assertNoKeysLeft("after the expired TTL lock was closed");
        a.close();
        tck.assertLiveLeases(0, "after the coordinator closed");
    }
}
