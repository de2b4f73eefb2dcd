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
package dev.baton.benchmarks;

import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Scenario e: one coordinator holds {@code count} mutexes (taken by 16 threads before measuring), then sits idle. Each
 * invocation is an idle window; the figures are in the {@link Sidecar}: heap retained per held mutex (used heap after
 * full GCs, before and after acquiring, in the benchmark JVM) and the requests per second the coordinator spends keeping
 * its mutexes alive, keep-alives and everything else apart. Both must not grow with the count: a mutex rides on the
 * session's one lease.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
public class HeldMutexesBenchmark {
    /** Baton's backend. */
    @Param({"inmemory", "etcd", "zookeeper"})
    public String backend;

    /** Mutexes held. */
    @Param({"10000", "100000"})
    public int count;

    /** The coordinator's session TTL in milliseconds; it renews every third of it. */
    @Param({"3000"})
    public long ttlMillis;

    /** The length of one idle window in milliseconds. */
    @Param({"3000"})
    public long windowMillis;

    private BatonBackends backends;
    private CountingBackend counted;
    private Coordinator coordinator;
    private final List<LockHandle> held = new ArrayList<>();
    private long heapPerMutex;
    private double acquireSeconds;
    private long keepAlivesAtStart;
    private long requestsAtStart;
    private long iterationStart;
    private long measuredKeepAlives;
    private long measuredRequests;
    private long measuredNanos;
    private boolean measuring;

    /**
     * Takes the mutexes and measures the heap they retain.
     *
     * @throws Exception if an acquisition failed
     */
    @Setup(Level.Trial)
    public void acquireAll() throws Exception {
        long before = usedHeapAfterGc();
        Duration ttl = Duration.ofMillis(ttlMillis);
        backends = new BatonBackends(backend, "bench-" + UUID.randomUUID(), ttl);
        counted = backends.open();
        coordinator = Coordinator.builder(counted)
                .sessionTtl(ttl)
                .closeBackendOnClose(true)
                .build();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<List<LockHandle>>> parts = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                parts.add(pool.submit(() -> {
                    List<LockHandle> mine = new ArrayList<>();
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        mine.add(coordinator.lock("mutex-" + i).acquire());
                    }
                    return mine;
                }));
            }
            for (Future<List<LockHandle>> part : parts) {
                held.addAll(part.get());
            }
        } finally {
            pool.shutdown();
        }
        acquireSeconds = (System.nanoTime() - start) / 1e9;
        heapPerMutex = (usedHeapAfterGc() - before) / count;
    }

    /**
     * Starts counting, in measurement iterations only.
     *
     * @param params JMH's iteration parameters
     */
    @Setup(Level.Iteration)
    public void startWindow(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
        keepAlivesAtStart = counted.keepAlives();
        requestsAtStart = counted.requests();
        iterationStart = System.nanoTime();
    }

    /** Adds the window's counts when it was a measurement. */
    @TearDown(Level.Iteration)
    public void endWindow() {
        if (measuring) {
            measuredKeepAlives += counted.keepAlives() - keepAlivesAtStart;
            measuredRequests += counted.requests() - requestsAtStart;
            measuredNanos += System.nanoTime() - iterationStart;
        }
    }

    /**
     * Sits idle for one window while the coordinator keeps the mutexes alive.
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    public void idleWindow() throws InterruptedException {
        Thread.sleep(windowMillis);
    }

    /** Closes the coordinator (timed: it releases every mutex) and writes the figures. */
    @TearDown(Level.Trial)
    public void close() {
        double seconds = measuredNanos / 1e9;
        long valid = held.stream().filter(LockHandle::isValid).count();
        held.clear();
        long closing = System.nanoTime();
        String closeError = "none";
        try {
            coordinator.close();
        } catch (RuntimeException e) {
            // Reported in the summary rather than failing the run: the figures above were measured before it.
            closeError = e.toString().replaceAll("\\s+", " ");
        }
        double closeSeconds = (System.nanoTime() - closing) / 1e9;
        backends.close();
        Map<String, Object> figures = new java.util.TreeMap<>();
        figures.put("heapBytesPerMutex", heapPerMutex);
        figures.put("acquireSeconds", acquireSeconds);
        figures.put("keepAlivesPerSecond", seconds > 0 ? measuredKeepAlives / seconds : Double.NaN);
        figures.put("otherRequestsPerSecond", seconds > 0 ? measuredRequests / seconds : Double.NaN);
        figures.put("validAtEnd", valid);
        figures.put("closeSeconds", closeSeconds);
        figures.put("closeError", closeError);
        Sidecar.write(Sidecar.name("held", backend, count), figures);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
