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

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/** A bounded, threadsafe record of durations in nanoseconds, for percentiles. Samples past the capacity are dropped. */
final class Samples {
    private final AtomicLongArray values;
    private final AtomicInteger size = new AtomicInteger();

    Samples(int capacity) {
        this.values = new AtomicLongArray(capacity);
    }

    void add(long nanos) {
        int i = size.getAndIncrement();
        if (i < values.length()) {
            values.set(i, nanos);
        }
    }

    int count() {
        return Math.min(size.get(), values.length());
    }

    /** The mean in microseconds, or NaN when empty. */
    double meanMicros() {
        int n = count();
        if (n == 0) {
            return Double.NaN;
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values.get(i);
        }
        return sum / 1_000.0 / n;
    }

    /** The {@code p}-th percentile (0-100) in microseconds, or NaN when empty. */
    double percentileMicros(double p) {
        int n = count();
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = values.get(i);
        }
        Arrays.sort(sorted);
        int index = (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100.0 * n) - 1));
        return sorted[index] / 1_000.0;
    }

    /**
     * The sidecar figures of named samples: for each name, its mean, p50 and p99 in microseconds and its count, as
     * {@code <name>.meanMicros}, {@code .p50Micros}, {@code .p99Micros} and {@code .samples}, in the map's order.
     */
    static Map<String, Object> figures(Map<String, Samples> named) {
        Map<String, Object> figures = new LinkedHashMap<>();
        named.forEach((name, s) -> {
            figures.put(name + ".meanMicros", s.meanMicros());
            figures.put(name + ".p50Micros", s.percentileMicros(50));
            figures.put(name + ".p99Micros", s.percentileMicros(99));
            figures.put(name + ".samples", s.count());
        });
        return figures;
    }
}
