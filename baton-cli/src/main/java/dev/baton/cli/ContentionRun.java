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
package dev.baton.cli;

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LockException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.tck.HistoryRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workload of {@code baton check}: one worker thread per coordinator takes one lock in turn, holds it briefly and
 * releases it, each acquisition recorded by the kit's {@link HistoryRecorder}. The worker of the coordinator to be cut
 * off, once told to, keeps its next hold until it is told of its loss, so that the cut falls while it holds.
 *
 * <p>Threadsafe: the workers run on threads of their own; {@link #awaitCutOffHolding} and {@link #stop} are called by
 * the one thread that drives the run.
 */
final class ContentionRun {
    private final HistoryRecorder recorder;
    private final String lockName;
    private final Duration hold;
    private final List<Thread> workers = new ArrayList<>();
    private final CompletableFuture<Long> cutOffHolding = new CompletableFuture<>();
    private final CountDownLatch cutOffLost = new CountDownLatch(1);
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean holdOnNext;
    private volatile String cutOffClient;
    private volatile String lastFailure = "";

    ContentionRun(HistoryRecorder recorder, String lockName, Duration hold) {
        this.recorder = recorder;
        this.lockName = lockName;
        this.hold = hold;
    }

    /** Starts a worker on {@code coordinator}; {@code cutOff} marks the one to be cut off. */
    void start(String client, Coordinator coordinator, boolean cutOff) {
        if (cutOff) {
            cutOffClient = client;
        }
        Thread worker = new Thread(() -> work(client, coordinator, cutOff), "baton-check-" + client);
        worker.setDaemon(true);
        workers.add(worker);
        worker.start();
    }

    /**
     * Asks the cut-off worker to keep its next hold, and waits until it holds.
     *
     * @return the fencing token it holds, or -1 if it did not acquire within {@code limit}
     */
    long awaitCutOffHolding(Duration limit) throws InterruptedException {
        holdOnNext = true;
        try {
            return cutOffHolding.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return -1;
        }
    }

    /** Waits at most {@code limit} until the cut-off worker is told of its loss. */
    boolean awaitCutOffLoss(Duration limit) throws InterruptedException {
        return cutOffLost.await(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    String cutOffClient() {
        return cutOffClient;
    }

    /** Failed acquisitions (server errors), which the workers retried. */
    int failures() {
        return failures.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    /** Stops every worker and waits for them (each releases what it holds first). */
    void stop() throws InterruptedException {
        for (Thread worker : workers) {
            worker.interrupt();
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private void work(String client, Coordinator coordinator, boolean cutOff) {
        DistributedLock lock = coordinator.lock(lockName);
        while (!Thread.currentThread().isInterrupted()) {
            LockHandle handle;
            try {
                handle = lock.acquire();
            } catch (InterruptedException e) {
                return;
            } catch (LockException | IllegalStateException e) {
                failures.incrementAndGet();
                lastFailure = client + ": " + e;
                if (!pause(e instanceof BackendUnavailableException ? 100 : 10)) {
                    return;
                }
                continue;
            }
            HistoryRecorder.Hold record = recorder.acquired(client, lockName, handle.fencingToken());
            CountDownLatch lost = new CountDownLatch(1);
            handle.onLost((h, reason) -> {
                record.lost();
                lost.countDown();
            });
            try {
                if (cutOff && holdOnNext) {
                    cutOffHolding.complete(handle.fencingToken());
                    lost.await();
                    cutOffLost.countDown();
                    return; // cut off for good: nothing more to record from here
                }
                if (!pause(hold.toMillis())) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                record.releasing();
                handle.close();
            }
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
