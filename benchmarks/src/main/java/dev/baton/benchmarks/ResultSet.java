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

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One run's results as stored in its directory: {@code results.json} (JMH's JSON), {@code sidecars/} (the figures JMH
 * has no slot for, see {@link Sidecar}) and {@code run.properties} (profile, machine, duration). The summary and the
 * charts are made from this, both right after a run and later from a committed directory, so that they can be
 * re-rendered without measuring again.
 *
 * @param label what the run is called where several are drawn side by side (its variant, such as {@code tmpfs})
 * @param dir the directory the run was read from
 * @param results every JMH result of the run, in the order of the JSON
 * @param run the run's {@code run.properties}, empty for runs made before that file existed
 */
record ResultSet(String label, Path dir, List<Result> results, Map<String, String> run) {
    static final String RESULTS = "results.json";
    static final String SIDECARS = "sidecars";
    static final String RUN = "run.properties";

    /**
     * One JMH result, read back from the JSON.
     *
     * @param benchmark the benchmark method's full name ({@code dev.baton.benchmarks.ContentionBenchmark.handOff})
     * @param mode JMH's mode ({@code thrpt}, {@code sample}, {@code ss})
     * @param threads the threads JMH ran the method on
     * @param params the {@code @Param} values
     * @param score the primary score (the mean for {@code sample} and {@code ss})
     * @param unit the score's unit ({@code ops/s}, {@code us/op}, {@code ms/op})
     * @param percentiles the score's percentiles by percent (50.0, 99.0, ...), as JMH computed them
     * @param raw every measured value of {@code thrpt} and {@code ss} runs (one per iteration or trial); empty for
     *     {@code sample}, whose samples JMH stores as a histogram
     * @param secondary the secondary metrics' scores by name, as a profiler reported them ({@code
     *     gc.alloc.rate.norm}: bytes allocated per operation, from JMH's GC profiler), without JMH's leading dot
     */
    record Result(
            String benchmark,
            String mode,
            int threads,
            Map<String, String> params,
            double score,
            String unit,
            SortedMap<Double, Double> percentiles,
            List<Double> raw,
            Map<String, Double> secondary) {

        /** The score of a secondary metric, NaN when the run did not report it. */
        double secondary(String name) {
            return secondary.getOrDefault(name, Double.NaN);
        }

        /** Whether this is a result of {@code <name>Benchmark}, such as {@code is("Contention")}. */
        boolean is(String name) {
            return benchmark.contains("." + name + "Benchmark.");
        }

        String param(String name) {
            return params.get(name);
        }

        double percentile(double percent) {
            return percentiles.getOrDefault(percent, Double.NaN);
        }

        double max() {
            return percentile(100);
        }

        /** The score as operations per second, whatever the unit (a time per operation is inverted). */
        double perSecond() {
            return unit.endsWith("/op") ? 1 / seconds(score, unit) : score;
        }

        /** A time per operation of this result (its score or a percentile) in microseconds. */
        double micros(double value) {
            return seconds(value, unit) * 1e6;
        }

        private static double seconds(double value, String unit) {
            switch (unit) {
                case "ns/op":
                    return value / 1e9;
                case "us/op":
                    return value / 1e6;
                case "ms/op":
                    return value / 1e3;
                case "s/op":
                    return value;
                default:
                    throw new IllegalArgumentException("unit '" + unit + "' is not a time per operation");
            }
        }
    }

    /**
     * Reads the run stored in {@code dir}.
     *
     * @throws UncheckedIOException if {@code results.json} is missing or cannot be read
     * @throws IllegalStateException if it is not JMH's JSON
     */
    static ResultSet read(String label, Path dir) {
        Path json = dir.resolve(RESULTS);
        List<Result> results = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(json)) {
            for (JsonElement e : JsonParser.parseReader(r).getAsJsonArray()) {
                results.add(result(e.getAsJsonObject()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + json + ": is it a benchmark results directory?", e);
        }
        Map<String, String> run = Sidecar.load(dir.resolve(RUN));
        String name = label != null ? label : run.getOrDefault("variant", String.valueOf(dir.getFileName()));
        return new ResultSet(name, dir, Collections.unmodifiableList(results), Collections.unmodifiableMap(run));
    }

    /** Writes a run's {@code run.properties}. */
    static void writeRun(Path dir, Map<String, String> run) throws IOException {
        Properties p = new Properties();
        run.forEach(p::setProperty);
        try (Writer w = Files.newBufferedWriter(dir.resolve(RUN))) {
            p.store(w, "how this run was made; read by the summary");
        }
    }

    private static Result result(JsonObject o) {
        if (!o.has("benchmark") || !o.has("mode") || !o.has("primaryMetric")) {
            throw new IllegalStateException("not JMH's JSON: a result without benchmark, mode or primaryMetric");
        }
        JsonObject primary = o.getAsJsonObject("primaryMetric");
        Map<String, String> params = new TreeMap<>();
        if (o.has("params")) {
            o.getAsJsonObject("params")
                    .entrySet()
                    .forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
        }
        SortedMap<Double, Double> percentiles = new TreeMap<>();
        primary.getAsJsonObject("scorePercentiles")
                .entrySet()
                .forEach(e ->
                        percentiles.put(Double.valueOf(e.getKey()), e.getValue().getAsDouble()));
        List<Double> raw = new ArrayList<>();
        if (primary.has("rawData")) {
            for (JsonElement fork : primary.getAsJsonArray("rawData")) {
                for (JsonElement v : fork.getAsJsonArray()) {
                    raw.add(v.getAsDouble());
                }
            }
        }
        Map<String, Double> secondary = new TreeMap<>();
        if (o.has("secondaryMetrics")) {
            // JMH names a profiler's metrics with a leading middle dot: "\u00b7gc.alloc.rate.norm".
            o.getAsJsonObject("secondaryMetrics")
                    .entrySet()
                    .forEach(e -> secondary.put(
                            e.getKey().replaceFirst("^\u00b7", ""),
                            e.getValue().getAsJsonObject().get("score").getAsDouble()));
        }
        return new Result(
                o.get("benchmark").getAsString(),
                o.get("mode").getAsString(),
                o.get("threads").getAsInt(),
                Collections.unmodifiableMap(params),
                primary.get("score").getAsDouble(),
                primary.get("scoreUnit").getAsString(),
                Collections.unmodifiableSortedMap(percentiles),
                Collections.unmodifiableList(raw),
                Collections.unmodifiableMap(secondary));
    }

    /** The first result of {@code <benchmark>Benchmark} for this subject, on {@code threads} threads (any if < 0). */
    Optional<Result> find(String benchmark, String subject, int threads) {
        for (Result r : results) {
            if (r.is(benchmark) && subject.equals(r.param("subject")) && (threads < 0 || r.threads() == threads)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Every result of {@code <benchmark>Benchmark}. */
    List<Result> of(String benchmark) {
        return results.stream().filter(r -> r.is(benchmark)).toList();
    }

    Path sidecars() {
        return dir.resolve(SIDECARS);
    }

    boolean hasSidecars() {
        return Files.isDirectory(sidecars());
    }

    /** A sidecar's figures (see {@link Sidecar#name}); empty when the run did not write or keep it. */
    Map<String, String> sidecar(String name) {
        return Sidecar.read(sidecars(), name);
    }
}
