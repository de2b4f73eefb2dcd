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

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Scenario a: one client takes and releases one lock, nobody else around; Baton's read-write lock (either side),
 * multi-lock (two names), semaphore (one permit of four), TTL lock, lease and election (campaign until elected, then
 * resign) beside its mutex. Sampled per cycle, so JMH reports the
 * latency distribution (p50, p99); with one thread, throughput is the inverse of the mean. Beside it, in a {@link
 * Sidecar} ({@code cycle-<subject>-1}), the requests the server received per cycle in measurement iterations, counted
 * at the server ({@link ServerCounters}), for every subject on etcd or ZooKeeper, peers and floors included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class UncontendedCycleBenchmark {
    /** The subject; see {@link Subjects}. */
    @Param({
        "baton-inmemory",
        "baton-inmemory-read",
        "baton-inmemory-write",
        "baton-inmemory-multi2",
        "baton-inmemory-sem",
        "baton-inmemory-ttl",
        "baton-inmemory-lease",
        "baton-inmemory-elect",
        "reentrantlock",
        "baton-etcd",
        "baton-etcd-read",
        "baton-etcd-write",
        "baton-etcd-multi2",
        "baton-etcd-sem",
        "baton-etcd-ttl",
        "baton-etcd-lease",
        "baton-etcd-elect",
        "etcd-put-delete",
        "etcd-txn-lease",
        "jetcd-lock",
        "baton-zookeeper",
        "baton-zookeeper-read",
        "baton-zookeeper-write",
        "baton-zookeeper-multi2",
        "baton-zookeeper-sem",
        "baton-zookeeper-ttl",
        "baton-zookeeper-lease",
        "baton-zookeeper-elect",
        "zk-create-delete",
        "curator-mutex"
    })
    public String subject;

    /** The recipes measured in a shorter run of their own (see {@code BenchmarkMain}): TTL lock, lease, election. */
    static final List<String> SHORT_RECIPES = List.of("ttl", "lease", "elect");

    private LockSubject locks;
    private Locker locker;
    private String server;
    private boolean measuring;
    private long cycles;
    private long cyclesAtStart;
    private long receivedAtStart;
    private long measuredReceived;
    private long measuredCycles;

    /** Every subject of the {@link #subject} parameter, as annotated. */
    static List<String> subjects() {
        try {
            return List.of(UncontendedCycleBenchmark.class
                    .getField("subject")
                    .getAnnotation(Param.class)
                    .value());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("the subject parameter is gone", e);
        }
    }

    /** Opens the subject with one client. */
    @Setup(Level.Trial)
    public void open() {
        locks = Subjects.open(subject, 1);
        locker = locks.locker(0, "uncontended");
        server = ServerCounters.serverOf(subject);
    }

    /**
     * Starts counting the server's requests, in measurement iterations only.
     *
     * @param params JMH's iteration parameters
     */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) {
        measuring = server != null && params.getType() == IterationType.MEASUREMENT;
        if (measuring) {
            cyclesAtStart = cycles;
            receivedAtStart = ServerCounters.received(server);
        }
    }

    /** Adds the iteration's counts when it was a measurement. */
    @TearDown(Level.Iteration)
    public void endIteration() {
        if (measuring) {
            measuredReceived += ServerCounters.received(server) - receivedAtStart;
            measuredCycles += cycles - cyclesAtStart;
        }
        measuring = false;
    }

    /** Writes the sidecar (server requests per cycle, on etcd and ZooKeeper) and closes the subject. */
    @TearDown(Level.Trial)
    public void close() {
        if (measuredCycles > 0) {
            Sidecar.write(
                    Sidecar.name("cycle", subject, 1),
                    Map.of(
                            "serverRequestsPerCycle",
                            (double) measuredReceived / measuredCycles,
                            "cycles",
                            measuredCycles));
        }
        locks.close();
    }

    /**
     * Acquire, then release.
     *
     * @throws Exception if the subject failed
     */
    @Benchmark
    public void cycle() throws Exception {
        locker.lock();
        locker.unlock();
        cycles++;
    }
}
