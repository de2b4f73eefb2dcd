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

import dev.baton.lock.ElectionListener;
import dev.baton.lock.Leadership;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LossReason;
import dev.baton.lock.SessionState;
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.SingletonTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fault scenarios that several rule suites check from different sides: a mutex holder or a singleton runner cut off
 * from the server while another coordinator waits ({@link EarlyLossRules}, {@link SingletonRules}), and the probe
 * that watches singleton tasks ({@link NoLeakRules} too).
 */
final class Scenarios {
    /** How many times the early-loss tests repeat their cut. */
    static final int EARLY_LOSS_TRIALS = 3;

    private Scenarios() {}

    /** The body of one worker of {@link #contend}. */
    @FunctionalInterface
    interface ContentionWorker {
        /**
         * Makes the worker's acquisitions.
         *
         * @return how many it made
         */
        int run(TckClient client, String label, int worker) throws Exception;
    }

    /** What a {@link #contend} run did. */
    record Contention(int acquisitions, long elapsedMillis) {}

    /**
     * Runs {@code threadsPerCoordinator} workers on each of {@code coordinators} new clients, released together so that
     * they contend, and waits for all of them (a deadlock fails the test by its time limit).
     */
    static Contention contend(TckHarness tck, int coordinators, int threadsPerCoordinator, ContentionWorker body)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<TckWorker<Integer>> workers = new ArrayList<>();
        for (int c = 0; c < coordinators; c++) {
            TckClient client = tck.newClient("c" + c);
            for (int t = 0; t < threadsPerCoordinator; t++) {
                String label = client.label() + "-t" + t;
                int worker = c * threadsPerCoordinator + t;
                workers.add(tck.startWorker(label, () -> {
                    start.await();
                    return body.run(client, label, worker);
                }));
            }
        }
        long started = System.nanoTime();
        start.countDown();
        int total = 0;
        for (TckWorker<Integer> worker : workers) {
            total += worker.get(TckTimeouts.scaled(Duration.ofSeconds(150)));
        }
        return new Contention(total, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** What happened when a lock holder was cut off while another coordinator waited. */
    static final class HandoverTrial {
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

    /**
     * Cuts a mutex holder off from the server while another coordinator waits for the lock, and lets time pass until
     * the waiter acquires.
     */
    static HandoverTrial cutOffMutexHolder(TckHarness tck, int trial) throws Exception {
        TckClient holder = tck.newClient("holder-" + trial);
        TckClient waiter = tck.newClient("waiter-" + trial);
        String name = tck.name("cut-off");
        HandoverTrial t = new HandoverTrial();
        List<SessionState> states = new CopyOnWriteArrayList<>();
        AtomicReference<Boolean> validWhenSuspended = new AtomicReference<>();
        AtomicReference<Stamp> lost = new AtomicReference<>();
        AtomicReference<LossReason> reason = new AtomicReference<>();
        AtomicReference<Stamp> acquired = new AtomicReference<>();
        LockHandle held = holder.coordinator().lock(name).acquire(tck.awaitTimeout());
        t.heldAt = tck.stamp();
        holder.coordinator().onSessionStateChange((previous, current) -> {
            if (current == SessionState.SUSPENDED) {
                validWhenSuspended.compareAndSet(null, held.isValid());
            }
            states.add(current);
        });
        held.onLost((h, why) -> {
            if (lost.compareAndSet(null, tck.stamp())) {
                reason.set(why);
            }
        });
        CompletableFuture<LockHandle> next =
                tck.stampOnSuccess(waiter.coordinator().lock(name).acquireAsync(), acquired);
        tck.awaitKeyCount(2, "the waiter's entry queued behind the holder's");
        t.cut = tck.stamp();
        holder.backend().partition();
        tck.passTimeUntil(
                tck.env().sessionTtl().plus(tck.livenessSlack()),
                next::isDone,
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
    static final class SingletonTrial {
        final AtomicReference<LossReason> firstRevokedReason = new AtomicReference<>();
        SingletonProbe probe;
        String firstId;
        String secondId;
        SingletonRunner first;
        SingletonRunner second;
        Stamp cut;
        Stamp firstInterrupted;
        Stamp secondStarted;
    }

    /**
     * Cuts a singleton runner off from the server while another runner campaigns, and lets time pass until the other
     * runner's task starts.
     */
    static SingletonTrial cutOffSingletonRunner(TckHarness tck, int trial) throws Exception {
        SingletonTrial t = new SingletonTrial();
        t.probe = new SingletonProbe(tck);
        t.firstId = "first-" + trial;
        t.secondId = "second-" + trial;
        String name = tck.name("singleton-cut-off");
        TckClient firstClient = tck.newClient(t.firstId);
        TckClient secondClient = tck.newClient(t.secondId);
        SingletonRunner first = firstClient.coordinator().singleton(name, t.firstId, t.probe.task(t.firstId));
        t.first = first;
        first.listen(new ElectionListener() {
            @Override
            public void onElected(Leadership leadership) {}

            @Override
            public void onRevoked(Leadership leadership, LossReason reason) {
                t.firstRevokedReason.compareAndSet(null, reason);
            }
        });
        tck.await("the first runner's task to start").until(() -> t.probe.started.containsKey(t.firstId));
        t.second = secondClient.coordinator().singleton(name, t.secondId, t.probe.task(t.secondId));
        tck.awaitKeyCount(2, "the second runner's campaign queued");
        t.cut = tck.stamp();
        firstClient.backend().partition();
        tck.passTimeUntil(
                tck.env().sessionTtl().plus(tck.livenessSlack()),
                () -> t.probe.started.containsKey(t.secondId),
                () -> {
                    // With manual time, let the task threads react before time moves on, so that the instants they
                    // record are the instants at which they were interrupted or started.
                    Leadership firstTerm = t.probe.terms.get(t.firstId);
                    if (firstTerm != null && !firstTerm.isValid()) {
                        tck.await("the first task to be interrupted once its term turned invalid")
                                .until(() -> t.probe.interrupted.containsKey(t.firstId));
                    }
                    if (t.second.currentTerm().isPresent()) {
                        tck.await("the second task to start once its runner leads")
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
    static final class SingletonProbe {
        private final TckHarness tck;
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final AtomicInteger starts = new AtomicInteger();
        final Map<String, Stamp> started = new ConcurrentHashMap<>();
        final Map<String, Stamp> interrupted = new ConcurrentHashMap<>();
        final Map<String, Stamp> finished = new ConcurrentHashMap<>();
        final Map<String, Leadership> terms = new ConcurrentHashMap<>();

        SingletonProbe(TckHarness tck) {
            this.tck = tck;
        }

        SingletonTask task(String id) {
            return leadership -> {
                Stamp start = tck.stamp();
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                terms.putIfAbsent(id, leadership);
                started.putIfAbsent(id, start);
                starts.incrementAndGet();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.putIfAbsent(id, tck.stamp());
                } finally {
                    running.decrementAndGet();
                    finished.putIfAbsent(id, tck.stamp());
                }
            };
        }
    }
}
