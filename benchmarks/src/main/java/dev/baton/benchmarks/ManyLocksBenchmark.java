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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Scenario c: 16 threads over two clients each take and release locks picked at random among 1,000 names. The score is
 * acquisitions per second across all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(16)
public class ManyLocksBenchmark extends TwoClientSubjects {
    /** Distinct lock names. */
    static final int LOCKS = 1_000;

    private LockSubject locks;

    /** Opens the subject with two clients. */
    @Setup
    public void open() {
        locks = openSubject();
    }

    /** Closes the subject. */
    @TearDown
    public void close() {
        locks.close();
    }

    /** One thread's lockers, made on first use. */
    @State(Scope.Thread)
    public static class Worker {
        private final Locker[] lockers = new Locker[LOCKS];
        private SplittableRandom random;
        private int client;

        /**
         * Seeds the thread's choice of names.
         *
         * @param thread JMH's thread parameters
         */
        @Setup
        public void open(ThreadParams thread) {
            client = thread.getThreadIndex();
            random = new SplittableRandom(thread.getThreadIndex());
        }

        Locker next(LockSubject locks) {
            int i = random.nextInt(LOCKS);
            Locker l = lockers[i];
            if (l == null) {
                l = locks.locker(client, "lock-" + i);
                lockers[i] = l;
            }
            return l;
        }
    }

    /**
     * Takes and releases one lock picked at random.
     *
     * @param worker this thread's lockers
     * @throws Exception if the subject failed
     */
    @Benchmark
    public void acquireRelease(Worker worker) throws Exception {
        Locker l = worker.next(locks);
        l.lock();
        l.unlock();
    }
}
