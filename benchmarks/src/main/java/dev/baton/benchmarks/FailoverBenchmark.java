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

import dev.baton.lock.Leadership;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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

/**
 * Scenario d: a leader and one queued candidate; the leader is killed without resigning (its connection cut, see
 * {@link ElectionNode#kill()}), or resigns. The score of one invocation (one trial) is the time from the kill or the
 * resignation to the candidate's campaign returning. A killed leader's entry is freed only when its session expires on
 * the server, so that time is measured against the session TTL; the summary gives the median and the maximum.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
public class FailoverBenchmark {
    /** Baton's backend. */
    @Param({"inmemory", "etcd", "zookeeper"})
    public String backend;

    /** {@code kill}: the leader dies without resigning; {@code resign}: it resigns. */
    @Param({"kill", "resign"})
    public String mode;

    /** The coordinators' session TTL in milliseconds. */
    @Param({"2000"})
    public long ttlMillis;

    private final ExecutorService closer = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "failover-closer");
        t.setDaemon(true);
        return t;
    });
    private BatonBackends backends;
    private ElectionNode leader;
    private ElectionNode next;
    private Leadership leadership;
    private CompletableFuture<Leadership> campaign;

    /** Opens a namespace for the trials. */
    @Setup(Level.Trial)
    public void open() {
        backends = new BatonBackends(backend, "bench-" + UUID.randomUUID(), Duration.ofMillis(ttlMillis));
    }

    /**
     * Elects a leader and queues a second candidate behind it (its watch on the leader's entry registered).
     *
     * @throws InterruptedException if interrupted
     */
    @Setup(Level.Invocation)
    public void elect() throws InterruptedException {
        Duration ttl = Duration.ofMillis(ttlMillis);
        String election = "failover-" + UUID.randomUUID();
        leader = new ElectionNode(backends, election, "a", ttl);
        leadership = leader.election.campaign();
        next = new ElectionNode(backends, election, "b", ttl);
        campaign = next.election.campaignAsync();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (next.backend.watches() == 0 && !campaign.isDone()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the second candidate did not queue behind the leader within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (campaign.isDone()) {
            throw new IllegalStateException("the second candidate was elected while the leader still led");
        }
    }

    /**
     * Kills the leader or makes it resign, and waits for the next one.
     *
     * @return the next leadership
     * @throws Exception if the next candidate was not elected within 30 s
     */
    @Benchmark
    public Leadership failover() throws Exception {
        if (mode.equals("kill")) {
            leader.kill();
        } else {
            leadership.close();
        }
        return campaign.get(30, TimeUnit.SECONDS);
    }

    /** Closes both candidates; the killed one in the background, since its server calls can only time out. */
    @TearDown(Level.Invocation)
    public void closeNodes() {
        next.close();
        ElectionNode old = leader;
        closer.execute(old::close);
    }

    /** Closes the namespace. */
    @TearDown(Level.Trial)
    public void close() {
        closer.shutdown();
        backends.close();
    }
}
