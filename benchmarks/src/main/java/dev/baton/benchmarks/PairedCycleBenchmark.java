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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * Scenario a, paired: the mutex and the recipes with a target against it (TTL lock, lease) and the election, one
 * uncontended cycle of each in turn on one coordinator, one thread, each cycle timed, so that every recipe is measured
 * against the mutex in the same seconds, on the same connection and the same server state. The separate subjects of
 * {@link UncontendedCycleBenchmark} run one after another, each in its own JVM, minutes apart; on a shared two-core
 * machine a server's latency drifts by more than the recipes differ over that time (the same etcd lease cycle measured
 * 6,858, 3,209 and 2,105 µs in three forks within ten minutes), and the ratio of two such means says more about the
 * drift than about the recipes. Here the order within an invocation rotates, so no recipe always follows another.
 * The figures go to a {@link Sidecar} ({@code paired-<backend>-0}: {@code <recipe>.meanMicros}, {@code .p50Micros},
 * {@code .p99Micros}, {@code .samples}); JMH's own score is the whole invocation's time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class PairedCycleBenchmark {
    /** The recipes measured, the mutex first: {@code mutex} or a suffix of {@link Subjects.Baton#RECIPES}. */
    static final List<String> RECIPES = List.of("mutex", "ttl", "lease", "elect");

    /** The backend: {@code inmemory}, {@code etcd} or {@code zookeeper}. */
    @Param({"inmemory", "etcd", "zookeeper"})
    public String backend;

    private BatonBackends backends;
    private Coordinator coordinator;
    private final Map<String, Locker> lockers = new LinkedHashMap<>();
    private final Map<String, Samples> samples = new LinkedHashMap<>();
    private boolean measuring;
    private int first;

    /** Opens one coordinator on the backend and a locker of each recipe, each on a name of its own. */
    @Setup(Level.Trial)
    public void open() {
        backends = new BatonBackends(backend, "bench-" + UUID.randomUUID(), Subjects.SESSION_TTL);
        coordinator = Coordinator.builder(backends.open())
                .sessionTtl(Subjects.SESSION_TTL)
                .closeBackendOnClose(true)
                .build();
        for (String recipe : RECIPES) {
            lockers.put(recipe, Subjects.Baton.locker(coordinator, recipe, "paired-" + recipe, "candidate-0"));
            samples.put(recipe, new Samples(1 << 20));
        }
    }

    /**
     * Records samples in measurement iterations only.
     *
     * @param params JMH's iteration parameters
     */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    /**
     * One cycle of every recipe, starting one recipe later than the invocation before.
     *
     * @throws Exception if a recipe failed
     */
    @Benchmark
    public void cycles() throws Exception {
        first = (first + 1) % RECIPES.size();
        for (int i = 0; i < RECIPES.size(); i++) {
            String recipe = RECIPES.get((first + i) % RECIPES.size());
            Locker locker = lockers.get(recipe);
            long start = System.nanoTime();
            locker.lock();
            locker.unlock();
            long took = System.nanoTime() - start;
            if (measuring) {
                samples.get(recipe).add(took);
            }
        }
    }

    /** Writes the sidecar and closes the coordinator. */
    @TearDown(Level.Trial)
    public void close() {
        Sidecar.write(Sidecar.name("paired", backend, 0), Samples.figures(samples));
        coordinator.close();
        backends.close();
    }
}
