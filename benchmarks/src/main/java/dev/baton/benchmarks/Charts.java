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

import dev.baton.benchmarks.ResultSet.Result;
import dev.baton.benchmarks.SvgChart.Panel;
import dev.baton.benchmarks.SvgChart.Style;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The benchmark charts, drawn from one or more runs ({@link ResultSet}s, such as a tmpfs and an fsync variant): a row
 * per backend and a column per run, so that the runs stand side by side on the same scale. Charts: hand-offs per
 * second against contenders beside the peers and the floor ({@value #CONTENTION}), hand-off latency percentiles
 * against contenders ({@value #HAND_OFF}, from the sidecars), the uncontended cycle's latency percentiles ({@value
 * #CYCLE}), and failover times against the TTL ({@value #FAILOVER}). A chart whose data no run holds is not drawn;
 * {@link Rendered#missing()} says why.
 */
final class Charts {
    static final String CONTENTION = "contention.svg";
    static final String HAND_OFF = "handoff-latency.svg";
    static final String CYCLE = "cycle-latency.svg";
    static final String FAILOVER = "failover.svg";
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private Charts() {}

    /**
     * The charts drawn and the ones left out.
     *
     * @param charts SVG text by file name
     * @param missing for each chart left out, its file name and why
     */
    record Rendered(Map<String, String> charts, List<String> missing) {}

    static Rendered render(List<ResultSet> sets) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("no result sets to chart: give at least one results directory");
        }
        Map<String, String> charts = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        put(charts, missing, CONTENTION, contention(sets), "no ContentionBenchmark results");
        put(
                charts,
                missing,
                HAND_OFF,
                handOffs(sets),
                "no contention sidecars (the hand-off percentiles are written to sidecars/, not to results.json,"
                        + " and this run did not keep that directory)");
        put(charts, missing, CYCLE, cycle(sets), "no UncontendedCycleBenchmark results");
        put(charts, missing, FAILOVER, failover(sets), "no FailoverBenchmark results");
        return new Rendered(charts, missing);
    }

    /** Writes the charts to {@code out} and returns a line per chart: the file written, or why it was left out. */
    static List<String> write(Path out, List<ResultSet> sets) throws IOException {
        Rendered r = render(sets);
        Files.createDirectories(out);
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> e : r.charts().entrySet()) {
            Files.writeString(out.resolve(e.getKey()), e.getValue());
            lines.add("Wrote " + out.resolve(e.getKey()));
        }
        r.missing().forEach(m -> lines.add("Not drawn: " + m));
        return lines;
    }

    private static void put(Map<String, String> charts, List<String> missing, String name, SvgChart chart, String why) {
        if (chart == null) {
            missing.add(name + ": " + why);
        } else {
            charts.put(name, chart.render());
        }
    }

    private static SvgChart contention(List<ResultSet> sets) {
        List<String> backends = backends(sets, "Contention", r -> Summary.backendOf(r.param("subject")));
        if (backends.isEmpty()) {
            return null;
        }
        SvgChart chart = new SvgChart(
                        "Hand-offs per second against contenders",
                        "contenders (threads, spread over two clients)",
                        "hand-offs per second")
                .subtitle("One lock that every contender takes and hands on at once. Baton thick, the peers thin;"
                        + " log scales.")
                .logX(threads(sets, "Contention"))
                .logY()
                .note("Dotted lines: the server's floors, the uncontended cycles per second of the fewest writes a lock"
                        + " needs (one thread, no exclusion; table a).");
        grid(chart, sets, backends, (panel, set, backend) -> {
            for (String subject : subjects(set, "Contention", backend)) {
                List<double[]> points = new ArrayList<>();
                for (Result r : ofSubject(set, "Contention", subject)) {
                    points.add(new double[] {r.threads(), r.score()});
                }
                panel.series(subject, isBaton(subject)).line("", Style.SOLID, points);
            }
            for (String floor : Summary.floors(backend)) {
                set.find("UncontendedCycle", floor, -1)
                        .ifPresent(r -> panel.reference(
                                "floor " + floor + ": " + Summary.num(r.perSecond()) + "/s", r.perSecond()));
            }
        });
        return chart;
    }

    private static SvgChart handOffs(List<ResultSet> sets) {
        // Only the backends some run kept hand-off figures for: a row of empty panels would say nothing.
        List<String> backends =
                new ArrayList<>(backends(sets, "Contention", r -> Summary.backendOf(r.param("subject"))));
        backends.removeIf(b -> sets.stream().allMatch(set -> set.of("Contention").stream()
                .noneMatch(r -> Summary.backendOf(r.param("subject")).equals(b)
                        && !handOff(set, r).isEmpty())));
        if (backends.isEmpty()) {
            return null;
        }
        SvgChart chart = new SvgChart(
                        "Hand-off latency against contenders",
                        "contenders (threads, spread over two clients)",
                        "hand-off latency, µs")
                .subtitle("From the holder's call to release to the next holder's acquire returning; log scales.")
                .logX(threads(sets, "Contention"))
                .logY()
                .note("Solid: p50; dashed: p99 (of the hand-offs recorded during the measurement iterations).");
        grid(chart, sets, backends, (panel, set, backend) -> {
            for (String subject : subjects(set, "Contention", backend)) {
                List<double[]> p50 = new ArrayList<>();
                List<double[]> p99 = new ArrayList<>();
                for (Result r : ofSubject(set, "Contention", subject)) {
                    Map<String, String> figures = handOff(set, r);
                    p50.add(new double[] {r.threads(), number(figures.get("handOffP50Micros"))});
                    p99.add(new double[] {r.threads(), number(figures.get("handOffP99Micros"))});
                }
                if (p50.stream().anyMatch(pt -> Double.isFinite(pt[1]))) {
                    panel.series(subject, isBaton(subject))
                            .line("p50", Style.SOLID, p50)
                            .line("p99", Style.DASHED, p99);
                }
            }
        });
        return chart;
    }

    private static SvgChart cycle(List<ResultSet> sets) {
        List<String> backends = backends(sets, "UncontendedCycle", r -> Summary.backendOf(r.param("subject")));
        if (backends.isEmpty()) {
            return null;
        }
        List<Double> percentiles = new ArrayList<>();
        for (double p : PERCENTILES) {
            if (sets.stream()
                    .anyMatch(s -> s.of("UncontendedCycle").stream().anyMatch(r -> Double.isFinite(r.percentile(p))))) {
                percentiles.add(p);
            }
        }
        SvgChart chart = new SvgChart(
                        "Uncontended cycle latency percentiles", "percentile of all cycles", "acquire + release, µs")
                .subtitle("One client, one thread, one lock; JMH times every cycle. Log scale.")
                .categories(percentiles.stream()
                        .map(p ->
                                "p" + BigDecimal.valueOf(p).stripTrailingZeros().toPlainString())
                        .toList())
                .logY()
                .note("Baton thick; the peers thin; dashed: the server's floors (the fewest writes a lock needs, no"
                        + " exclusion).");
        grid(chart, sets, backends, (panel, set, backend) -> {
            for (String subject : subjects(set, "UncontendedCycle", backend)) {
                Result r = set.find("UncontendedCycle", subject, -1).orElseThrow();
                List<double[]> points = new ArrayList<>();
                for (int i = 0; i < percentiles.size(); i++) {
                    points.add(new double[] {i, r.micros(r.percentile(percentiles.get(i)))});
                }
                panel.series(subject, isBaton(subject))
                        .line("", Summary.isFloor(subject) ? Style.DASHED : Style.SOLID, points);
            }
        });
        return chart;
    }

    private static SvgChart failover(List<ResultSet> sets) {
        List<String> backends = backends(sets, "Failover", r -> r.param("backend"));
        if (backends.isEmpty()) {
            return null;
        }
        Set<String> ttls = new TreeSet<>();
        sets.forEach(s -> s.of("Failover").forEach(r -> ttls.add(r.param("ttlMillis"))));
        // With one TTL a column per backend; with several, a column per backend and TTL.
        List<String> categories = new ArrayList<>();
        for (String backend : backends) {
            for (String ttl : ttls) {
                if (sets.stream().anyMatch(s -> s.of("Failover").stream()
                        .anyMatch(r -> backend.equals(r.param("backend")) && ttl.equals(r.param("ttlMillis"))))) {
                    categories.add(ttls.size() == 1 ? backend : backend + ", TTL " + ttl + " ms");
                }
            }
        }
        SvgChart chart = new SvgChart("Failover time against the session TTL", "backend", "time to the next leader, ms")
                .subtitle("A leader and one queued candidate; the leader killed (connection cut, no resignation) or"
                        + " resigning. Every trial.")
                .categories(categories)
                .note("Dotted: the session TTL, and the target for a kill, TTL + 1 s. A resigning leader hands over"
                        + " within milliseconds (table d has the figures).");
        for (int col = 0; col < sets.size(); col++) {
            ResultSet set = sets.get(col);
            Panel panel = chart.panel(
                    0, col, sets.size() > 1 ? set.label() : "session TTL " + String.join(", ", ttls) + " ms");
            Map<String, List<double[]>> byMode = new LinkedHashMap<>();
            for (Result r : set.of("Failover")) {
                String ttl = r.param("ttlMillis");
                int at = categories.indexOf(
                        ttls.size() == 1 ? r.param("backend") : r.param("backend") + ", TTL " + ttl + " ms");
                String mode = "kill".equals(r.param("mode")) ? "killed" : "resigned";
                for (double v : r.raw()) {
                    byMode.computeIfAbsent(mode, k -> new ArrayList<>()).add(new double[] {at, r.micros(v) / 1e3});
                }
                if (mode.equals("killed")) {
                    // The higher line first: its label goes above it, the TTL's below (SvgChart alternates them).
                    double millis = Double.parseDouble(ttl);
                    panel.reference("TTL + 1 s", millis + 1000, at - 0.45, at + 0.45);
                    panel.reference("TTL", millis, at - 0.45, at + 0.45);
                }
            }
            byMode.forEach((mode, points) ->
                    panel.series(mode, false).line("", mode.equals("killed") ? Style.DOTS : Style.HOLLOW_DOTS, points));
        }
        return chart;
    }

    /** Fills one panel: a backend's subjects in one run. */
    @FunctionalInterface
    private interface PanelFiller {
        void fill(Panel panel, ResultSet set, String backend);
    }

    /** A panel per backend (a row each) and run (a column each, side by side on the row's scale). */
    private static void grid(SvgChart chart, List<ResultSet> sets, List<String> backends, PanelFiller filler) {
        for (int row = 0; row < backends.size(); row++) {
            for (int col = 0; col < sets.size(); col++) {
                String backend = backends.get(row);
                ResultSet set = sets.get(col);
                filler.fill(chart.panel(row, col, title(backend, set, sets)), set, backend);
            }
        }
    }

    /** The backends that have results of this benchmark in any set: the tables' order, then others by name. */
    private static List<String> backends(List<ResultSet> sets, String benchmark, Function<Result, String> backendOf) {
        Set<String> present = new TreeSet<>();
        sets.forEach(s -> s.of(benchmark).forEach(r -> present.add(backendOf.apply(r))));
        List<String> ordered = new ArrayList<>(Summary.backends());
        ordered.retainAll(present);
        present.stream().filter(b -> !ordered.contains(b)).forEach(ordered::add);
        return ordered;
    }

    /** The subjects of a backend in a set: Baton first, then the peers, then the floors, each in the order they ran. */
    private static List<String> subjects(ResultSet set, String benchmark, String backend) {
        Set<String> subjects = new LinkedHashSet<>();
        set.of(benchmark).stream()
                .map(r -> r.param("subject"))
                .filter(s -> s != null && Summary.backendOf(s).equals(backend))
                .sorted(Comparator.comparingInt(s -> isBaton(s) ? 0 : Summary.isFloor(s) ? 2 : 1))
                .forEach(subjects::add);
        return new ArrayList<>(subjects);
    }

    private static List<Result> ofSubject(ResultSet set, String benchmark, String subject) {
        return set.of(benchmark).stream()
                .filter(r -> subject.equals(r.param("subject")))
                .sorted(Comparator.comparingInt(Result::threads))
                .toList();
    }

    private static double[] threads(List<ResultSet> sets, String benchmark) {
        return sets.stream()
                .flatMap(s -> s.of(benchmark).stream())
                .mapToDouble(Result::threads)
                .distinct()
                .sorted()
                .toArray();
    }

    private static Map<String, String> handOff(ResultSet set, Result r) {
        return set.sidecar(Sidecar.name("contention", r.param("subject"), r.threads()));
    }

    private static String title(String backend, ResultSet set, List<ResultSet> sets) {
        return sets.size() > 1 ? backend + " · " + set.label() : backend;
    }

    private static boolean isBaton(String subject) {
        return subject.startsWith("baton-");
    }

    private static double number(String value) {
        return value == null ? Double.NaN : Double.parseDouble(value.trim());
    }
}
