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
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.baton.lock.Acquirable;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.DistributedLease;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.ElectionListener;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.LeaderInfo;
import dev.baton.lock.Leadership;
import dev.baton.lock.LeaseHandle;
import dev.baton.lock.LeaseOptions;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LockOptions;
import dev.baton.lock.LossReason;
import dev.baton.lock.SessionState;
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.SingletonTask;
import dev.baton.lock.Subscription;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance kit: every guarantee of Baton's design, checked through the public API (and, for the {@code spi_}
 * tests, directly on the backend's primitives) against one backend. A backend module runs it by extending this
 * class in its tests and implementing {@link #newEnvironment()}.
 *
 * <p>Each test gets a fresh {@link TckEnvironment}, closed afterwards. The kit builds every coordinator itself, over
 * a {@link FaultInjectingBackend} around a new client of the environment, with the environment's session TTL and
 * time source; when time is manual it runs every callback and blocking call inline, so that a release completes the
 * next waiter's acquisition before it returns and {@link TckEnvironment#advance(Duration)} runs renewals and expiry
 * in order. Test names say the rule they check and start with the capability: {@code mutex_}, {@code ttl_lock_},
 * {@code lease_}, {@code early_loss_}, {@code liveness_}, {@code election_}, {@code singleton_}, {@code no_leaks_},
 * {@code reentrancy_}, {@code errors_}, {@code spi_}.
 *
 * <p>Every test runs under a time limit scaled by {@link TckTimeouts#factor()}. The kit never sleeps to synchronise:
 * it waits for conditions, and lets time pass only through the environment. It prints its figures (acquisitions
 * checked, overlaps, loss-before-handover, failover times, calls per hand-off) on standard output, prefixed {@code
 * [baton-tck]}.
 *
 * <pre>{@code
 * class EtcdConformanceIT extends CoordinatorConformanceSuite {
 *     @Override
 *     protected TckEnvironment newEnvironment() {
 *         return new EtcdTckEnvironment(server, "tck-" + UUID.randomUUID()); // a fresh namespace per test
 *     }
 * }
 * }</pre>
 */
@ExtendWith(TckTimeoutExtension.class)
public abstract class CoordinatorConformanceSuite {
    /** Orders events across every thread of a test: loss notices, acquisitions, task starts and interruptions. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private static final int STRESS_COORDINATORS = 3;
    private static final int STRESS_THREADS_PER_COORDINATOR = 4;
    private static final int STRESS_ACQUISITIONS_PER_THREAD = 167;
    private static final int EARLY_LOSS_TRIALS = 3;

    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final List<CoordinationBackend> rawBackends = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();
    private TckEnvironment env;

    /** Creates the suite; JUnit does this for each test. */
    protected CoordinatorConformanceSuite() {}

    /**
     * Returns a fresh environment: a new cluster or namespace with no keys on it. Called before each test; the kit
     * closes it after the test.
     *
     * @return the environment
     */
    protected abstract TckEnvironment newEnvironment();

    /**
     * Returns how long the kit waits for something that should happen promptly (a waiter woken, a key removed, a
     * thread started) before it fails the test. Scaled by {@link TckTimeouts#factor()} by default.
     *
     * @return the wait limit
     */
    protected Duration awaitTimeout() {
        return TckTimeouts.scaled(Duration.ofSeconds(20));
    }

    /**
     * Returns the slack allowed on top of the session TTL for a cut-off holder's lock to be free again (the
     * backend's documented liveness slack). Half the session TTL by default, scaled by {@link TckTimeouts#factor()}.
     *
     * @return the slack
     */
    protected Duration livenessSlack() {
        return TckTimeouts.scaled(env.sessionTtl().dividedBy(2));
    }

    /**
     * Returns the environment of the running test.
     *
     * @return the environment
     */
    protected final TckEnvironment environment() {
        return env;
    }

    /** Opens the environment of one test. */
    @BeforeEach
    protected final void openEnvironment() {
        env = Objects.requireNonNull(newEnvironment(), "newEnvironment() returned null");
    }

    /**
     * Stops every worker thread, closes every coordinator and backend the test opened, then the environment.
     *
     * @throws Exception the first failure to clean up, with the others suppressed
     */
    @AfterEach
    protected final void closeEnvironment() throws Exception {
        List<Throwable> failures = new ArrayList<>();
        for (Thread worker : workers) {
            worker.interrupt();
        }
        for (Client client : clients) {
            try {
                client.close();
            } catch (Throwable e) {
                failures.add(e);
            }
        }
        for (CoordinationBackend backend : rawBackends) {
            try {
                backend.close();
            } catch (Throwable e) {
                failures.add(e);
            }
        }
        long deadline = System.nanoTime() + awaitTimeout().toNanos();
        for (Thread worker : workers) {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (worker.isAlive()) {
                AssertionError stuck = new AssertionError(
                        "worker thread " + worker.getName() + " still runs after its coordinator was closed");
                stuck.setStackTrace(worker.getStackTrace());
                failures.add(stuck);
            }
        }
        try {
            if (env != null) {
                env.close();
            }
        } catch (Throwable e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            for (Throwable other : failures.subList(1, failures.size())) {
                first.addSuppressed(other);
            }
            if (first instanceof Exception) {
                throw (Exception) first;
            }
            throw (Error) first;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Mutex

    @Test
    @TckTimeout(seconds = 180)
    void mutex_excludes_concurrent_holders_across_coordinators() throws Exception {
        String name = name("exclusion");
        HistoryRecorder recorder = new HistoryRecorder();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Worker<Integer>> holders = new ArrayList<>();
        for (int c = 0; c < STRESS_COORDINATORS; c++) {
            Client client = newClient("c" + c);
            for (int t = 0; t < STRESS_THREADS_PER_COORDINATOR; t++) {
                String label = client.label + "-t" + t;
                holders.add(startWorker(label, () -> {
                    DistributedLock lock = client.coordinator.lock(name);
                    start.await();
                    for (int i = 0; i < STRESS_ACQUISITIONS_PER_THREAD; i++) {
                        LockHandle handle = lock.acquire(awaitTimeout());
                        HistoryRecorder.Hold hold = recorder.acquired(label, name, handle.fencingToken());
                        handle.onLost((h, reason) -> hold.lost());
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        // Widen the critical section so that a second holder, if the lock lets one in, is seen.
                        Thread.yield();
                        inside.decrementAndGet();
                        hold.releasing();
                        handle.close();
                    }
                    return STRESS_ACQUISITIONS_PER_THREAD;
                }));
            }
        }
        long started = System.nanoTime();
        start.countDown();
        int total = 0;
        for (Worker<Integer> holder : holders) {
            total += holder.get(TckTimeouts.scaled(Duration.ofSeconds(150)));
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        HistoryChecker.Report report = recorder.check();
        report(
                "mutex exclusion",
                "%d coordinators x %d threads: %s, elapsed %d ms (%.0f acquisitions/s)",
                STRESS_COORDINATORS,
                STRESS_THREADS_PER_COORDINATOR,
                report.summary(),
                elapsedMillis,
                total * 1000.0 / Math.max(1, elapsedMillis));
        report.assertValid();
        assertThat(report.acquisitionsChecked()).isEqualTo(total).isGreaterThanOrEqualTo(2000);
        assertThat(maxInside.get())
                .as("holders inside the critical section at once")
                .isEqualTo(1);
        assertNoKeysLeft("after every holder released");
    }

    @Test
    void mutex_fencing_tokens_strictly_increase_across_acquisitions_and_coordinators() throws Exception {
        String name = name("tokens");
        List<DistributedLock> locks = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            locks.add(newClient("c" + c).coordinator.lock(name));
        }
        long last = 0;
        for (int i = 0; i < 30; i++) {
            LockHandle handle = locks.get(i % 3).tryAcquire().orElseThrow(() -> new AssertionError("free lock"));
            assertThat(handle.fencingToken())
                    .as("token of acquisition %d (coordinator %d)", i, i % 3)
                    .isPositive()
                    .isGreaterThan(last);
            last = handle.fencingToken();
            if (i % 5 == 4) {
                // Hand over to a waiter instead of a fresh acquisition now and then.
                CompletableFuture<LockHandle> waiting = locks.get((i + 1) % 3).acquireAsync();
                awaitKeyCount(2, "the waiter queued behind the holder");
                handle.close();
                LockHandle next = awaitDone(waiting, "the waiter to acquire after the release");
                assertThat(next.fencingToken()).as("token handed to the waiter").isGreaterThan(last);
                last = next.fencingToken();
                next.close();
            } else {
                handle.close();
            }
        }
        assertNoKeysLeft("after the last release");
    }

    @Test
    void mutex_fencing_tokens_increase_across_release_expiry_and_session_loss() throws Exception {
        String name = name("tokens-faults");
        Client a = newClient("a");
        Client b = newClient("b");
        Client c = newClient("c");
        LockHandle released = a.coordinator.lock(name).acquire(awaitTimeout());
        long t1 = released.fencingToken();
        released.close();

        LockHandle expiring =
                b.coordinator.lock(name, LockOptions.ttl(env.shortTtl())).acquire(awaitTimeout());
        long t2 = expiring.fencingToken();
        assertThat(t2).as("token after a release").isGreaterThan(t1);
        passTimeUntil(env.shortTtl().plus(livenessSlack()), () -> !expiring.isValid(), "the TTL lock to expire");

        LockHandle afterExpiry = acquireEventually(
                a.coordinator.lease(name, env.shortTtl()), env.shortTtl(), "the lease after the TTL lock expired");
        long t3 = afterExpiry.fencingToken();
        assertThat(t3).as("token after an expiry").isGreaterThan(t2);
        afterExpiry.close();

        LockHandle cutOff = a.coordinator.lock(name).acquire(awaitTimeout());
        long t4 = cutOff.fencingToken();
        assertThat(t4).as("token of a later acquisition").isGreaterThan(t3);
        CompletableFuture<LockHandle> waiting = c.coordinator.lock(name).acquireAsync();
        awaitKeyCount(2, "the waiter queued behind the holder");
        a.backend.partition();
        passTimeUntil(
                env.sessionTtl().plus(livenessSlack()), waiting::isDone, "the waiter to acquire after session loss");
        LockHandle afterLoss = waiting.join();
        assertThat(afterLoss.fencingToken())
                .as("token after the holder's session was lost")
                .isGreaterThan(t4);
        afterLoss.close();
    }

    @Test
    void mutex_serves_waiters_in_fifo_order() throws Exception {
        String name = name("fifo");
        int waiters = 5;
        LockHandle current = newClient("holder").coordinator.lock(name).acquire(awaitTimeout());
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<LockHandle>> futures = queueWaiters(name, waiters, order);
        for (int i = 0; i < waiters; i++) {
            long previousToken = current.fencingToken();
            current.close();
            current = awaitNextInLine(futures, i);
            assertThat(current.fencingToken()).as("token of waiter %d", i).isGreaterThan(previousToken);
        }
        current.close();
        assertThat(order).as("order in which the waiters acquired").containsExactly(0, 1, 2, 3, 4);
        assertNoKeysLeft("after the last waiter released");
    }

    @Test
    void mutex_release_wakes_only_the_next_waiter() throws Exception {
        String name = name("no-herd");
        int waiters = 6;
        LockHandle current = newClient("holder").coordinator.lock(name).acquire(awaitTimeout());
        List<CompletableFuture<LockHandle>> futures =
                queueWaiters(name, waiters, Collections.synchronizedList(new ArrayList<>()));
        List<Long> rechecksPerHandoff = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            long before = readCalls();
            current.close();
            current = awaitNextInLine(futures, i);
            rechecksPerHandoff.add(readCalls() - before);
        }
        current.close();
        report(
                "no herd",
                "list+get calls per hand-off with %d..0 waiters queued behind: %s",
                waiters - 1,
                rechecksPerHandoff);
        long withMostWaiters = rechecksPerHandoff.get(0);
        long withNone = rechecksPerHandoff.get(waiters - 1);
        assertThat(withMostWaiters)
                .as(
                        "list+get calls of a hand-off with %d waiters behind, against %d with none behind (all: %s):"
                                + " a release must wake only the next waiter",
                        waiters - 1, withNone, rechecksPerHandoff)
                .isLessThanOrEqualTo(withNone + 1);
        assertNoKeysLeft("after the last waiter released");
    }

    @Test
    void mutex_try_acquire_returns_empty_at_once_while_held_and_leaves_nothing_behind() throws Exception {
        String name = name("try");
        LockHandle held = newClient("a").coordinator.lock(name).acquire(awaitTimeout());
        DistributedLock other = newClient("b").coordinator.lock(name);
        assertThat(other.tryAcquire())
                .as("tryAcquire while another holds the lock")
                .isEmpty();
        assertThat(env.keysOnServer()).as("keys after a lost tryAcquire").hasSize(1);
        held.close();
        LockHandle mine = other.tryAcquire().orElseThrow(() -> new AssertionError("tryAcquire of a free lock"));
        assertThat(mine.fencingToken()).isGreaterThan(held.fencingToken());
        mine.close();
        assertNoKeysLeft("after release");
    }

    @Test
    void mutex_async_acquire_completes_when_the_holder_releases() throws Exception {
        String name = name("async");
        LockHandle held = newClient("a").coordinator.lock(name).acquire(awaitTimeout());
        CompletableFuture<LockHandle> waiting =
                newClient("b").coordinator.lock(name).acquireAsync();
        awaitKeyCount(2, "the async waiter queued");
        assertThat(waiting).as("async acquisition while held").isNotDone();
        held.close();
        LockHandle next = awaitDone(waiting, "the async waiter after the release");
        assertThat(next.isValid()).isTrue();
        assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        next.close();
        assertNoKeysLeft("after release");
    }

    @Test
    void mutex_handle_reports_its_state_and_close_is_idempotent() throws Exception {
        String name = name("handle");
        LockHandle handle = newClient("a").coordinator.lock(name).acquire(awaitTimeout());
        List<LossReason> losses = new CopyOnWriteArrayList<>();
        handle.onLost((h, reason) -> losses.add(reason));
        assertThat(handle.name()).isEqualTo(name);
        assertThat(handle.fencingToken()).isPositive();
        assertThat(handle.isValid()).isTrue();
        assertThat(handle.remaining()).isPositive().isLessThanOrEqualTo(env.sessionTtl());
        handle.close();
        assertThat(handle.isValid()).as("valid after close").isFalse();
        assertThat(handle.remaining()).isEqualTo(Duration.ZERO);
        handle.close();
        assertNoKeysLeft("after release");
        assertThat(losses)
                .as("loss listener calls after the holder's own release")
                .isEmpty();
    }

    @Test
    void mutex_ttl_lock_and_lease_of_one_name_exclude_each_other() throws Exception {
        String name = name("kinds");
        Coordinator a = newClient("a").coordinator;
        Coordinator b = newClient("b").coordinator;
        List<Acquirable<?>> mine =
                List.of(a.lock(name), a.lock(name, LockOptions.ttl(env.shortTtl())), a.lease(name, env.shortTtl()));
        List<Acquirable<?>> theirs =
                List.of(b.lock(name), b.lock(name, LockOptions.ttl(env.shortTtl())), b.lease(name, env.shortTtl()));
        for (Acquirable<?> held : mine) {
            LockHandle handle = held.tryAcquire().orElseThrow(() -> new AssertionError("free lock"));
            for (Acquirable<?> other : theirs) {
                assertThat(other.tryAcquire())
                        .as("another kind of lock of the same name while one is held")
                        .isEmpty();
            }
            handle.close();
        }
        assertNoKeysLeft("after release");
    }

    @Test
    void mutex_lost_create_acknowledgement_leaves_no_orphan_holding_the_lock() throws Exception {
        String name = name("lost-create");
        Client a = newClient("a");
        Client b = newClient("b");
        a.backend.failNextCreateAfterWrite();
        CompletableFuture<LockHandle> first = a.coordinator.lock(name).acquireAsync();
        passTimeUntil(env.sessionTtl(), first::isDone, "the acquisition whose acknowledgement was lost to finish");
        Throwable failure = failureOf(first);
        report("lost acknowledgement", "the acquisition %s", failure == null ? "recovered and acquired" : "failed");
        if (failure == null) {
            first.join().close();
        } else {
            assertThat(failure)
                    .as("failure of an acquisition whose acknowledgement was lost")
                    .isInstanceOf(BackendUnavailableException.class);
        }
        CompletableFuture<LockHandle> second = b.coordinator.lock(name).acquireAsync();
        passTimeUntil(
                env.sessionTtl().plus(livenessSlack()),
                second::isDone,
                "another coordinator to acquire after a lost acknowledgement (an orphan entry holds the lock?)");
        LockHandle handle = second.join();
        handle.close();
        assertNoKeysLeft("after a lost acknowledgement and a later release");
    }

    @Test
    void mutex_lost_release_answer_never_frees_another_holders_lock() throws Exception {
        String name = name("lost-release");
        Client a = newClient("a");
        Client b = newClient("b");
        Client c = newClient("c");
        LockHandle first = a.coordinator.lock(name).acquire(awaitTimeout());
        a.backend.failNextDeleteAfterWrite();
        first.close();
        assertThat(first.isValid())
                .as("handle valid after a release whose answer was lost")
                .isFalse();
        LockHandle second = acquireEventually(b.coordinator.lock(name), env.sessionTtl(), "the next holder");
        // Give a's background retry of the removal every chance to run, and to do harm if it can.
        passTime(env.sessionTtl());
        assertThat(second.isValid())
                .as("the next holder's handle after the old holder's retried release")
                .isTrue();
        assertThat(c.coordinator.lock(name).tryAcquire())
                .as("a third coordinator's tryAcquire while the next holder holds the lock")
                .isEmpty();
        assertThat(env.keysOnServer())
                .as("keys while the next holder holds the lock")
                .hasSize(1);
        second.close();
        assertNoKeysLeft("after both released");
    }

    // ------------------------------------------------------------------------------------------------------------
    // TTL lock

    @Test
    void ttl_lock_is_not_free_before_its_ttl() throws Exception {
        String name = name("ttl-held");
        Duration ttl = env.shortTtl();
        LockHandle handle =
                newClient("a").coordinator.lock(name, LockOptions.ttl(ttl)).acquire(awaitTimeout());
        DistributedLock other = newClient("b").coordinator.lock(name, LockOptions.ttl(ttl));
        // The holder's local deadline lies a safety margin before the server's expiry; up to it, the lock is held.
        Duration valid = handle.remaining();
        assertThat(valid)
                .as("local validity of a fresh TTL lock of %s", ttl)
                .isGreaterThan(ttl.dividedBy(2))
                .isLessThanOrEqualTo(ttl);
        passTime(env.manualTime() ? valid.minus(step()) : valid.dividedBy(2));
        assertThat(handle.isValid())
                .as("TTL lock handle just before its local deadline")
                .isTrue();
        assertThat(other.tryAcquire())
                .as("tryAcquire of a TTL lock just before its holder's deadline")
                .isEmpty();
        if (env.manualTime()) {
            // Past the holder's deadline the server still keeps the lock, for the full TTL the user asked for. Only
            // with manual time: with real time, the gap between the two is too thin to check without flaking.
            passTime(ttl.minus(valid));
            assertThat(handle.isValid())
                    .as("TTL lock handle past its local deadline")
                    .isFalse();
            assertThat(other.tryAcquire())
                    .as("tryAcquire of a TTL lock just before its TTL")
                    .isEmpty();
            acquireEventually(other, livenessSlack(), "the TTL lock right after its TTL")
                    .close();
        } else {
            handle.close();
            acquireEventually(other, ttl, "the TTL lock after release").close();
        }
        handle.close();
        assertNoKeysLeft("after release");
    }

    @Test
    void ttl_lock_expires_after_its_ttl_without_release() throws Exception {
        String name = name("ttl-expiry");
        Duration ttl = env.shortTtl();
        LockHandle handle =
                newClient("a").coordinator.lock(name, LockOptions.ttl(ttl)).acquire(awaitTimeout());
        AtomicReference<LossReason> lost = new AtomicReference<>();
        handle.onLost((h, reason) -> lost.compareAndSet(null, reason));
        passTimeUntil(ttl.plus(livenessSlack()), () -> lost.get() != null, "the TTL lock's loss listener");
        assertThat(handle.isValid()).as("TTL lock handle after its TTL").isFalse();
        assertThat(lost.get()).as("loss reason of an expired TTL lock").isEqualTo(LossReason.EXPIRED);
        LockHandle next = acquireEventually(
                newClient("b").coordinator.lock(name, LockOptions.ttl(ttl)),
                ttl.plus(livenessSlack()),
                "another coordinator to acquire the expired TTL lock");
        assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
        next.close();
        handle.close();
        assertNoKeysLeft("after expiry and release");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Lease

    @Test
    void lease_renew_keeps_it_past_its_ttl() throws Exception {
        String name = name("lease-renew");
        Duration ttl = env.shortTtl();
        LeaseHandle lease = newClient("a").coordinator.lease(name, ttl).acquire(awaitTimeout());
        DistributedLease other = newClient("b").coordinator.lease(name, ttl);
        // Renew every quarter TTL, so that a late wake-up on a loaded machine still renews in time.
        for (int i = 0; i < 8; i++) {
            passTime(ttl.dividedBy(4));
            lease.renew();
        }
        assertThat(lease.isValid())
                .as("lease renewed every half TTL, after two TTLs")
                .isTrue();
        assertThat(other.tryAcquire()).as("tryAcquire of a renewed lease").isEmpty();
        lease.close();
        other.tryAcquire()
                .orElseThrow(() -> new AssertionError("lease after release"))
                .close();
        assertNoKeysLeft("after release");
    }

    @Test
    void lease_without_renewal_expires() throws Exception {
        String name = name("lease-expiry");
        Duration ttl = env.shortTtl();
        LockHandle lease = newClient("a").coordinator.lease(name, ttl).acquire(awaitTimeout());
        AtomicReference<LossReason> lost = new AtomicReference<>();
        lease.onLost((h, reason) -> lost.compareAndSet(null, reason));
        passTimeUntil(ttl.plus(livenessSlack()), () -> lost.get() != null, "the unrenewed lease's loss listener");
        assertThat(lease.isValid()).as("unrenewed lease after its TTL").isFalse();
        assertThat(lost.get()).isEqualTo(LossReason.EXPIRED);
        LockHandle next = acquireEventually(
                newClient("b").coordinator.lease(name, ttl), ttl.plus(livenessSlack()), "the expired lease");
        assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
        next.close();
        assertNoKeysLeft("after expiry and release");
    }

    @Test
    void lease_auto_renew_keeps_it_across_several_ttls() throws Exception {
        String name = name("lease-auto");
        Duration ttl = env.shortTtl();
        LockHandle lease = newClient("a")
                .coordinator
                .lease(name, LeaseOptions.builder(ttl).autoRenew(true).build())
                .acquire(awaitTimeout());
        List<LossReason> losses = new CopyOnWriteArrayList<>();
        lease.onLost((h, reason) -> losses.add(reason));
        DistributedLease other = newClient("b").coordinator.lease(name, ttl);
        passTime(ttl.multipliedBy(3));
        assertThat(losses).as("losses of an auto-renewed lease over three TTLs").isEmpty();
        assertThat(lease.isValid()).as("auto-renewed lease after three TTLs").isTrue();
        assertThat(other.tryAcquire()).as("tryAcquire of an auto-renewed lease").isEmpty();
        lease.close();
        other.tryAcquire()
                .orElseThrow(() -> new AssertionError("lease after release"))
                .close();
        assertNoKeysLeft("after release");
    }

    @Test
    void lease_renew_after_loss_throws_lock_lost_exception() throws Exception {
        Duration ttl = env.shortTtl();
        LeaseHandle lease =
                newClient("a").coordinator.lease(name("lease-lost"), ttl).acquire(awaitTimeout());
        passTimeUntil(ttl.plus(livenessSlack()), () -> !lease.isValid(), "the unrenewed lease to expire");
        assertThatThrownBy(lease::renew).isInstanceOf(LockLostException.class);
        lease.close();
        assertNoKeysLeft("after expiry");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Early loss and liveness

    @Test
    void early_loss_mutex_holder_is_told_before_the_waiter_acquires() throws Exception {
        List<HoldRecord> history = new ArrayList<>();
        for (int trial = 0; trial < EARLY_LOSS_TRIALS; trial++) {
            HandoverTrial t = cutOffMutexHolder(trial);
            assertThat(t.lost)
                    .as("trial %d: the cut-off holder was told of its loss before the waiter acquired", trial)
                    .isNotNull();
            assertThat(t.lostReason).as("trial %d: loss reason", trial).isEqualTo(LossReason.SESSION_LOST);
            assertThat(t.heldValidAfter)
                    .as("trial %d: the cut-off holder's handle still valid", trial)
                    .isFalse();
            assertThat(t.lost.seq)
                    .as("trial %d: sequence of the holder's loss notice against the waiter's acquisition", trial)
                    .isLessThan(t.acquired.seq);
            assertThat(t.lost.nanos)
                    .as("trial %d: time of the holder's loss notice against the waiter's acquisition", trial)
                    .isLessThan(t.acquired.nanos);
            assertThat(t.nextToken)
                    .as("trial %d: token of the next holder", trial)
                    .isGreaterThan(t.heldToken);
            report(
                    "early loss",
                    "trial %d: holder told %d ms after the cut, waiter acquired %d ms after it (session TTL %d ms)",
                    trial,
                    millis(t.lost.nanos - t.cut.nanos),
                    millis(t.acquired.nanos - t.cut.nanos),
                    env.sessionTtl().toMillis());
            String name = "trial-" + trial;
            history.add(new HoldRecord(
                    "holder", name, t.heldToken, t.heldAt.seq, OptionalLong.empty(), OptionalLong.of(t.lost.seq)));
            history.add(new HoldRecord(
                    "waiter",
                    name,
                    t.nextToken,
                    t.acquired.seq,
                    OptionalLong.of(t.acquired.seq + 1),
                    OptionalLong.empty()));
        }
        HistoryChecker.Report report = HistoryChecker.check(history);
        report("early loss", "%s", report.summary());
        report.assertValid();
        assertThat(report.lossBeforeHandoverPercent()).isEqualTo(100.0);
    }

    @Test
    void early_loss_session_goes_suspended_then_lost() throws Exception {
        HandoverTrial t = cutOffMutexHolder(0);
        report("session states", "after the cut: %s", t.states);
        assertThat(t.states).as("session states after the cut").contains(SessionState.SUSPENDED, SessionState.LOST);
        assertThat(t.states.indexOf(SessionState.SUSPENDED))
                .as("first SUSPENDED before first LOST in %s", t.states)
                .isLessThan(t.states.indexOf(SessionState.LOST));
        assertThat(t.validWhenSuspended)
                .as("the holder's handle while the session was only SUSPENDED")
                .isTrue();
    }

    @Test
    void early_loss_holder_is_told_even_when_renewals_hang_instead_of_failing() throws Exception {
        // A silent network (packets dropped, no error) makes the renewal call hang rather than fail. The local
        // deadline must fire on its own timer; a client that only reacts to failed renewals would learn of the loss
        // after the next holder had started. The holder's blocking calls get threads of their own so that, with
        // manual time, a hung call cannot stall the clock.
        ExecutorService hungCalls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tck-hung-call");
            t.setDaemon(true);
            return t;
        });
        Client holder = newClient("holder", hungCalls);
        try {
            Client waiter = newClient("waiter");
            String name = name("blackhole");
            LockHandle held = holder.coordinator.lock(name).acquire(awaitTimeout());
            AtomicReference<Stamp> lost = new AtomicReference<>();
            AtomicReference<Stamp> acquired = new AtomicReference<>();
            held.onLost((h, why) -> lost.compareAndSet(null, stamp()));
            CompletableFuture<LockHandle> next = waiter.coordinator.lock(name).acquireAsync();
            next.whenComplete((h, e) -> {
                if (e == null) {
                    acquired.compareAndSet(null, stamp());
                }
            });
            awaitKeyCount(2, "the waiter's entry queued behind the holder's");
            Stamp cut = stamp();
            holder.backend.blackhole();
            passTimeUntil(
                    env.sessionTtl().plus(livenessSlack()),
                    () -> acquired.get() != null || next.isCompletedExceptionally(),
                    "the waiter to acquire after the holder's renewals started to hang");
            LockHandle nextHandle = next.join();
            assertThat(lost.get())
                    .as("the holder whose renewals hang was told of its loss")
                    .isNotNull();
            assertThat(lost.get().seq)
                    .as("order of the holder's loss notice and the waiter's acquisition")
                    .isLessThan(acquired.get().seq);
            assertThat(lost.get().nanos)
                    .as("time of the holder's loss notice against the waiter's acquisition")
                    .isLessThan(acquired.get().nanos);
            assertThat(held.isValid()).as("the hung holder's handle").isFalse();
            assertThat(nextHandle.fencingToken()).isGreaterThan(held.fencingToken());
            report(
                    "early loss (hung renewals)",
                    "holder told %d ms after the blackhole, waiter acquired %d ms after it (session TTL %d ms)",
                    millis(lost.get().nanos - cut.nanos),
                    millis(acquired.get().nanos - cut.nanos),
                    env.sessionTtl().toMillis());
            nextHandle.close();
        } finally {
            holder.backend.heal();
            hungCalls.shutdown();
        }
    }

    @Test
    void early_loss_election_leader_is_revoked_before_another_is_elected() throws Exception {
        for (int trial = 0; trial < EARLY_LOSS_TRIALS; trial++) {
            Client leaderClient = newClient("leader-" + trial);
            Client candidateClient = newClient("candidate-" + trial);
            String name = name("early-loss-election");
            AtomicReference<Stamp> revoked = new AtomicReference<>();
            AtomicReference<LossReason> reason = new AtomicReference<>();
            AtomicReference<Stamp> elected = new AtomicReference<>();
            LeaderElection leader = leaderClient.coordinator.election(name, "leader");
            leader.listen(new ElectionListener() {
                @Override
                public void onElected(Leadership leadership) {}

                @Override
                public void onRevoked(Leadership leadership, LossReason why) {
                    if (revoked.compareAndSet(null, stamp())) {
                        reason.set(why);
                    }
                }
            });
            Leadership term = leader.campaign(awaitTimeout());
            LeaderElection candidate = candidateClient.coordinator.election(name, "candidate");
            candidate.listen(new ElectionListener() {
                @Override
                public void onElected(Leadership leadership) {
                    elected.compareAndSet(null, stamp());
                }

                @Override
                public void onRevoked(Leadership leadership, LossReason why) {}
            });
            CompletableFuture<Leadership> campaign = candidate.campaignAsync();
            campaign.whenComplete((l, e) -> {
                if (e == null) {
                    elected.compareAndSet(null, stamp());
                }
            });
            awaitKeyCount(2, "the second candidate's campaign queued");
            Stamp cut = stamp();
            leaderClient.backend.partition();
            passTimeUntil(
                    env.sessionTtl().plus(livenessSlack()),
                    () -> elected.get() != null || campaign.isCompletedExceptionally(),
                    "the second candidate to be elected after the leader was cut off");
            Leadership next = campaign.join();
            assertThat(revoked.get())
                    .as("trial %d: the cut-off leader's onRevoked was called before the next was elected", trial)
                    .isNotNull();
            assertThat(reason.get()).as("trial %d: revocation reason", trial).isEqualTo(LossReason.SESSION_LOST);
            assertThat(term.isValid())
                    .as("trial %d: the cut-off leader's term still valid", trial)
                    .isFalse();
            assertThat(revoked.get().seq)
                    .as("trial %d: revocation before election (sequence)", trial)
                    .isLessThan(elected.get().seq);
            assertThat(revoked.get().nanos)
                    .as("trial %d: revocation before election (time)", trial)
                    .isLessThan(elected.get().nanos);
            assertThat(next.fencingToken()).isGreaterThan(term.fencingToken());
            report(
                    "early loss (election)",
                    "trial %d: leader revoked %d ms after the cut, next elected %d ms after it",
                    trial,
                    millis(revoked.get().nanos - cut.nanos),
                    millis(elected.get().nanos - cut.nanos));
            next.close();
        }
    }

    @Test
    void early_loss_singleton_task_is_interrupted_before_another_starts() throws Exception {
        for (int trial = 0; trial < EARLY_LOSS_TRIALS; trial++) {
            SingletonTrial t = cutOffSingletonRunner(trial);
            assertThat(t.firstInterrupted.seq)
                    .as("trial %d: interruption of the cut-off task before the other task started (sequence)", trial)
                    .isLessThan(t.secondStarted.seq);
            assertThat(t.firstInterrupted.nanos)
                    .as("trial %d: interruption of the cut-off task before the other task started (time)", trial)
                    .isLessThan(t.secondStarted.nanos);
            assertThat(t.probe.maxRunning.get())
                    .as("trial %d: tasks running at once", trial)
                    .isEqualTo(1);
            report(
                    "early loss (singleton)",
                    "trial %d: task interrupted %d ms after the cut, other task started %d ms after it",
                    trial,
                    millis(t.firstInterrupted.nanos - t.cut.nanos),
                    millis(t.secondStarted.nanos - t.cut.nanos));
            t.second.close();
            assertNoKeysLeft("after trial " + trial);
        }
    }

    @Test
    void early_loss_waiter_cut_off_while_waiting_never_acquires() throws Exception {
        // Jepsen's etcd 3.4.3 finding: a waiter whose session expired while it waited must not believe it acquired.
        String name = name("cut-off-waiter");
        Client a = newClient("a");
        Client b = newClient("b");
        Client c = newClient("c");
        LockHandle held = a.coordinator.lock(name).acquire(awaitTimeout());
        CompletableFuture<LockHandle> cutOff = b.coordinator.lock(name).acquireAsync();
        awaitKeyCount(2, "b queued behind a");
        b.backend.partition();
        passTimeUntil(
                env.sessionTtl().plus(livenessSlack()),
                cutOff::isDone,
                "the cut-off waiter's acquisition to end once its session was lost");
        assertThat(failureOf(cutOff))
                .as("outcome of a wait whose session was lost")
                .isInstanceOf(LockLostException.class);
        b.backend.heal();
        assertKeyCount(1, "after the cut-off waiter's session was lost: only a's entry");
        CompletableFuture<LockHandle> next = c.coordinator.lock(name).acquireAsync();
        awaitKeyCount(2, "c queued behind a");
        held.close();
        LockHandle handle = awaitDone(next, "c to acquire after a released");
        assertThat(handle.fencingToken()).isGreaterThan(held.fencingToken());
        assertThat(env.keysOnServer()).as("keys while c holds the lock").hasSize(1);
        handle.close();
        assertNoKeysLeft("after release");
    }

    @Test
    void early_loss_holder_and_waiter_survive_a_disconnect_shorter_than_the_deadline() throws Exception {
        String name = name("short-cut");
        Client a = newClient("a");
        Client b = newClient("b");
        LockHandle held = a.coordinator.lock(name).acquire(awaitTimeout());
        List<LossReason> losses = new CopyOnWriteArrayList<>();
        held.onLost((h, reason) -> losses.add(reason));
        CompletableFuture<LockHandle> waiting = b.coordinator.lock(name).acquireAsync();
        awaitKeyCount(2, "b queued behind a");
        a.backend.partition();
        b.backend.partition();
        // Shorter than any local deadline: the builder keeps the margin under half the TTL and renews every third.
        passTime(env.sessionTtl().dividedBy(8));
        a.backend.heal();
        b.backend.heal();
        passTimeUntil(
                env.sessionTtl().dividedBy(2),
                () -> a.coordinator.sessionState() == SessionState.CONNECTED
                        && b.coordinator.sessionState() == SessionState.CONNECTED,
                "both sessions to be CONNECTED again after the disconnect");
        passTime(env.sessionTtl());
        assertThat(losses)
                .as("losses of a holder whose disconnect ended before its deadline")
                .isEmpty();
        assertThat(held.isValid()).as("holder after a short disconnect").isTrue();
        assertThat(waiting).as("waiter while the holder still holds").isNotDone();
        assertThat(env.keysOnServer()).as("keys after the disconnect").hasSize(2);
        held.close();
        LockHandle next = awaitDone(waiting, "the waiter, whose watch was reset by the disconnect, after the release");
        assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        next.close();
        assertNoKeysLeft("after release");
    }

    @Test
    void liveness_coordinator_opens_a_new_session_after_losing_one() throws Exception {
        String name = name("recover");
        Client a = newClient("a");
        DistributedLock lock = a.coordinator.lock(name);
        LockHandle held = lock.acquire(awaitTimeout());
        a.backend.partition();
        passTimeUntil(
                env.sessionTtl().plus(livenessSlack()),
                () -> a.coordinator.sessionState() == SessionState.LOST,
                "the cut-off coordinator's session to be LOST");
        assertThat(held.isValid()).isFalse();
        a.backend.heal();
        passTimeUntil(
                env.sessionTtl().plus(livenessSlack()),
                () -> a.coordinator.sessionState() == SessionState.CONNECTED,
                "a new session once the server is reachable again");
        LockHandle again = acquireEventually(
                lock, env.sessionTtl().plus(livenessSlack()), "the lock again, on the coordinator's new session");
        assertThat(again.fencingToken()).isGreaterThan(held.fencingToken());
        again.close();
        held.close();
        assertNoKeysLeft("after release");
        if (env.liveLeases().isPresent()) {
            assertLiveLeases(1, "with one coordinator open after its session was replaced");
        }
    }

    @Test
    void liveness_lock_of_a_cut_off_holder_is_free_within_session_ttl_plus_slack() throws Exception {
        HandoverTrial t = cutOffMutexHolder(0);
        long failoverNanos = t.acquired.nanos - t.cut.nanos;
        report(
                "liveness",
                "failover %d ms with session TTL %d ms and slack %d ms",
                millis(failoverNanos),
                env.sessionTtl().toMillis(),
                livenessSlack().toMillis());
        assertThat(Duration.ofNanos(failoverNanos))
                .as("time from the cut to the waiter's acquisition")
                .isLessThanOrEqualTo(env.sessionTtl().plus(livenessSlack()));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Election

    @Test
    void election_has_exactly_one_leader_among_candidates() throws Exception {
        String name = name("one-leader");
        int candidates = 4;
        List<LeaderElection> elections = new ArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        Map<String, Leadership> terms = new ConcurrentHashMap<>();
        for (int i = 0; i < candidates; i++) {
            LeaderElection election = newClient("c" + i).coordinator.election(name, "c" + i);
            String id = "c" + i;
            election.listen(new ElectionListener() {
                @Override
                public void onElected(Leadership leadership) {
                    terms.forEach((other, term) -> {
                        if (term.isValid()) {
                            violations.add(id + " elected while " + other + " still held a valid term");
                        }
                    });
                    terms.put(id, leadership);
                }

                @Override
                public void onRevoked(Leadership leadership, LossReason reason) {}
            });
            elections.add(election);
        }
        List<CompletableFuture<Leadership>> campaigns = new ArrayList<>();
        for (LeaderElection election : elections) {
            campaigns.add(election.campaignAsync());
        }
        List<Integer> leaders = new ArrayList<>();
        long lastToken = 0;
        for (int round = 0; round < candidates; round++) {
            await("a leader to be elected").until(() -> campaigns.stream().anyMatch(CompletableFuture::isDone));
            List<Integer> done = new ArrayList<>();
            for (int i = 0; i < candidates; i++) {
                if (campaigns.get(i).isDone() && !leaders.contains(i)) {
                    done.add(i);
                }
            }
            assertThat(done).as("round %d: candidates elected at once", round).hasSize(1);
            int leader = done.get(0);
            Leadership term = campaigns.get(leader).join();
            assertThat(term.fencingToken()).as("token of term %d", round).isGreaterThan(lastToken);
            lastToken = term.fencingToken();
            for (LeaderElection election : elections) {
                Optional<LeaderInfo> seen = election.leader();
                assertThat(seen).as("leader seen by %s", election.candidateId()).isPresent();
                assertThat(seen.get().candidateId()).isEqualTo("c" + leader);
                assertThat(seen.get().fencingToken()).isEqualTo(term.fencingToken());
            }
            leaders.add(leader);
            campaigns.set(leader, new CompletableFuture<>());
            elections.get(leader).resign();
            assertThat(term.isValid()).as("term after resign").isFalse();
        }
        assertThat(violations).as("moments with two valid terms").isEmpty();
        assertThat(leaders).as("every candidate led once").containsExactlyInAnyOrder(0, 1, 2, 3);
        assertNoKeysLeft("after every candidate resigned");
    }

    @Test
    void election_leader_reports_id_token_and_proclaimed_value() throws Exception {
        String name = name("leader-info");
        LeaderElection leader = newClient("a").coordinator.election(name, "leader-a");
        LeaderElection observer = newClient("b").coordinator.election(name, "observer-b");
        assertThat(observer.leader()).as("leader before any campaign").isEmpty();
        Leadership term = leader.campaign(awaitTimeout());
        assertThat(term.electionName()).isEqualTo(name);
        assertThat(term.candidateId()).isEqualTo("leader-a");
        assertThat(term.isValid()).isTrue();
        assertThat(observer.leader()).contains(new LeaderInfo("leader-a", term.fencingToken(), ""));
        term.proclaim("10.0.0.7:8080");
        assertThat(observer.leader()).contains(new LeaderInfo("leader-a", term.fencingToken(), "10.0.0.7:8080"));
        term.close();
        await("no leader after resign").until(() -> observer.leader().isEmpty());
        assertNoKeysLeft("after resign");
    }

    @Test
    void election_observer_sees_changes_in_order_starting_with_current_leader() throws Exception {
        String name = name("observe");
        LeaderElection a = newClient("a").coordinator.election(name, "a");
        LeaderElection b = newClient("b").coordinator.election(name, "b");
        LeaderElection watcher = newClient("w").coordinator.election(name, "w");
        Leadership termA = a.campaign(awaitTimeout());
        List<Optional<LeaderInfo>> seen = new CopyOnWriteArrayList<>();
        watcher.observe(seen::add);
        await("the observer's first call").until(() -> !seen.isEmpty());
        assertThat(seen.get(0)).as("first call").contains(new LeaderInfo("a", termA.fencingToken(), ""));

        termA.proclaim("v1");
        LeaderInfo proclaimed = new LeaderInfo("a", termA.fencingToken(), "v1");
        await("the proclaimed value observed").until(() -> last(seen).equals(Optional.of(proclaimed)));

        CompletableFuture<Leadership> campaignB = b.campaignAsync();
        awaitKeyCount(2, "b's campaign queued");
        a.resign();
        Leadership termB = awaitDone(campaignB, "b elected after a resigned");
        LeaderInfo second = new LeaderInfo("b", termB.fencingToken(), "");
        await("b observed as leader").until(() -> last(seen).equals(Optional.of(second)));

        b.resign();
        await("no leader observed").until(() -> last(seen).isEmpty());

        List<LeaderInfo> leaders = new ArrayList<>();
        for (Optional<LeaderInfo> change : seen) {
            change.ifPresent(info -> {
                if (leaders.isEmpty() || !last(leaders).equals(info)) {
                    leaders.add(info);
                }
            });
        }
        assertThat(leaders)
                .as("leaders observed, in order (all calls: %s)", seen)
                .containsExactly(new LeaderInfo("a", termA.fencingToken(), ""), proclaimed, second);
    }

    @Test
    void election_can_be_observed_without_campaigning() throws Exception {
        String name = name("observe-only");
        Client observerClient = newClient("observer");
        LeaderElection a = newClient("a").coordinator.election(name, "a");
        assertThat(observerClient.coordinator.leader(name))
                .as("leader before anyone campaigned")
                .isEmpty();
        List<Optional<LeaderInfo>> seen = new CopyOnWriteArrayList<>();
        Subscription subscription = observerClient.coordinator.observe(name, seen::add);
        await("the observer's first call").until(() -> !seen.isEmpty());
        assertThat(seen.get(0)).as("first call, nobody leads").isEmpty();

        Leadership term = a.campaign(awaitTimeout());
        term.proclaim("host-a:8080");
        LeaderInfo expected = new LeaderInfo("a", term.fencingToken(), "host-a:8080");
        await("the leader and its value observed").until(() -> last(seen).equals(Optional.of(expected)));
        assertThat(observerClient.coordinator.leader(name)).contains(expected);
        assertKeyCount(1, "the observer wrote nothing: only the candidate's entry exists");

        subscription.close();
        int callsAtClose = seen.size();
        term.close();
        assertThat(observerClient.coordinator.leader(name))
                .as("leader after resignation")
                .isEmpty();
        assertThat(seen).as("calls after the subscription was closed").hasSize(callsAtClose);
    }

    @Test
    void election_campaign_that_failed_can_be_retried() throws Exception {
        // Regression: a blocking campaign that failed (server unreachable) left the candidate marked as campaigning,
        // so every later campaign threw IllegalStateException.
        String name = name("retry-campaign");
        Client client = newClient("a");
        LeaderElection election = client.coordinator.election(name, "a");
        client.backend.partition();
        assertThatThrownBy(() -> election.campaign(awaitTimeout()))
                .as("campaign while the server is unreachable")
                .isInstanceOf(BackendUnavailableException.class);
        client.backend.heal();
        Leadership term = election.campaign(awaitTimeout());
        assertThat(term.isValid()).as("the retried campaign's term").isTrue();
        term.close();
    }

    @Test
    void election_resign_hands_over_to_the_next_candidate_in_campaign_order() throws Exception {
        String name = name("resign");
        LeaderElection a = newClient("a").coordinator.election(name, "a");
        LeaderElection b = newClient("b").coordinator.election(name, "b");
        LeaderElection c = newClient("c").coordinator.election(name, "c");
        Leadership termA = a.campaign(awaitTimeout());
        CompletableFuture<Leadership> campaignB = b.campaignAsync();
        awaitKeyCount(2, "b's campaign queued");
        CompletableFuture<Leadership> campaignC = c.campaignAsync();
        awaitKeyCount(3, "c's campaign queued");
        a.resign();
        Leadership termB = awaitDone(campaignB, "b, the next in line, elected after a resigned");
        assertThat(campaignC).as("c's campaign after a resigned").isNotDone();
        assertThat(termB.fencingToken()).isGreaterThan(termA.fencingToken());
        termB.close();
        Leadership termC = awaitDone(campaignC, "c elected after b resigned");
        assertThat(termC.fencingToken()).as("token of the third term").isGreaterThan(termB.fencingToken());
        CompletableFuture<Leadership> campaignA = a.campaignAsync();
        awaitKeyCount(2, "a's new campaign queued behind c");
        assertThat(campaignA).as("a's new campaign while c leads").isNotDone();
        termC.close();
        Leadership again = awaitDone(campaignA, "a elected again after c resigned");
        assertThat(again.fencingToken()).as("token of the fourth term").isGreaterThan(termC.fencingToken());
        again.close();
        assertNoKeysLeft("after every candidate resigned");
    }

    @Test
    void election_proclaim_after_resign_throws_lock_lost_exception() throws Exception {
        LeaderElection a = newClient("a").coordinator.election(name("proclaim"), "a");
        Leadership term = a.campaign(awaitTimeout());
        term.proclaim("before");
        a.resign();
        assertThatThrownBy(() -> term.proclaim("after")).isInstanceOf(LockLostException.class);
        assertNoKeysLeft("after resign");
    }

    @Test
    void election_listener_gets_elected_then_revoked_for_each_term() throws Exception {
        LeaderElection a = newClient("a").coordinator.election(name("listener"), "a");
        List<String> events = new CopyOnWriteArrayList<>();
        a.listen(new ElectionListener() {
            @Override
            public void onElected(Leadership leadership) {
                events.add("elected:" + leadership.fencingToken());
            }

            @Override
            public void onRevoked(Leadership leadership, LossReason reason) {
                events.add("revoked:" + leadership.fencingToken() + ":" + reason);
            }
        });
        Leadership first = a.campaign(awaitTimeout());
        await("onElected of the first term").until(() -> events.size() == 1);
        a.resign();
        await("onRevoked of the first term").until(() -> events.size() == 2);
        Leadership second = a.campaign(awaitTimeout());
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        second.close();
        await("onRevoked of the second term").until(() -> events.size() == 4);
        assertThat(events)
                .containsExactly(
                        "elected:" + first.fencingToken(),
                        "revoked:" + first.fencingToken() + ":" + LossReason.RELEASED,
                        "elected:" + second.fencingToken(),
                        "revoked:" + second.fencingToken() + ":" + LossReason.RELEASED);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Singleton

    @Test
    void singleton_runs_on_exactly_one_runner_at_a_time() throws Exception {
        String name = name("singleton");
        SingletonProbe probe = new SingletonProbe();
        List<SingletonRunner> runners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runners.add(newClient("r" + i).coordinator.singleton(name, "r" + i, probe.task("r" + i)));
        }
        List<Integer> ran = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            int expectedStarts = round + 1;
            await("task of round " + round + " to start").until(() -> probe.starts.get() == expectedStarts);
            List<Integer> leading = new ArrayList<>();
            for (int i = 0; i < runners.size(); i++) {
                if (runners.get(i).currentTerm().isPresent()) {
                    leading.add(i);
                }
            }
            assertThat(leading)
                    .as("round %d: runners with a current term", round)
                    .hasSize(1);
            int current = leading.get(0);
            assertThat(runners.get(current).termsStarted()).isEqualTo(1);
            ran.add(current);
            runners.get(current).close();
            assertThat(probe.finished)
                    .as("task of r%d finished when close() returned", current)
                    .containsKey("r" + current);
        }
        assertThat(probe.maxRunning.get()).as("tasks running at once").isEqualTo(1);
        assertThat(ran).containsExactlyInAnyOrder(0, 1, 2);
        assertNoKeysLeft("after every runner closed");
    }

    @Test
    void singleton_task_is_interrupted_when_leadership_is_lost_and_another_takes_over() throws Exception {
        SingletonTrial t = cutOffSingletonRunner(0);
        assertThat(t.probe.interrupted).as("the cut-off task was interrupted").containsKey(t.firstId);
        assertThat(t.probe.finished).as("the cut-off task returned").containsKey(t.firstId);
        assertThat(t.probe.started).as("the other runner's task started").containsKey(t.secondId);
        assertThat(t.second.currentTerm()).as("the other runner's term").isPresent();
        assertThat(t.second.termsStarted()).isEqualTo(1);
        await("the cut-off runner's listener told why its term ended").until(() -> t.firstRevokedReason.get() != null);
        assertThat(t.firstRevokedReason.get()).isEqualTo(LossReason.SESSION_LOST);
    }

    @Test
    void singleton_close_stops_the_task() throws Exception {
        SingletonProbe probe = new SingletonProbe();
        SingletonRunner runner = newClient("a").coordinator.singleton(name("singleton-close"), "a", probe.task("a"));
        await("the task to start").until(() -> probe.started.containsKey("a"));
        assertThat(runner.currentTerm()).isPresent();
        runner.close();
        assertThat(probe.interrupted).as("the task was interrupted by close()").containsKey("a");
        assertThat(probe.finished).as("the task returned before close() did").containsKey("a");
        assertThat(probe.running.get()).isZero();
        assertThat(runner.currentTerm()).as("term after close").isEmpty();
        runner.close();
        assertThat(probe.starts.get()).as("task starts after close").isEqualTo(1);
        assertNoKeysLeft("after the runner closed");
    }

    // ------------------------------------------------------------------------------------------------------------
    // No leaks

    @Test
    void no_leaks_after_release() throws Exception {
        Client a = newClient("a");
        Coordinator c = a.coordinator;
        c.lock(name("mutex")).acquire(awaitTimeout()).close();
        c.lock(name("ttl"), LockOptions.ttl(env.shortTtl()))
                .acquire(awaitTimeout())
                .close();
        c.lease(name("lease"), env.shortTtl()).acquire(awaitTimeout()).close();
        c.lease(
                        name("auto"),
                        LeaseOptions.builder(env.shortTtl()).autoRenew(true).build())
                .acquire(awaitTimeout())
                .close();
        LeaderElection election = c.election(name("election"), "a");
        election.campaign(awaitTimeout()).close();
        election.close();
        SingletonProbe probe = new SingletonProbe();
        SingletonRunner runner = c.singleton(name("singleton"), "a", probe.task("a"));
        await("the singleton task to start").until(() -> probe.started.containsKey("a"));
        runner.close();
        assertNoKeysLeft("after every lock, lease, term and runner was released");
        // Exactly the open coordinator's session, not a count read before: a read of the server can be stale (a
        // ZooKeeper follower behind the leader) or fall between a session's loss and its replacement.
        assertLiveLeases(1, "after release, with the coordinator still open (its session's lease only)");
        a.close();
        assertNoKeysLeft("after the coordinator closed");
        assertLiveLeases(0, "after the coordinator closed");
    }

    @Test
    void no_leaks_after_coordinator_close_with_locks_held() throws Exception {
        Client a = newClient("a");
        Client b = newClient("b");
        Coordinator c = a.coordinator;
        LockHandle mutex = c.lock(name("mutex")).acquire(awaitTimeout());
        AtomicReference<LossReason> mutexLoss = new AtomicReference<>();
        mutex.onLost((h, reason) -> mutexLoss.compareAndSet(null, reason));
        LockHandle ttlLock =
                c.lock(name("ttl"), LockOptions.ttl(env.shortTtl())).acquire(awaitTimeout());
        LockHandle lease = c.lease(
                        name("lease"),
                        LeaseOptions.builder(env.shortTtl()).autoRenew(true).build())
                .acquire(awaitTimeout());
        Leadership term = c.election(name("election"), "a").campaign(awaitTimeout());
        SingletonProbe probe = new SingletonProbe();
        c.singleton(name("singleton"), "a", probe.task("a"));
        await("the singleton task to start").until(() -> probe.started.containsKey("a"));
        String contended = name("contended");
        LockHandle othersLock = b.coordinator.lock(contended).acquire(awaitTimeout());
        CompletableFuture<LockHandle> waiting = c.lock(contended).acquireAsync();
        awaitKeyCount(7, "a's five holds, b's lock and a's waiting entry");

        a.close();
        assertThat(List.of(mutex.isValid(), ttlLock.isValid(), lease.isValid(), term.isValid()))
                .as("handles and term after their coordinator closed")
                .containsOnly(false);
        await("the loss listener of a lock held at close").until(() -> mutexLoss.get() != null);
        assertThat(mutexLoss.get()).isEqualTo(LossReason.COORDINATOR_CLOSED);
        assertThat(probe.finished).as("singleton task finished by close()").containsKey("a");
        await("the pending acquisition to fail").until(waiting::isDone);
        assertThat(waiting).as("pending acquisition after close").isCompletedExceptionally();
        assertKeyCount(1, "after the coordinator closed: only b's lock");
        othersLock.close();
        b.close();
        assertNoKeysLeft("after both coordinators closed");
        assertLiveLeases(0, "after both coordinators closed");
    }

    @Test
    void no_leaks_after_acquire_timed_out() throws Exception {
        String name = name("timeout");
        LockHandle held = newClient("a").coordinator.lock(name).acquire(awaitTimeout());
        DistributedLock other = newClient("b").coordinator.lock(name);
        Duration wait = TckTimeouts.scaled(Duration.ofSeconds(1));
        Worker<LockHandle> waiter = startWorker("timeout-waiter", () -> other.acquire(wait));
        awaitKeyCount(2, "the waiter queued");
        passTimeUntil(wait.plus(env.sessionTtl()), waiter.result::isDone, "the acquisition to time out");
        assertThat(waiter.failure())
                .as("outcome of acquire(%s) while held", wait)
                .isInstanceOf(LockAcquisitionTimeoutException.class);
        assertKeyCount(1, "after the waiter timed out: only the holder's entry");
        assertThat(other.tryAcquire(Duration.ZERO))
                .as("tryAcquire(0) while held")
                .isEmpty();
        held.close();
        assertNoKeysLeft("after release");
    }

    @Test
    void no_leaks_after_async_acquire_cancelled() throws Exception {
        String name = name("cancel");
        LockHandle held = newClient("a").coordinator.lock(name).acquire(awaitTimeout());
        DistributedLock other = newClient("b").coordinator.lock(name);
        CompletableFuture<LockHandle> waiting = other.acquireAsync();
        awaitKeyCount(2, "the async waiter queued");
        assertThat(waiting.cancel(true)).isTrue();
        assertKeyCount(1, "after the waiter's future was cancelled: only the holder's entry");
        held.close();
        assertNoKeysLeft("after release");
        other.tryAcquire()
                .orElseThrow(() -> new AssertionError("lock after cancelled wait"))
                .close();
        assertNoKeysLeft("after release");
    }

    @Test
    void no_leaks_after_interrupted_acquire() throws Exception {
        String name = name("interrupt");
        LockHandle held = newClient("a").coordinator.lock(name).acquire(awaitTimeout());
        DistributedLock other = newClient("b").coordinator.lock(name);
        Worker<LockHandle> waiter = startWorker("interrupted-waiter", other::acquire);
        awaitKeyCount(2, "the waiter queued");
        waiter.thread.interrupt();
        await("the interrupted acquire to return").until(waiter.result::isDone);
        assertThat(waiter.failure()).as("outcome of an interrupted acquire").isInstanceOf(InterruptedException.class);
        assertKeyCount(1, "after the waiter was interrupted: only the holder's entry");
        held.close();
        assertNoKeysLeft("after release");
    }

    @Test
    void no_leaks_after_ttl_lock_expired() throws Exception {
        Client a = newClient("a");
        LockHandle handle = a.coordinator
                .lock(name("ttl-leak"), LockOptions.ttl(env.shortTtl()))
                .acquire(awaitTimeout());
        passTimeUntil(env.shortTtl().plus(livenessSlack()), () -> !handle.isValid(), "the TTL lock to expire");
        assertNoKeysLeft("after the TTL lock expired");
        handle.close();
        assertNoKeysLeft("after the expired TTL lock was closed");
        a.close();
        assertLiveLeases(0, "after the coordinator closed");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Reentrancy

    @Test
    void reentrancy_acquire_while_holding_throws_illegal_state_instead_of_deadlock() throws Exception {
        DistributedLock lock = newClient("a").coordinator.lock(name("reentrant"));
        LockHandle handle = lock.acquire(awaitTimeout());
        List<Callable<?>> again = List.of(
                lock::acquire,
                () -> lock.acquire(Duration.ofSeconds(1)),
                lock::tryAcquire,
                () -> lock.tryAcquire(Duration.ofSeconds(1)),
                lock::acquireAsync);
        for (Callable<?> call : again) {
            Worker<Object> attempt = startWorker("reacquire", () -> call.call());
            await("a second acquisition on the same instance to return instead of deadlocking")
                    .until(attempt.result::isDone);
            assertThat(attempt.failure())
                    .as("acquiring an instance that holds a valid handle")
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(handle.isValid()).isTrue();
        assertKeyCount(1, "after the refused re-acquisitions");
        handle.close();
        lock.acquire(awaitTimeout()).close();
        assertNoKeysLeft("after release");
    }

    @Test
    void reentrancy_java_lock_view_is_reentrant_for_the_owning_thread() throws Exception {
        String name = name("java-lock");
        DistributedLock lock = newClient("a").coordinator.lock(name);
        DistributedLock other = newClient("b").coordinator.lock(name);
        Lock view = lock.asJavaLock();
        assertThat(lock.asJavaLock()).as("asJavaLock() returns the same view").isSameAs(view);
        view.lock();
        view.lock();
        assertThat(view.tryLock()).as("tryLock by the owner").isTrue();
        view.unlock();
        view.unlock();
        assertThat(other.tryAcquire())
                .as("another coordinator while the hold count is still 1")
                .isEmpty();
        view.unlock();
        LockHandle next = acquireEventually(other, env.sessionTtl(), "the lock after the hold count reached 0");
        next.close();
        assertThatThrownBy(view::unlock)
                .as("unlock with a hold count of 0")
                .isInstanceOf(IllegalMonitorStateException.class);
        assertNoKeysLeft("after release");
    }

    @Test
    void reentrancy_java_lock_view_rejects_unlock_by_another_thread_and_blocks_others() throws Exception {
        DistributedLock lock = newClient("a").coordinator.lock(name("java-lock-threads"));
        Lock view = lock.asJavaLock();
        view.lock();
        Worker<Boolean> tryLock = startWorker("try-lock", view::tryLock);
        assertThat(tryLock.get(awaitTimeout()))
                .as("tryLock by another thread while held")
                .isFalse();
        Worker<Object> unlock = startWorker("foreign-unlock", () -> {
            view.unlock();
            return null;
        });
        await("unlock by another thread to return").until(unlock.result::isDone);
        assertThat(unlock.failure()).isInstanceOf(IllegalMonitorStateException.class);

        AtomicReference<String> acquiredBy = new AtomicReference<>();
        CountDownLatch letGo = new CountDownLatch(1);
        Worker<Object> blocked = startWorker("blocked-locker", () -> {
            view.lock();
            try {
                acquiredBy.set(Thread.currentThread().getName());
                letGo.await();
            } finally {
                view.unlock();
            }
            return null;
        });
        await("the other thread to block in lock()").until(() -> {
            Thread.State state = blocked.thread.getState();
            return state == Thread.State.WAITING
                    || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.BLOCKED;
        });
        assertThat(acquiredBy.get())
                .as("the other thread acquired while the owner held the lock")
                .isNull();
        view.unlock();
        await("the other thread to acquire after the owner unlocked").until(() -> acquiredBy.get() != null);
        assertThatThrownBy(view::unlock)
                .as("unlock by the former owner while another thread holds the view")
                .isInstanceOf(IllegalMonitorStateException.class);
        assertKeyCount(1, "while the other thread holds the view");
        letGo.countDown();
        blocked.get(awaitTimeout());
        assertNoKeysLeft("after the other thread unlocked");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Errors

    @Test
    void errors_invalid_names_are_rejected_with_the_rule_and_nothing_written() throws Exception {
        Coordinator c = newClient("a").coordinator;
        Map<String, String> invalid = new java.util.LinkedHashMap<>();
        invalid.put("", "empty");
        invalid.put("é".repeat(128) + "a", "256");
        invalid.put("a".repeat(257), "256");
        invalid.put("a\u0000b", "control");
        invalid.put("a\nb", "control");
        invalid.put("\tab", "control");
        invalid.put("a\u001bb", "control");
        invalid.put("a\u007f", "control");
        invalid.put("a\ud800b", "surrogate");
        SingletonTask task = leadership -> {};
        for (Map.Entry<String, String> bad : invalid.entrySet()) {
            String name = bad.getKey();
            String rule = bad.getValue();
            String shown = name.length() > 20 ? name.length() + " chars" : escape(name);
            List<Callable<?>> calls = List.of(
                    () -> c.lock(name),
                    () -> c.lock(name, LockOptions.ttl(env.shortTtl())),
                    () -> c.lease(name, env.shortTtl()),
                    () -> c.election(name, "id"),
                    () -> c.election("valid", name),
                    () -> c.singleton(name, "id", task));
            for (int i = 0; i < calls.size(); i++) {
                Callable<?> call = calls.get(i);
                assertThatThrownBy(call::call)
                        .as("call %d with name '%s'", i, shown)
                        .isInstanceOf(IllegalArgumentException.class)
                        .satisfies(e -> assertThat(e.getMessage().toLowerCase(Locale.ROOT))
                                .as("message of the rejection of '%s' names the rule", shown)
                                .contains(rule));
            }
        }
        assertThat(env.keysOnServer()).as("keys after rejected names").isEmpty();
    }

    @Test
    void errors_null_arguments_throw_null_pointer_exception() throws Exception {
        Coordinator c = newClient("a").coordinator;
        DistributedLock lock = c.lock(name("null"));
        LeaderElection election = c.election(name("null-election"), "a");
        assertThatNullPointerException().isThrownBy(() -> c.lock(null));
        assertThatNullPointerException().isThrownBy(() -> c.lock("x", null));
        assertThatNullPointerException().isThrownBy(() -> c.lock(null, LockOptions.defaults()));
        assertThatNullPointerException().isThrownBy(() -> c.lease(null, env.shortTtl()));
        assertThatNullPointerException().isThrownBy(() -> c.lease("x", (Duration) null));
        assertThatNullPointerException().isThrownBy(() -> c.lease("x", (LeaseOptions) null));
        assertThatNullPointerException().isThrownBy(() -> c.election(null, "a"));
        assertThatNullPointerException().isThrownBy(() -> c.election("x", null));
        assertThatNullPointerException().isThrownBy(() -> c.singleton(null, "a", l -> {}));
        assertThatNullPointerException().isThrownBy(() -> c.singleton("x", null, l -> {}));
        assertThatNullPointerException().isThrownBy(() -> c.singleton("x", "a", null));
        assertThatNullPointerException().isThrownBy(() -> c.onSessionStateChange(null));
        assertThatNullPointerException().isThrownBy(() -> lock.acquire(null));
        assertThatNullPointerException().isThrownBy(() -> lock.tryAcquire(null));
        assertThatNullPointerException().isThrownBy(() -> election.campaign(null));
        assertThatNullPointerException().isThrownBy(() -> election.observe(null));
        assertThatNullPointerException().isThrownBy(() -> election.listen(null));
        LockHandle handle = lock.acquire(awaitTimeout());
        assertThatNullPointerException().isThrownBy(() -> handle.onLost(null));
        handle.close();
        Leadership term = election.campaign(awaitTimeout());
        assertThatNullPointerException().isThrownBy(() -> term.proclaim(null));
        term.close();
        assertNoKeysLeft("after release");
    }

    @Test
    void errors_unusual_but_valid_names_work() throws Exception {
        Coordinator c = newClient("a").coordinator;
        List<String> names = List.of(
                "x".repeat(256),
                "é".repeat(128),
                "a/b",
                "..",
                ".",
                "/",
                "a//b",
                "/leading",
                "trailing/",
                "%2F",
                "%",
                "a b",
                "ロック/🔒",
                "*?[]{}",
                "\\",
                "-_~");
        for (String name : names) {
            DistributedLock lock = c.lock(name);
            assertThat(lock.name()).isEqualTo(name);
            LockHandle handle = lock.tryAcquire()
                    .orElseThrow(() -> new AssertionError("free lock '" + name + "' could not be acquired"));
            assertThat(handle.name()).isEqualTo(name);
            assertThat(handle.fencingToken()).isPositive();
            handle.close();
            LeaderElection election = c.election(name, name);
            Leadership term = election.campaign(awaitTimeout());
            assertThat(election.leader().map(LeaderInfo::candidateId)).contains(name);
            term.close();
        }
        assertThat(names.get(0).getBytes(StandardCharsets.UTF_8)).hasSize(256);
        assertThat(names.get(1).getBytes(StandardCharsets.UTF_8)).hasSize(256);
        assertNoKeysLeft("after release");
    }

    @Test
    void errors_names_that_share_a_prefix_are_independent_locks() throws Exception {
        Coordinator a = newClient("a").coordinator;
        Coordinator b = newClient("b").coordinator;
        List<String> names = List.of("a", "a/b", "ab", "a/", "a%2Fb", "A", "a.b");
        for (String held : names) {
            LockHandle handle = a.lock(held).tryAcquire().orElseThrow(() -> new AssertionError(held + " is free"));
            for (String other : names) {
                if (other.equals(held)) {
                    assertThat(b.lock(other).tryAcquire())
                            .as("'%s' while held", other)
                            .isEmpty();
                    continue;
                }
                Optional<LockHandle> got = b.lock(other).tryAcquire();
                assertThat(got).as("'%s' while only '%s' is held", other, held).isPresent();
                got.get().close();
            }
            handle.close();
        }
        assertNoKeysLeft("after release");
    }

    @Test
    void errors_bad_durations_are_rejected_and_nothing_written() throws Exception {
        Client client = newClient("a");
        Coordinator c = client.coordinator;
        DistributedLock lock = c.lock(name("durations"));
        LeaderElection election = c.election(name("durations-election"), "a");
        Duration negative = Duration.ofMillis(-1);
        assertThatThrownBy(() -> lock.acquire(negative)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lock.tryAcquire(negative)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> election.campaign(negative)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockOptions.ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockOptions.ttl(negative)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.lease("x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.lease("x", negative)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeaseOptions.builder(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        Duration minimum = client.backend.minimumTtl();
        Duration belowMinimum = minimum.minusNanos(1);
        if (belowMinimum.isNegative() || belowMinimum.isZero()) {
            belowMinimum = null;
        }
        if (belowMinimum != null) {
            Duration below = belowMinimum;
            assertThatThrownBy(() -> c.lock("x", LockOptions.ttl(below)))
                    .as("TTL lock below the backend's minimum TTL %s", minimum)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.lease("x", below))
                    .as("lease below the backend's minimum TTL %s", minimum)
                    .isInstanceOf(IllegalArgumentException.class);
            CoordinationBackend raw = env.newBackend();
            try {
                CoordinatorBuilder builder = Coordinator.builder(raw)
                        .sessionTtl(below)
                        .safetyMargin(below.dividedBy(4).isZero() ? Duration.ofNanos(1) : below.dividedBy(4))
                        .timeSource(env.timeSource());
                assertThatThrownBy(builder::build)
                        .as("session TTL below the backend's minimum TTL %s", minimum)
                        .isInstanceOf(IllegalArgumentException.class);
            } finally {
                raw.close();
            }
        }
        Duration maximum = client.backend.maximumTtl();
        if (maximum.compareTo(Duration.ofDays(365 * 100)) < 0) {
            Duration above = maximum.plusSeconds(1);
            assertThatThrownBy(() -> c.lock("x", LockOptions.ttl(above)))
                    .as("TTL lock above the backend's maximum TTL %s", maximum)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.lease("x", above))
                    .as("lease above the backend's maximum TTL %s", maximum)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(env.keysOnServer()).as("keys after rejected durations").isEmpty();
        assertLiveLeases(1, "after rejected durations, with one coordinator open (its session's lease only)");
    }

    @Test
    void errors_every_method_after_close_throws_illegal_state() throws Exception {
        Client client = newClient("a");
        Coordinator c = client.coordinator;
        DistributedLock lock = c.lock(name("closed"));
        LeaderElection election = c.election(name("closed-election"), "a");
        c.close();
        assertThat(c.sessionState()).isEqualTo(SessionState.CLOSED);
        List<Callable<?>> calls = List.of(
                () -> c.lock("x"),
                () -> c.lock("x", LockOptions.defaults()),
                () -> c.lock("x", LockOptions.ttl(env.shortTtl())),
                () -> c.lease("x", env.shortTtl()),
                () -> c.lease("x", LeaseOptions.of(env.shortTtl())),
                () -> c.election("x", "a"),
                () -> c.singleton("x", "a", l -> {}),
                lock::acquire,
                () -> lock.acquire(Duration.ofSeconds(1)),
                lock::tryAcquire,
                () -> lock.tryAcquire(Duration.ofSeconds(1)),
                lock::acquireAsync,
                election::campaign,
                () -> election.campaign(Duration.ofSeconds(1)),
                election::campaignAsync,
                election::leader,
                () -> election.observe(leader -> {}),
                () -> c.leader("x"),
                () -> c.observe("x", leader -> {}));
        for (int i = 0; i < calls.size(); i++) {
            Callable<?> call = calls.get(i);
            assertThatThrownBy(call::call)
                    .as("call %d after the coordinator was closed", i)
                    .isInstanceOf(IllegalStateException.class);
        }
        c.close();
        assertNoKeysLeft("after close");
        assertLiveLeases(0, "after close");
    }

    @Test
    void errors_closing_twice_is_harmless() throws Exception {
        Coordinator c = newClient("a").coordinator;
        LockHandle handle = c.lock(name("twice")).acquire(awaitTimeout());
        handle.close();
        handle.close();
        LeaderElection election = c.election(name("twice-election"), "a");
        Leadership term = election.campaign(awaitTimeout());
        term.close();
        term.close();
        election.close();
        election.close();
        SingletonRunner runner = c.singleton(name("twice-singleton"), "a", l -> {});
        runner.close();
        runner.close();
        c.close();
        c.close();
        assertThat(c.sessionState()).isEqualTo(SessionState.CLOSED);
        assertNoKeysLeft("after close");
    }

    // ------------------------------------------------------------------------------------------------------------
    // SPI: checked directly on the backend, so that a broken primitive is caught at its root

    @Test
    void spi_create_if_absent_on_an_existing_key_returns_empty() throws Exception {
        CoordinationBackend backend = openBackend();
        long lease = backend.grantLease(spiTtl());
        String key = spiKey("exists");
        Entry created = backend.createIfAbsent(key, bytes("first"), lease)
                .orElseThrow(() -> new AssertionError("createIfAbsent of a new key"));
        assertThat(created.key()).isEqualTo(key);
        assertThat(created.value()).isEqualTo(bytes("first"));
        assertThat(created.leaseId()).isEqualTo(lease);
        assertThat(backend.createIfAbsent(key, bytes("second"), lease))
                .as("createIfAbsent of an existing key")
                .isEmpty();
        assertThat(openBackend().createIfAbsent(key, bytes("third"), lease))
                .as("createIfAbsent of an existing key through another client")
                .isEmpty();
        assertThat(backend.get(key)).as("the key after refused creations").contains(created);
        backend.revokeLease(lease);
        assertThat(backend.get(key)).as("the key after its lease was revoked").isEmpty();
        assertNoKeysLeft("after the lease was revoked");
    }

    @Test
    void spi_compare_and_set_with_a_stale_version_fails_and_changes_nothing() throws Exception {
        CoordinationBackend backend = openBackend();
        long lease = backend.grantLease(spiTtl());
        String key = spiKey("cas");
        Entry created = backend.createIfAbsent(key, bytes("v1"), lease).orElseThrow();
        Entry updated = backend.compareAndSet(key, created.version(), bytes("v2"), lease)
                .orElseThrow(() -> new AssertionError("compareAndSet with the current version"));
        assertThat(updated.version()).as("version after a write").isNotEqualTo(created.version());
        assertThat(updated.createSequence())
                .as("createSequence after compareAndSet")
                .isEqualTo(created.createSequence());
        assertThat(updated.value()).isEqualTo(bytes("v2"));
        assertThat(backend.compareAndSet(key, created.version(), bytes("stale"), lease))
                .as("compareAndSet with a stale version")
                .isEmpty();
        assertThat(backend.get(key)).as("the key after a stale compareAndSet").contains(updated);
        assertThat(backend.compareAndSet(spiKey("absent"), created.version(), bytes("x"), lease))
                .as("compareAndSet of an absent key")
                .isEmpty();
        assertThat(backend.get(spiKey("absent"))).isEmpty();
        backend.revokeLease(lease);
        assertNoKeysLeft("after the lease was revoked");
    }

    @Test
    void spi_compare_and_delete_with_a_stale_version_fails_and_changes_nothing() throws Exception {
        CoordinationBackend backend = openBackend();
        long lease = backend.grantLease(spiTtl());
        String key = spiKey("cad");
        Entry created = backend.createIfAbsent(key, bytes("v1"), lease).orElseThrow();
        Entry updated = backend.compareAndSet(key, created.version(), bytes("v2"), lease)
                .orElseThrow();
        assertThat(backend.compareAndDelete(key, created.version()))
                .as("compareAndDelete with a stale version")
                .isFalse();
        assertThat(backend.get(key))
                .as("the key after a stale compareAndDelete")
                .contains(updated);
        assertThat(backend.compareAndDelete(key, updated.version()))
                .as("compareAndDelete with the current version")
                .isTrue();
        assertThat(backend.get(key)).as("the key after compareAndDelete").isEmpty();
        assertThat(backend.list(spiPrefix()).entries())
                .as("listing after compareAndDelete")
                .isEmpty();
        assertThat(backend.compareAndDelete(key, updated.version()))
                .as("compareAndDelete of an absent key")
                .isFalse();
        Entry recreated = backend.createIfAbsent(key, bytes("v3"), lease).orElseThrow();
        assertThat(backend.compareAndDelete(key, updated.version()))
                .as("compareAndDelete of a re-created key with the old key's version")
                .isFalse();
        assertThat(backend.get(key)).contains(recreated);
        backend.revokeLease(lease);
        assertNoKeysLeft("after the lease was revoked");
    }

    @Test
    void spi_create_sequence_strictly_grows_and_is_never_reused() throws Exception {
        CoordinationBackend first = openBackend();
        CoordinationBackend second = openBackend();
        long lease = first.grantLease(spiTtl());
        long last = Long.MIN_VALUE;
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            CoordinationBackend backend = i % 2 == 0 ? first : second;
            String key = spiKey("seq-" + (i % 4));
            Optional<Entry> existing = backend.get(key);
            if (existing.isPresent()) {
                assertThat(backend.compareAndDelete(key, existing.get().version()))
                        .isTrue();
            }
            Entry created = backend.createIfAbsent(key, bytes("v" + i), lease).orElseThrow();
            sequences.add(created.createSequence());
            assertThat(created.createSequence())
                    .as("createSequence of creation %d after %s", i, sequences)
                    .isGreaterThan(last);
            last = created.createSequence();
        }
        first.revokeLease(lease);
        assertNoKeysLeft("after the lease was revoked");
    }

    @Test
    void spi_list_orders_by_create_sequence_and_isolates_prefixes() throws Exception {
        CoordinationBackend backend = openBackend();
        long lease = backend.grantLease(spiTtl());
        String prefix = spiPrefix() + "/queue";
        List<String> inside = List.of(prefix + "/z", prefix + "/y/x", prefix + "/a", prefix + "/m", prefix + "/b");
        List<String> outside = List.of(prefix + "x", prefix + "2/a", spiPrefix() + "/other/a");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < inside.size(); i++) {
            backend.createIfAbsent(inside.get(i), bytes("in" + i), lease).orElseThrow();
            created.add(inside.get(i));
            if (i < outside.size()) {
                backend.createIfAbsent(outside.get(i), bytes("out" + i), lease).orElseThrow();
            }
        }
        Listing listing = backend.list(prefix);
        List<String> listed = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (Entry entry : listing.entries()) {
            listed.add(entry.key());
            assertThat(entry.createSequence())
                    .as("createSequence order in %s", listing)
                    .isGreaterThan(last);
            last = entry.createSequence();
        }
        assertThat(listed)
                .as("keys listed under '%s', in creation order", prefix)
                .containsExactlyElementsOf(created);
        Entry removed = backend.get(inside.get(2)).orElseThrow();
        assertThat(backend.compareAndDelete(removed.key(), removed.version())).isTrue();
        Listing after = backend.list(prefix);
        assertThat(after.revision()).as("revision after a delete").isGreaterThan(listing.revision());
        List<String> remaining = new ArrayList<>(created);
        remaining.remove(inside.get(2));
        assertThat(after.entries()).extracting(Entry::key).containsExactlyElementsOf(remaining);
        backend.revokeLease(lease);
        assertNoKeysLeft("after the lease was revoked");
    }

    @Test
    void spi_lease_expiry_deletes_attached_keys_and_emits_a_delete_event() throws Exception {
        CoordinationBackend backend = openBackend();
        Duration ttl = env.shortTtl();
        long lease = backend.grantLease(ttl);
        String key = spiKey("expiring");
        backend.createIfAbsent(key, bytes("v"), lease).orElseThrow();
        long revision = backend.list(spiPrefix()).revision();
        EventLog events = new EventLog();
        Watch watch = backend.watch(key, false, revision, events);
        for (int i = 0; i < 8; i++) {
            passTime(ttl.dividedBy(4));
            backend.keepAlive(lease);
        }
        assertThat(backend.get(key))
                .as("key of a lease kept alive past its TTL")
                .isPresent();
        passTime(env.manualTime() ? ttl.minus(step()) : ttl.dividedBy(2));
        assertThat(backend.get(key))
                .as("key of a lease just before its TTL, without keep-alive")
                .isPresent();
        passTimeUntil(ttl.plus(livenessSlack()), () -> backend.get(key).isEmpty(), "the key of an expired lease");
        await("the DELETE event of the expired key")
                .until(() -> !events.events.isEmpty() || events.reset.get() != null);
        assertThat(events.reset.get()).as("watch reset").isNull();
        assertThat(events.events)
                .extracting(WatchEvent::type, WatchEvent::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(WatchEvent.Type.DELETE, key));
        assertThatThrownBy(() -> backend.keepAlive(lease)).isInstanceOf(NoSuchLeaseException.class);
        watch.close();
        assertNoKeysLeft("after the lease expired");
    }

    @Test
    void spi_unknown_lease_is_rejected() throws Exception {
        CoordinationBackend backend = openBackend();
        long lease = backend.grantLease(spiTtl());
        backend.revokeLease(lease);
        assertThatThrownBy(() -> backend.keepAlive(lease)).isInstanceOf(NoSuchLeaseException.class);
        assertThatThrownBy(() -> backend.createIfAbsent(spiKey("orphan"), bytes("v"), lease))
                .isInstanceOf(NoSuchLeaseException.class);
        backend.revokeLease(lease);
        assertNoKeysLeft("after using a revoked lease");
    }

    @Test
    void spi_watch_delivers_changes_in_revision_order_from_after_revision() throws Exception {
        CoordinationBackend backend = openBackend();
        long lease = backend.grantLease(spiTtl());
        String prefix = spiPrefix() + "/watched";
        long start = backend.list(prefix).revision();
        EventLog live = new EventLog();
        Watch liveWatch = backend.watch(prefix, true, start, live);
        EventLog single = new EventLog();
        Watch singleWatch = backend.watch(prefix + "/k1", false, start, single);

        Entry k1 = backend.createIfAbsent(prefix + "/k1", bytes("1"), lease).orElseThrow();
        backend.createIfAbsent(prefix + "x", bytes("outside"), lease).orElseThrow();
        Entry k2 = backend.createIfAbsent(prefix + "/k2", bytes("2"), lease).orElseThrow();
        Entry k1b = backend.compareAndSet(k1.key(), k1.version(), bytes("1b"), lease)
                .orElseThrow();
        assertThat(backend.compareAndDelete(k2.key(), k2.version())).isTrue();
        Entry k3 = backend.createIfAbsent(prefix + "/sub/k3", bytes("3"), lease).orElseThrow();
        List<String> expected = List.of(
                "PUT " + k1.key(), "PUT " + k2.key(), "PUT " + k1b.key(), "DELETE " + k2.key(), "PUT " + k3.key());

        await("the five changes under the prefix").until(() -> live.events.size() >= 5 || live.reset.get() != null);
        assertThat(live.reset.get()).as("reset of a live watch").isNull();
        assertThat(live.describe()).as("events of a prefix watch, in order").containsExactlyElementsOf(expected);
        assertThat(live.revisionsIncrease(start))
                .as("revisions of %s after %d", live.events, start)
                .isTrue();
        assertThat(live.events.get(2).entry())
                .as("entry of the compareAndSet event")
                .contains(k1b);
        await("the two changes of k1").until(() -> single.events.size() >= 2 || single.reset.get() != null);
        assertThat(single.describe())
                .as("events of a key watch")
                .containsExactly("PUT " + k1.key(), "PUT " + k1b.key());

        // A watch opened after the changes, from the same revision, replays them in order (or says it cannot).
        EventLog replay = new EventLog();
        Watch replayWatch = backend.watch(prefix, true, start, replay);
        await("the replayed changes").until(() -> replay.events.size() >= 5 || replay.reset.get() != null);
        if (replay.reset.get() == null) {
            assertThat(replay.describe()).as("replayed events").containsExactlyElementsOf(expected);
            assertThat(replay.revisionsIncrease(start)).isTrue();
        } else {
            assertThat(replay.events).as("events delivered before a reset").isEmpty();
        }
        long middle = live.events.get(2).revision();
        EventLog tail = new EventLog();
        Watch tailWatch = backend.watch(prefix, true, middle, tail);
        await("the changes after revision " + middle).until(() -> tail.events.size() >= 2 || tail.reset.get() != null);
        if (tail.reset.get() == null) {
            assertThat(tail.describe())
                    .as("events after revision %d", middle)
                    .containsExactlyElementsOf(expected.subList(3, 5));
        }
        for (Watch watch : List.of(liveWatch, singleWatch, replayWatch, tailWatch)) {
            watch.close();
        }
        backend.revokeLease(lease);
        assertNoKeysLeft("after the lease was revoked");
        assertThat(live.events).as("events after the watch was closed").hasSize(5);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Scenarios shared by several tests

    /** What happened when a lock holder was cut off while another coordinator waited. */
    private static final class HandoverTrial {
        long heldToken;
        long nextToken;
        Stamp heldAt;
        Stamp cut;
        Stamp lost;
        LossReason lostReason;
        boolean heldValidAfter;
        Stamp acquired;
        List<SessionState> states;
        Boolean validWhenSuspended;
    }

    private HandoverTrial cutOffMutexHolder(int trial) throws Exception {
        Client holder = newClient("holder-" + trial);
        Client waiter = newClient("waiter-" + trial);
        String name = name("cut-off");
        HandoverTrial t = new HandoverTrial();
        List<SessionState> states = new CopyOnWriteArrayList<>();
        AtomicReference<Boolean> validWhenSuspended = new AtomicReference<>();
        AtomicReference<Stamp> lost = new AtomicReference<>();
        AtomicReference<LossReason> reason = new AtomicReference<>();
        AtomicReference<Stamp> acquired = new AtomicReference<>();
        LockHandle held = holder.coordinator.lock(name).acquire(awaitTimeout());
        t.heldAt = stamp();
        holder.coordinator.onSessionStateChange((previous, current) -> {
            if (current == SessionState.SUSPENDED) {
                validWhenSuspended.compareAndSet(null, held.isValid());
            }
            states.add(current);
        });
        held.onLost((h, why) -> {
            if (lost.compareAndSet(null, stamp())) {
                reason.set(why);
            }
        });
        CompletableFuture<LockHandle> next = waiter.coordinator.lock(name).acquireAsync();
        next.whenComplete((h, e) -> {
            if (e == null) {
                acquired.compareAndSet(null, stamp());
            }
        });
        awaitKeyCount(2, "the waiter's entry queued behind the holder's");
        t.cut = stamp();
        holder.backend.partition();
        passTimeUntil(
                env.sessionTtl().plus(livenessSlack()),
                () -> acquired.get() != null || next.isCompletedExceptionally(),
                "the waiter to acquire after the holder was cut off");
        LockHandle nextHandle = next.join();
        t.heldToken = held.fencingToken();
        t.nextToken = nextHandle.fencingToken();
        t.lost = lost.get();
        t.lostReason = reason.get();
        t.heldValidAfter = held.isValid();
        t.acquired = acquired.get();
        t.states = List.copyOf(states);
        t.validWhenSuspended = validWhenSuspended.get();
        nextHandle.close();
        return t;
    }

    /** What happened when a singleton runner was cut off while another runner campaigned. */
    private static final class SingletonTrial {
        final AtomicReference<LossReason> firstRevokedReason = new AtomicReference<>();
        SingletonProbe probe;
        String firstId;
        String secondId;
        SingletonRunner second;
        Stamp cut;
        Stamp firstInterrupted;
        Stamp secondStarted;
    }

    private SingletonTrial cutOffSingletonRunner(int trial) throws Exception {
        SingletonTrial t = new SingletonTrial();
        t.probe = new SingletonProbe();
        t.firstId = "first-" + trial;
        t.secondId = "second-" + trial;
        String name = name("singleton-cut-off");
        Client firstClient = newClient(t.firstId);
        Client secondClient = newClient(t.secondId);
        SingletonRunner first = firstClient.coordinator.singleton(name, t.firstId, t.probe.task(t.firstId));
        first.listen(new ElectionListener() {
            @Override
            public void onElected(Leadership leadership) {}

            @Override
            public void onRevoked(Leadership leadership, LossReason reason) {
                t.firstRevokedReason.compareAndSet(null, reason);
            }
        });
        await("the first runner's task to start").until(() -> t.probe.started.containsKey(t.firstId));
        t.second = secondClient.coordinator.singleton(name, t.secondId, t.probe.task(t.secondId));
        awaitKeyCount(2, "the second runner's campaign queued");
        t.cut = stamp();
        firstClient.backend.partition();
        passTimeUntil(
                env.sessionTtl().plus(livenessSlack()),
                () -> t.probe.started.containsKey(t.secondId),
                () -> {
                    // With manual time, let the task threads react before time moves on, so that the instants they
                    // record are the instants at which they were interrupted or started.
                    Leadership firstTerm = t.probe.terms.get(t.firstId);
                    if (firstTerm != null && !firstTerm.isValid()) {
                        await("the first task to be interrupted once its term turned invalid")
                                .until(() -> t.probe.interrupted.containsKey(t.firstId));
                    }
                    if (t.second.currentTerm().isPresent()) {
                        await("the second task to start once its runner leads")
                                .until(() -> t.probe.started.containsKey(t.secondId));
                    }
                },
                "the second runner's task to start after the first was cut off");
        t.firstInterrupted = t.probe.interrupted.get(t.firstId);
        t.secondStarted = t.probe.started.get(t.secondId);
        assertThat(t.firstInterrupted)
                .as("trial %d: the cut-off runner's task was interrupted before the other task started", trial)
                .isNotNull();
        return t;
    }

    /** Counts tasks that run at once and records when each started, was interrupted and returned. */
    private final class SingletonProbe {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final AtomicInteger starts = new AtomicInteger();
        final Map<String, Stamp> started = new ConcurrentHashMap<>();
        final Map<String, Stamp> interrupted = new ConcurrentHashMap<>();
        final Map<String, Stamp> finished = new ConcurrentHashMap<>();
        final Map<String, Leadership> terms = new ConcurrentHashMap<>();

        SingletonTask task(String id) {
            return leadership -> {
                Stamp start = stamp();
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                terms.putIfAbsent(id, leadership);
                started.putIfAbsent(id, start);
                starts.incrementAndGet();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.putIfAbsent(id, stamp());
                } finally {
                    running.decrementAndGet();
                    finished.putIfAbsent(id, stamp());
                }
            };
        }
    }

    private List<CompletableFuture<LockHandle>> queueWaiters(String name, int count, List<Integer> order) {
        List<CompletableFuture<LockHandle>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            CompletableFuture<LockHandle> future =
                    newClient("waiter-" + i).coordinator.lock(name).acquireAsync();
            future.whenComplete((h, e) -> {
                if (e == null) {
                    order.add(index);
                }
            });
            futures.add(future);
            // Start the next waiter only once this one's entry is on the server, so the queue order is known.
            awaitKeyCount(i + 2, "waiter " + i + " queued");
        }
        return futures;
    }

    private LockHandle awaitNextInLine(List<CompletableFuture<LockHandle>> futures, int next) throws Exception {
        List<CompletableFuture<LockHandle>> remaining = futures.subList(next, futures.size());
        await("a waiter to acquire after the release")
                .until(() -> remaining.stream().anyMatch(CompletableFuture::isDone));
        List<Integer> done = new ArrayList<>();
        for (int i = next; i < futures.size(); i++) {
            if (futures.get(i).isDone()) {
                done.add(i);
            }
        }
        assertThat(done)
                .as("waiters done after the release that should wake waiter %d only", next)
                .containsExactly(next);
        return futures.get(next).get();
    }

    private long readCalls() {
        long sum = 0;
        for (Client client : clients) {
            sum += client.backend.calls(FaultInjectingBackend.Call.LIST, FaultInjectingBackend.Call.GET);
        }
        return sum;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Plumbing

    /** A coordinator built by the kit and the fault injector under it. */
    private final class Client implements AutoCloseable {
        final String label;
        final Coordinator coordinator;
        final FaultInjectingBackend backend;

        Client(String label, Coordinator coordinator, FaultInjectingBackend backend) {
            this.label = label;
            this.coordinator = coordinator;
            this.backend = backend;
        }

        @Override
        public void close() {
            coordinator.close();
        }
    }

    private Client newClient(String label) {
        return newClient(label, env.manualTime() ? Runnable::run : null);
    }

    /**
     * A client whose blocking backend calls run on {@code blocking} (null: the coordinator's own pool). Callbacks run
     * inline with manual time, so that they happen at the instant the clock says.
     */
    private Client newClient(String label, Executor blocking) {
        FaultInjectingBackend backend = new FaultInjectingBackend(env.newBackend());
        CoordinatorBuilder builder = Coordinator.builder(backend)
                .sessionTtl(env.sessionTtl())
                .timeSource(env.timeSource())
                .closeBackendOnClose(true);
        if (blocking != null) {
            builder.blockingExecutor(blocking);
        }
        if (env.manualTime()) {
            builder.callbackExecutor(Runnable::run);
        }
        Coordinator coordinator;
        try {
            coordinator = builder.build();
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
        Client client = new Client(label, coordinator, backend);
        clients.add(client);
        return client;
    }

    private CoordinationBackend openBackend() {
        CoordinationBackend backend = env.newBackend();
        rawBackends.add(backend);
        return backend;
    }

    /** A point in a test: its place in the order of events, and the time source's time. */
    private static final class Stamp {
        final long seq;
        final long nanos;

        Stamp(long seq, long nanos) {
            this.seq = seq;
            this.nanos = nanos;
        }

        @Override
        public String toString() {
            return "#" + seq + "@" + nanos;
        }
    }

    private Stamp stamp() {
        long seq = SEQUENCE.incrementAndGet();
        return new Stamp(seq, env.timeSource().nanoTime());
    }

    /** A thread started by a test, and what it returned or threw. */
    private static final class Worker<T> {
        final Thread thread;
        final CompletableFuture<T> result;

        Worker(Thread thread, CompletableFuture<T> result) {
            this.thread = thread;
            this.result = result;
        }

        T get(Duration timeout) throws Exception {
            try {
                return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                throw (Error) cause;
            } catch (TimeoutException e) {
                AssertionError stuck = new AssertionError(thread.getName() + " did not finish within " + timeout);
                stuck.setStackTrace(thread.getStackTrace());
                throw stuck;
            }
        }

        Throwable failure() {
            return failureOf(result);
        }
    }

    private <T> Worker<T> startWorker(String name, Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        result.complete(body.call());
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                },
                "tck-" + name);
        thread.setDaemon(true);
        workers.add(thread);
        thread.start();
        return new Worker<>(thread, result);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        if (!future.isDone()) {
            throw new AssertionError("still running: " + future);
        }
        try {
            future.join();
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    private <T> T awaitDone(CompletableFuture<T> future, String what) throws Exception {
        await(what).until(future::isDone);
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed", e.getCause());
        }
    }

    private ConditionFactory await(String what) {
        return Awaitility.await(what)
                .atMost(awaitTimeout())
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .pollInSameThread();
    }

    /** A condition of a test that may throw. */
    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    /** A step of a test that may throw. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private Duration step() {
        Duration shorter = env.sessionTtl().compareTo(env.shortTtl()) < 0 ? env.sessionTtl() : env.shortTtl();
        return shorter.dividedBy(20);
    }

    /** Lets time pass: in steps with manual time (so that renewals run in between), in one sleep otherwise. */
    private void passTime(Duration duration) throws InterruptedException {
        if (!env.manualTime()) {
            env.advance(duration);
            return;
        }
        Duration left = duration;
        while (left.compareTo(Duration.ZERO) > 0) {
            Duration next = left.compareTo(step()) < 0 ? left : step();
            env.advance(next);
            left = left.minus(next);
        }
    }

    private void passTimeUntil(Duration max, Condition condition, String what) throws Exception {
        passTimeUntil(max, condition, () -> {}, what);
    }

    /**
     * Waits for a condition while time passes: with manual time, advances in steps (running {@code afterStep} after
     * each) until it holds or {@code max} has passed; with real time, waits up to {@code max} plus the await timeout.
     */
    private void passTimeUntil(Duration max, Condition condition, Step afterStep, String what) throws Exception {
        if (!env.manualTime()) {
            await(what).atMost(max.plus(awaitTimeout())).until(condition::holds);
            return;
        }
        long start = env.timeSource().nanoTime();
        while (!condition.holds()) {
            if (env.timeSource().nanoTime() - start > max.toNanos()) {
                // Threads of the test (not the clock) may still be catching up: give them real time to.
                try {
                    await(what).until(condition::holds);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    fail(what + ": did not happen within " + max + " of manual time", e);
                }
                return;
            }
            env.advance(step());
            afterStep.run();
        }
    }

    private LockHandle acquireEventually(Acquirable<?> lock, Duration max, String what) throws Exception {
        AtomicReference<LockHandle> acquired = new AtomicReference<>();
        passTimeUntil(
                max,
                () -> {
                    if (acquired.get() == null) {
                        lock.tryAcquire().ifPresent(acquired::set);
                    }
                    return acquired.get() != null;
                },
                what);
        return acquired.get();
    }

    private void awaitKeyCount(int expected, String what) {
        await(what).untilAsserted(() -> assertThat(env.keysOnServer())
                .as("keys on the server: " + what)
                .hasSize(expected));
    }

    /** Expects the server to hold {@code expected} keys, letting background cleanup run (and time pass) first. */
    private void assertKeyCount(int expected, String when) throws Exception {
        AtomicReference<List<String>> last = new AtomicReference<>();
        try {
            passTimeUntil(
                    env.sessionTtl().dividedBy(2),
                    () -> {
                        last.set(env.keysOnServer());
                        return last.get().size() == expected;
                    },
                    "keys on the server " + when);
        } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "expected " + expected + " keys on the server " + when + ", found " + last.get(), e);
        }
    }

    private void assertNoKeysLeft(String when) throws Exception {
        assertKeyCount(0, when);
    }

    private void assertLiveLeases(int expected, String when) throws Exception {
        if (env.liveLeases().isEmpty()) {
            return;
        }
        AtomicReference<OptionalInt> last = new AtomicReference<>();
        try {
            passTimeUntil(
                    env.sessionTtl().dividedBy(2),
                    () -> {
                        last.set(env.liveLeases());
                        return last.get().getAsInt() == expected;
                    },
                    "live leases " + when);
        } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "expected " + expected + " live leases " + when + ", found " + last.get() + env.liveLeaseDetails(),
                    e);
        }
    }

    private String name(String what) {
        return "tck-" + what + "-" + names.incrementAndGet();
    }

    private String spiPrefix() {
        return "tck-spi";
    }

    private String spiKey(String what) {
        return spiPrefix() + "/" + what;
    }

    private Duration spiTtl() {
        CoordinationBackend probe = openBackend();
        Duration ttl = Duration.ofMinutes(1);
        if (ttl.compareTo(probe.maximumTtl()) > 0) {
            ttl = probe.maximumTtl();
        }
        if (ttl.compareTo(probe.minimumTtl()) < 0) {
            ttl = probe.minimumTtl();
        }
        return ttl;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String escape(String name) {
        StringBuilder out = new StringBuilder();
        for (char ch : name.toCharArray()) {
            if (ch < 0x20 || ch == 0x7f || Character.isSurrogate(ch)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private void report(String what, String format, Object... args) {
        System.out.println("[baton-tck] " + getClass().getSimpleName() + " " + what + ": "
                + String.format(Locale.ROOT, format, args));
    }

    /** Collects the events of a watch. */
    private static final class EventLog implements WatchListener {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final AtomicReference<String> reset = new AtomicReference<>();

        @Override
        public void onEvent(WatchEvent event) {
            events.add(event);
        }

        @Override
        public void onReset(String why) {
            reset.compareAndSet(null, why);
        }

        List<String> describe() {
            List<String> out = new ArrayList<>();
            for (WatchEvent event : events) {
                out.add(event.type() + " " + event.key());
            }
            return out;
        }

        boolean revisionsIncrease(long after) {
            long last = after;
            for (WatchEvent event : events) {
                if (event.revision() <= last) {
                    return false;
                }
                last = event.revision();
            }
            return true;
        }
    }
}
