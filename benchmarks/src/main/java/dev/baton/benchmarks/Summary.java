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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Markdown summary of one run: every scenario's table, each Baton figure beside its floor and its peer from the
 * same run, as a ratio, then the targets of BENCHMARKS.md with what was measured against each. Made from a run's
 * stored {@link ResultSet}, right after the run or later ({@code benchmarks/run summarize DIR}).
 */
final class Summary {
    private static final int[] CONTENDERS = {1, 4, 16, 64};
    private static final String[][] GROUPS = {
        // backend, Baton subject, peer, floors...
        {"inmemory", "baton-inmemory", "reentrantlock"},
        {"etcd", "baton-etcd", "jetcd-lock", "etcd-put-delete", "etcd-txn-lease"},
        {"zookeeper", "baton-zookeeper", "curator-mutex", "zk-create-delete"},
    };

    /** The recipes with a target against the mutex's cycle (BENCHMARKS.md): suffix, then what the target calls it. */
    private static final Map<String, String> TARGETED_RECIPES = Map.of("ttl", "TTL lock", "lease", "lease");

    private final ResultSet set;
    private final StringBuilder md = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();

    private Summary(ResultSet set) {
        this.set = set;
    }

    static String render(ResultSet set) {
        Summary s = new Summary(set);
        s.header();
        s.uncontended();
        s.beside();
        s.recipes();
        s.contention();
        s.manyLocks();
        s.failover();
        s.held();
        s.oneRequest();
        s.targets();
        return s.md.toString();
    }

    /** What {@link #header} reads from {@code run.properties}: the run's profile, machine and duration, now. */
    static Map<String, String> runProperties(Profile profile, String variant, double seconds) {
        return Map.of(
                "profile",
                profile.id(),
                "variant",
                variant,
                "seconds",
                String.format(Locale.ROOT, "%.0f", seconds),
                "cores",
                Integer.toString(Runtime.getRuntime().availableProcessors()),
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                "java",
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    }

    private void header() {
        Map<String, String> run = set.run();
        md.append("# Baton benchmarks: ")
                .append(run.getOrDefault("profile", String.valueOf(set.dir().getFileName())))
                .append(" profile\n\n");
        if (run.containsKey("cores")) {
            md.append(String.format(
                    Locale.ROOT,
                    "Machine: %s cores, %s, Java %s. Run took %s s. Every ratio compares figures measured in this"
                            + " same run.\n",
                    run.get("cores"),
                    run.get("os"),
                    run.get("java"),
                    run.get("seconds")));
        } else {
            md.append("Machine and duration: not recorded with these results (no run.properties). Every ratio"
                    + " compares figures measured in this same run.\n");
        }
        if (Profile.QUICK.id().equals(run.get("profile"))) {
            md.append("\n_Quick profile: one short iteration each, in one JVM; it checks that everything runs."
                    + " Its numbers are not for publishing._\n");
        }
    }

    private void uncontended() {
        md.append("\n## a. Uncontended cycle (acquire + release, one client, one thread)\n\n");
        md.append(
                "`Baton ÷ this`: Baton's mean cycle time divided by this row's (1.10× = Baton takes 10% longer).\n\n");
        md.append("`server requests per cycle`: the requests the server received during measurement, counted at the"
                + " server (etcd: gRPC messages received, ZooKeeper: packets received; keep-alives and pings included),"
                + " divided by cycles.\n\n");
        md.append("`bytes per cycle`: the bytes the benchmark's JVM allocated per cycle (JMH's GC profiler): the client"
                + " alone on etcd and ZooKeeper, client and server in memory.\n\n");
        md.append("| backend | subject | role | p50 µs | p99 µs | mean µs | cycles/s | Baton ÷ this | server requests"
                + " per cycle | bytes per cycle |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String[] g : GROUPS) {
            Optional<Result> baton = set.find("UncontendedCycle", g[1], -1);
            for (int i = 1; i < g.length; i++) {
                Optional<Result> found = set.find("UncontendedCycle", g[i], -1);
                if (found.isEmpty()) {
                    continue;
                }
                Result r = found.get();
                double mean = r.micros(r.score());
                double ratio = baton.map(b -> b.micros(b.score()) / mean).orElse(Double.NaN);
                md.append(row(
                        g[0],
                        "`" + g[i] + "`",
                        i == 1 ? "Baton" : i == 2 ? "peer" : "floor",
                        num(r.micros(r.percentile(50))),
                        num(r.micros(r.percentile(99))),
                        num(mean),
                        num(1e6 / mean),
                        i == 1 ? "" : ratio(ratio),
                        serverRequests(g[i]),
                        num(r.secondary("gc.alloc.rate.norm"))));
                if (i >= 2) {
                    // The floor targets: 1.15× on etcd, 1.3× on ZooKeeper (whose lock needs a third request,
                    // the listing, that its floor does not make).
                    double floorLimit = g[0].equals("zookeeper") ? 1.3 : 1.15;
                    String role = i == 2 ? "no slower than " : "within " + num(floorLimit) + "× of the floor ";
                    double limit = i == 2 ? 1.0 : floorLimit;
                    if (!g[0].equals("inmemory") || i == 2) {
                        if (g[0].equals("inmemory")) {
                            role = "within 3× of ";
                            limit = 3.0;
                        }
                        String target = "a. " + g[0] + " uncontended cycle " + role + "`" + g[i] + "`";
                        // Measured beside Baton on one connection, when the run did: that settles the target, as the
                        // separate subjects ran minutes apart (BesidePeerBenchmark).
                        double beside = besideRatio(g[0], BESIDE_SIDES.get(g[i]));
                        if (Double.isNaN(beside)) {
                            targets.add(
                                    new String[] {target, "Baton ÷ " + g[i] + " = " + ratio(ratio), met(ratio <= limit)
                                    });
                        } else {
                            targets.add(new String[] {
                                target + " (beside, one connection)",
                                "Baton ÷ " + g[i] + ", beside = " + ratio(beside) + " (separate subjects: "
                                        + ratio(ratio) + ")",
                                met(beside <= limit)
                            });
                        }
                    }
                }
            }
        }
    }

    /** The other recipes' uncontended cycles beside the mutex of the same backend, from the same run. */
    private void recipes() {
        StringBuilder rows = new StringBuilder();
        for (String[] g : GROUPS) {
            Optional<Result> mutex = set.find("UncontendedCycle", g[1], -1);
            for (String recipe : Subjects.Baton.RECIPES) {
                String subject = g[1] + "-" + recipe;
                Optional<Result> found = set.find("UncontendedCycle", subject, -1);
                double ratio = Double.NaN;
                if (found.isPresent()) {
                    Result r = found.get();
                    double mean = r.micros(r.score());
                    ratio = mutex.map(m -> mean / m.micros(m.score())).orElse(Double.NaN);
                    rows.append(row(
                            g[0],
                            "`" + subject + "`",
                            num(r.micros(r.percentile(50))),
                            num(r.micros(r.percentile(99))),
                            num(mean),
                            ratio(ratio),
                            serverRequests(subject)));
                }
                String held = TARGETED_RECIPES.get(recipe);
                double paired = pairedRatio(g[0], recipe);
                String target = "a. " + g[0] + " " + held + " cycle within 1.5× of the mutex cycle";
                if (held == null) {
                    continue;
                }
                // The paired measurement, when the run made it, settles the target: it times the recipe and the mutex
                // in the same seconds (PairedCycleBenchmark); the separate subjects ran minutes apart.
                if (!Double.isNaN(paired)) {
                    targets.add(new String[] {
                        target + " (paired)",
                        recipe + " ÷ mutex, paired = " + ratio(paired) + " (separate subjects: " + ratio(ratio) + ")",
                        met(paired <= 1.5)
                    });
                } else if (found.isPresent()) {
                    targets.add(
                            new String[] {target, subject + " ÷ " + g[1] + " = " + ratio(ratio), met(ratio <= 1.5)});
                }
            }
        }
        if (rows.length() > 0) { // none in a run from before the recipes were measured
            md.append("\n### Recipes beside the mutex (same scenario)\n\n");
            md.append("`÷ mutex`: the recipe's mean cycle time divided by the mutex's on the same backend.\n\n");
            md.append("| backend | subject | p50 µs | p99 µs | mean µs | ÷ mutex | server requests per cycle |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|\n");
            md.append(rows);
        }
        paired();
    }

    /** The side of {@link BesidePeerBenchmark} that measures a subject of scenario a. beside Baton's mutex. */
    private static final Map<String, String> BESIDE_SIDES = Map.of(
            "jetcd-lock", "peer", "curator-mutex", "peer", "etcd-txn-lease", "floor", "zk-create-delete", "floor");

    /** Baton's mean beside a side divided by that side's, or NaN when the run did not measure them beside. */
    private double besideRatio(String backend, String side) {
        if (side == null) {
            return Double.NaN;
        }
        Map<String, String> s = set.sidecar(Sidecar.name("beside", backend, 0));
        return value(s, BesidePeerBenchmark.SIDES.get(0) + ".meanMicros") / value(s, side + ".meanMicros");
    }

    /** The {@link BesidePeerBenchmark} sidecars; nothing for a run from before it was measured. */
    private void beside() {
        StringBuilder rows = new StringBuilder();
        for (String backend : backends()) {
            Map<String, String> s = set.sidecar(Sidecar.name("beside", backend, 0));
            if (s.isEmpty()) {
                continue;
            }
            double peer = value(s, "peer.meanMicros");
            for (String side : BesidePeerBenchmark.SIDES) {
                double mean = value(s, side + ".meanMicros");
                rows.append(row(
                        backend,
                        side,
                        num(value(s, side + ".p50Micros")),
                        num(value(s, side + ".p99Micros")),
                        num(mean),
                        num(value(s, side + ".acquire.meanMicros")),
                        num(value(s, side + ".release.meanMicros")),
                        side.equals("baton") ? "" : ratio(besideRatio(backend, side)),
                        ratio(mean / peer),
                        s.getOrDefault(side + ".samples", "n/a")));
            }
        }
        if (rows.length() == 0) {
            return;
        }
        md.append("\n### Beside the peer: Baton, the peer, Baton's requests made raw and the floor in turn\n\n");
        md.append("One uncontended cycle of each in turn on one client connection, one thread, the first of each turn"
                + " rotating, each cycle timed. `peer`: jetcd's `Lock` or Curator's `InterProcessMutex` on the same"
                + " client. `requests`: the requests Baton's cycle sends, made with the raw client and no lock logic (etcd:"
                + " the create-and-list `Txn` on a lease, then the delete `Txn` on the mod revision; ZooKeeper: the"
                + " multi-operation that checks the lease, creates the entry and the lease's reference, with the"
                + " children read right behind it, then the multi-operation that deletes the entry and the reference)."
                + " `floor`: the put-if-absent `Txn` on a lease then a delete, or the ephemeral create then a delete."
                + " `baton ÷ requests` is what Baton's client adds; `requests ÷ peer` what Baton's requests cost the"
                + " server against the peer's. The targets against the peer and these floors use these ratios.\n\n");
        md.append("| backend | side | p50 µs | p99 µs | mean µs | acquire mean µs | release mean µs | Baton ÷ this |"
                + " this ÷ peer | samples |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        md.append(rows);
    }

    /** The recipe's paired mean divided by the mutex's, or NaN when the run did not pair them. */
    private double pairedRatio(String backend, String recipe) {
        Map<String, String> s = set.sidecar(Sidecar.name("paired", backend, 0));
        return value(s, recipe + ".meanMicros") / value(s, PairedCycleBenchmark.RECIPES.get(0) + ".meanMicros");
    }

    /** The {@link PairedCycleBenchmark} sidecars; nothing for a run from before the recipes were paired. */
    private void paired() {
        StringBuilder rows = new StringBuilder();
        for (String backend : backends()) {
            Map<String, String> s = set.sidecar(Sidecar.name("paired", backend, 0));
            if (s.isEmpty()) {
                continue;
            }
            for (String recipe : PairedCycleBenchmark.RECIPES) {
                rows.append(row(
                        backend,
                        recipe,
                        num(value(s, recipe + ".p50Micros")),
                        num(value(s, recipe + ".p99Micros")),
                        num(value(s, recipe + ".meanMicros")),
                        ratio(pairedRatio(backend, recipe)),
                        s.getOrDefault(recipe + ".samples", "n/a")));
            }
        }
        if (rows.length() == 0) {
            return;
        }
        md.append("\n#### Paired: the recipes and the mutex in turn\n\n");
        md.append(
                "One cycle of each in turn on one coordinator, one thread, the first of each turn rotating, each cycle"
                        + " timed: every recipe meets the same seconds, connection and server state as the mutex it is divided"
                        + " by. The subjects above ran one after another, each in its own JVM, and their ratios carry the"
                        + " server's drift between them. The targets use these ratios.\n\n");
        md.append("| backend | recipe | p50 µs | p99 µs | mean µs | ÷ mutex, paired | samples |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        md.append(rows);
    }

    /** The requests the server received per uncontended cycle of a subject (n/a in memory, or in older runs). */
    private String serverRequests(String subject) {
        return num(value(set.sidecar(Sidecar.name("cycle", subject, 1)), "serverRequestsPerCycle"));
    }

    /** The peers a group is compared with under contention: in memory, both the barging and the FIFO-fair lock. */
    private static List<String> peers(String[] group) {
        return group[0].equals("inmemory") ? List.of("reentrantlock", "reentrantlock-fair") : List.of(group[2]);
    }

    /** The backend a subject runs on ({@code other} for one the groups above do not name). */
    static String backendOf(String subject) {
        for (String[] g : GROUPS) {
            if (Arrays.asList(g).subList(1, g.length).contains(subject) || peers(g).contains(subject)) {
                return g[0];
            }
        }
        return "other";
    }

    /** The backends in the order the tables show them. */
    static List<String> backends() {
        return Arrays.stream(GROUPS).map(g -> g[0]).toList();
    }

    /** Whether the subject is a floor: the fewest writes a lock needs on its server, with no exclusion. */
    static boolean isFloor(String subject) {
        return Arrays.stream(GROUPS)
                .anyMatch(g -> Arrays.asList(g).subList(3, g.length).contains(subject));
    }

    /** The floors measured on a backend's server. */
    static List<String> floors(String backend) {
        return Arrays.stream(GROUPS)
                .filter(g -> g[0].equals(backend))
                .flatMap(g -> Arrays.asList(g).subList(3, g.length).stream())
                .toList();
    }

    private void contention() {
        md.append("\n## b. Contention on one lock (contenders spread over two clients)\n\n");
        md.append("Hand-off: from the holder's release call to the next holder's acquire returning. Requests per"
                + " hand-off are Baton's SPI calls (keep-alives apart) divided by acquisitions. Overlaps: acquisitions"
                + " that returned while another contender held the lock (must be 0 for a lock).\n\n");
        md.append("| backend | contenders | Baton hand-offs/s | peer | peer hand-offs/s | Baton ÷ peer | Baton hand-off"
                + " p50 / p99 µs | peer hand-off p50 / p99 µs | Baton requests per hand-off | overlaps Baton / peer"
                + " |\n");
        md.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (String[] g : GROUPS) {
            double minRequests = Double.MAX_VALUE;
            double maxRequests = 0;
            for (int n : CONTENDERS) {
                Optional<Result> baton = set.find("Contention", g[1], n);
                if (baton.isEmpty()) {
                    continue;
                }
                double b = baton.get().score();
                Map<String, String> bs = set.sidecar(Sidecar.name("contention", g[1], n));
                double requests = value(bs, "requestsPerHandOff");
                if (n >= 4 && !Double.isNaN(requests)) {
                    minRequests = Math.min(minRequests, requests);
                    maxRequests = Math.max(maxRequests, requests);
                }
                if (!"0".equals(bs.getOrDefault("overlaps", "0"))) {
                    targets.add(new String[] {
                        "b. " + g[0] + ", " + n + " contenders: no two holders at once",
                        bs.get("overlaps") + " overlaps",
                        met(false)
                    });
                }
                for (String peerName : peers(g)) {
                    double p = set.find("Contention", peerName, n)
                            .map(Result::score)
                            .orElse(Double.NaN);
                    Map<String, String> ps = set.sidecar(Sidecar.name("contention", peerName, n));
                    md.append(row(
                            g[0],
                            Integer.toString(n),
                            num(b),
                            "`" + peerName + "`",
                            num(p),
                            ratio(b / p),
                            num(value(bs, "handOffP50Micros")) + " / " + num(value(bs, "handOffP99Micros")),
                            num(value(ps, "handOffP50Micros")) + " / " + num(value(ps, "handOffP99Micros")),
                            num(requests),
                            bs.getOrDefault("overlaps", "n/a") + " / " + ps.getOrDefault("overlaps", "n/a")));
                    if (g[0].equals("zookeeper")) {
                        targets.add(new String[] {
                            "b. zookeeper, " + n + " contenders: hand-offs/s at least `curator-mutex`'s",
                            "Baton ÷ curator-mutex = " + ratio(b / p),
                            met(b >= p)
                        });
                    } else if (g[0].equals("etcd")) {
                        targets.add(new String[] {
                            "b. etcd, " + n + " contenders: at least 4× the hand-offs/s of `jetcd-lock`",
                            "Baton ÷ jetcd-lock = " + ratio(b / p),
                            met(b >= 4 * p)
                        });
                    } else {
                        targets.add(new String[] {
                            "b. inmemory, " + n + " contenders: within 3× of `" + peerName + "` (hand-offs/s)",
                            peerName + " ÷ Baton = " + ratio(p / b),
                            met(p / b <= 3)
                        });
                    }
                }
            }
            if (maxRequests > 0) {
                targets.add(new String[] {
                    "b. " + g[0] + ": requests per hand-off flat from 4 to 64 contenders (spread ≤ 10%)",
                    "from " + num(minRequests) + " to " + num(maxRequests),
                    met(maxRequests <= minRequests * 1.10)
                });
            }
        }
    }

    private void manyLocks() {
        md.append("\n## c. Many locks (1,000 names, 16 threads over two clients)\n\n");
        md.append("| backend | Baton acquisitions/s | peer | peer acquisitions/s | Baton ÷ peer |\n");
        md.append("|---|---:|---|---:|---:|\n");
        for (String[] g : GROUPS) {
            Optional<Result> baton = set.find("ManyLocks", g[1], -1);
            if (baton.isEmpty()) {
                continue;
            }
            double b = baton.get().score();
            for (String peerName : peers(g)) {
                double p =
                        set.find("ManyLocks", peerName, -1).map(Result::score).orElse(Double.NaN);
                md.append(row(g[0], num(b), "`" + peerName + "`", num(p), ratio(b / p)));
            }
        }
    }

    private void failover() {
        md.append("\n## d. Failover (leader killed without resigning, or resigning; next leader elected)\n\n");
        md.append("| backend | how the leader left | session TTL ms | trials | median ms | max ms | target |\n");
        md.append("|---|---|---:|---:|---:|---:|---|\n");
        for (Result r : set.of("Failover")) {
            String backend = r.param("backend");
            String mode = r.param("mode");
            long ttl = Long.parseLong(r.param("ttlMillis"));
            double median = r.percentile(50);
            boolean kill = mode.equals("kill");
            String target = kill ? "≤ TTL + 1 s = " + (ttl + 1000) + " ms" : "";
            md.append(row(
                    backend,
                    kill ? "killed" : "resigned",
                    Long.toString(ttl),
                    Integer.toString(r.raw().size()),
                    num(median),
                    num(r.max()),
                    target));
            if (kill) {
                targets.add(new String[] {
                    "d. " + backend + ": failover after a kill within TTL + 1 s (max of "
                            + r.raw().size() + " trials)",
                    "median " + num(median) + " ms, max " + num(r.max()) + " ms, TTL " + ttl + " ms",
                    met(r.max() <= ttl + 1000)
                });
            }
        }
    }

    private void held() {
        md.append("\n## e. One coordinator holding many mutexes\n\n");
        md.append("Heap: used heap after full GCs, after minus before acquiring, divided by the count (client side"
                + " only for etcd and ZooKeeper; the in-memory backend's server state is in the same heap).\n\n");
        md.append("| backend | mutexes held | heap bytes per mutex | keep-alives/s | other requests/s while idle |"
                + " time to acquire all, s | still valid at the end | close (releases all), s |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        List<String[]> rows = new ArrayList<>();
        for (Result r : set.of("HeldMutexes")) {
            rows.add(new String[] {r.param("backend"), r.param("count")});
        }
        for (String[] g : GROUPS) {
            double first = Double.NaN;
            String firstCount = null;
            for (String[] row : rows) {
                if (!row[0].equals(g[0])) {
                    continue;
                }
                Map<String, String> s = set.sidecar(Sidecar.name("held", row[0], Long.parseLong(row[1])));
                double keepAlives = value(s, "keepAlivesPerSecond");
                md.append(row(
                        row[0],
                        row[1],
                        num(value(s, "heapBytesPerMutex")),
                        num(keepAlives),
                        num(value(s, "otherRequestsPerSecond")),
                        num(value(s, "acquireSeconds")),
                        s.getOrDefault("validAtEnd", "n/a"),
                        num(value(s, "closeSeconds"))
                                + ("none".equals(s.getOrDefault("closeError", "none"))
                                        ? ""
                                        : " (failed: " + s.get("closeError") + ")")));
                if (firstCount == null) {
                    first = keepAlives;
                    firstCount = row[1];
                } else {
                    targets.add(new String[] {
                        "e. " + g[0] + ": keep-alive cost flat from " + firstCount + " to " + row[1] + " mutexes",
                        num(first) + " → " + num(keepAlives) + " keep-alives/s",
                        met(keepAlives <= first * 1.10 + 0.01)
                    });
                }
            }
        }
    }

    /** Scenario f, from the {@link OneRequestBenchmark} sidecars; nothing for a run from before it was measured. */
    private void oneRequest() {
        StringBuilder rows = new StringBuilder();
        for (String backend : backends()) {
            Map<String, String> s = set.sidecar(Sidecar.name("request", backend, 0));
            if (s.isEmpty()) {
                continue;
            }
            for (String call : OneRequestBenchmark.CALLS) {
                double spi = value(s, call + ".spi.meanMicros");
                double raw = value(s, call + ".raw.meanMicros");
                rows.append(row(
                        backend,
                        "`" + call + "`",
                        num(spi),
                        num(value(s, call + ".spi.p50Micros")) + " / " + num(value(s, call + ".spi.p99Micros")),
                        num(raw),
                        num(value(s, call + ".raw.p50Micros")) + " / " + num(value(s, call + ".raw.p99Micros")),
                        ratio(spi / raw),
                        s.getOrDefault(call + ".spi.samples", "n/a")));
            }
        }
        if (rows.length() == 0) {
            return;
        }
        md.append("\n## f. One request (a Baton SPI call beside the raw client call, same connection, one thread)\n\n");
        md.append("`get`: SPI `get` beside jetcd's `KV.get` or ZooKeeper's `getData` of the same key. `cas`: SPI"
                + " `compareAndSet` (no lease) beside the requests it sends, made raw: on etcd one `Txn` (mod revision,"
                + " then put), on ZooKeeper a `getData` then a `multi` of one versioned `setData`. The calls alternate"
                + " which side goes first. `SPI ÷ raw`: the mean of the SPI call divided by the raw one's.\n\n");
        md.append("| backend | call | SPI mean µs | SPI p50 / p99 µs | raw mean µs | raw p50 / p99 µs | SPI ÷ raw |"
                + " samples each |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        md.append(rows);
    }

    private void targets() {
        md.append("\n## Targets\n\n| target | measured | met |\n|---|---|---|\n");
        for (String[] t : targets) {
            md.append(row(t));
        }
    }

    private static double value(Map<String, String> sidecar, String key) {
        String v = sidecar.get(key);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String met(boolean met) {
        return met ? "yes" : "**no**";
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2f×", v);
    }
}
