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

/**
 * How long and how often to measure. {@code quick} checks that every scenario runs (about half a minute of
 * measuring, in one JVM, with 1 and 16 contenders and 100 held mutexes); {@code full} gives the published numbers (a forked JVM per benchmark, 20 failover trials,
 * 10,000 and 100,000 held mutexes).
 */
enum Profile {
    QUICK(List.of(1, 16), 0, 0, 0, 1, 80, 0, 1, 1_000, List.of("100"), 1_000, 200, 0, 1),
    FULL(List.of(1, 4, 16, 64), 1, 2, 2_000, 4, 2_000, 1, 20, 2_000, List.of("10000", "100000"), 3_000, 3_000, 1, 3);

    /** The contender counts of scenario b: quick, which only checks that everything runs, takes two. */
    final List<Integer> contenders;

    final int forks;
    final int warmups;
    final int warmupMillis;
    final int measurements;
    final int measurementMillis;
    final int failoverWarmups;
    final int failoverTrials;
    final long failoverTtlMillis;
    final List<String> heldCounts;
    final long heldTtlMillis;
    final long heldWindowMillis;
    final int heldWarmups;
    final int heldWindows;

    Profile(
            List<Integer> contenders,
            int forks,
            int warmups,
            int warmupMillis,
            int measurements,
            int measurementMillis,
            int failoverWarmups,
            int failoverTrials,
            long failoverTtlMillis,
            List<String> heldCounts,
            long heldTtlMillis,
            long heldWindowMillis,
            int heldWarmups,
            int heldWindows) {
        this.contenders = contenders;
        this.forks = forks;
        this.warmups = warmups;
        this.warmupMillis = warmupMillis;
        this.measurements = measurements;
        this.measurementMillis = measurementMillis;
        this.failoverWarmups = failoverWarmups;
        this.failoverTrials = failoverTrials;
        this.failoverTtlMillis = failoverTtlMillis;
        this.heldCounts = heldCounts;
        this.heldTtlMillis = heldTtlMillis;
        this.heldWindowMillis = heldWindowMillis;
        this.heldWarmups = heldWarmups;
        this.heldWindows = heldWindows;
    }

    static Profile of(String name) {
        for (Profile p : values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + name + "': use quick or full");
    }

    String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
