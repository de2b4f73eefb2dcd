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

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Scenario b: N contenders (JMH threads, set per run: 1, 4, 16, 64) spread over two clients fight for one lock, each
 * taking it and at once handing it on. The score is hand-offs per second. Beside it, in a {@link Sidecar}: the hand-off
 * latency (from the holder's release call to the next holder's acquire returning; p50, p99) and, for Baton, the
 * requests sent through the SPI per hand-off, which must not grow with N (no herd).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ContentionBenchmark extends TwoClientSubjects {
    private LockSubject locks;
    private int contenders;
    private volatile long releasedAt;
    private volatile boolean measuring;
    private final Samples handOffs = new Samples(1 << 20);
    private final LongAdder acquisitions = new LongAdder();
    private final java.util.concurrent.atomic.AtomicInteger holders = new java.util.concurrent.atomic.AtomicInteger();
    private final LongAdder overlaps = new LongAdder();
    private long requestsAtStart;
    private long keepAlivesAtStart;
    private long measuredRequests;
    private long measuredKeepAlives;
    private long measuredAcquisitions;

    /**
     * Opens the subject with two clients.
     *
     * @param params JMH's parameters, for the thread count
     */
    @Setup(Level.Trial)
    public void open(BenchmarkParams params) {
        contenders = params.getThreads();
        locks = openSubject();
    }

    /**
     * Starts counting, in measurement iterations only.
     *
     * @param params JMH's iteration parameters
     */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) {
        requestsAtStart = locks.requests();
        keepAlivesAtStart = locks.keepAlives();
        acquisitions.reset();
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    /** Adds the iteration's counts when it was a measurement. */
    @TearDown(Level.Iteration)
    public void endIteration() {
        if (measuring) {
            measuredRequests += locks.requests() - requestsAtStart;
            measuredKeepAlives += locks.keepAlives() - keepAlivesAtStart;
            measuredAcquisitions += acquisitions.sum();
        }
        measuring = false;
    }

    /** Writes the sidecar figures and closes the subject. */
    @TearDown(Level.Trial)
    public void close() {
        boolean baton = locks.requests() >= 0 && measuredAcquisitions > 0;
        Sidecar.write(
                Sidecar.name("contention", subject, contenders),
                Map.of(
                        "handOffP50Micros",
                        handOffs.percentileMicros(50),
                        "handOffP99Micros",
                        handOffs.percentileMicros(99),
                        "handOffSamples",
                        handOffs.count(),
                        "acquisitions",
                        measuredAcquisitions,
                        "overlaps",
                        overlaps.sum(),
                        "requestsPerHandOff",
                        baton ? (double) measuredRequests / measuredAcquisitions : Double.NaN,
                        "keepAlivesPerHandOff",
                        baton ? (double) measuredKeepAlives / measuredAcquisitions : Double.NaN));
        locks.close();
    }

    /** One contender's lock, on client {@code thread index mod 2}. */
    @State(Scope.Thread)
    public static class Contender {
        Locker locker;

        /**
         * Opens the contender's lock.
         *
         * @param bench the shared state
         * @param thread JMH's thread parameters
         */
        @Setup
        public void open(ContentionBenchmark bench, ThreadParams thread) {
            locker = bench.locks.locker(thread.getThreadIndex(), "contended");
        }
    }

    /**
     * Takes the lock and hands it on.
     *
     * @param contender this thread's lock
     * @throws Exception if the subject failed
     */
    @Benchmark
    public void handOff(Contender contender) throws Exception {
        contender.locker.lock();
        if (holders.incrementAndGet() != 1) {
            overlaps.increment(); // the subject let two contenders hold at once: its figures are not a lock's
        }
        if (measuring) {
            long released = releasedAt;
            if (released != 0) {
                handOffs.add(System.nanoTime() - released);
            }
            acquisitions.increment();
        }
        holders.decrementAndGet();
        releasedAt = System.nanoTime();
        contender.locker.unlock();
    }
}
