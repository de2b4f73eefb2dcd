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
package dev.baton.campaign;

import dev.baton.lock.tck.HistoryChecker;
import dev.baton.lock.tck.HistoryTimeline;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fault campaign's orchestrator: starts the backend's servers as processes, the fenced resource, the client JVMs
 * (each behind its own proxies), runs the seeded nemesis for the given duration, stops everyone, waits for the server
 * to be empty, and checks the histories. Prints a summary and exits with 1 when a safety check fails.
 *
 * <p>Usage: {@code Campaign --backend etcd|zookeeper|consul [--duration 300s] [--seed N] [--clients 5] [--out dir]}.
 */
public final class Campaign {
    /** What to run. */
    record Config(String backend, Duration duration, long seed, int clients, Path outDir) {
        Duration ttl() {
            // Consul accepts no session TTL under 10 s.
            return backend.equals("consul") ? Duration.ofSeconds(10) : Duration.ofSeconds(2);
        }

        String command() {
            String binary = System.getenv("BATON_ETCD_BINARY");
            String env = backend.equals("etcd") && binary != null && !binary.isBlank()
                    ? "BATON_ETCD_BINARY=" + binary + " "
                    : "";
            return env + "lock-campaign/run --backend " + backend + " --duration " + duration.toSeconds() + "s --seed "
                    + seed + " --clients " + clients;
        }
    }

    /** The figures of one run. */
    record Result(
            Config config,
            String serverVersion,
            long acquisitions,
            long elections,
            Map<Nemesis.Kind, Integer> faults,
            HistoryChecker.Report locks,
            HistoryChecker.Report terms,
            long singletonRuns,
            HistoryChecker.Report singletons,
            long staleAccepted,
            long acceptedFromSuperseded,
            long writesRejected,
            long writesAfterTold,
            long writesAfterDeadline,
            long silentLosses,
            long releasesOverOneSecond,
            long longestReleaseMillis,
            long longestGapMillis,
            long longestGapOutsideServerFaultsMillis,
            long gapsOverBoundOutsideServerFaults,
            long boundMillis,
            List<String> leftovers,
            int clientsNotClosed,
            int clockChecks,
            int clockChecksFailed,
            String firstViolations) {
        int faultCount() {
            return faults.values().stream().mapToInt(Integer::intValue).sum();
        }

        boolean safe() {
            return locks.overlaps() == 0
                    && locks.tokenOrderViolations() == 0
                    && terms.overlaps() == 0
                    && terms.tokenOrderViolations() == 0
                    && singletons.overlaps() == 0
                    && staleAccepted == 0
                    && leftovers.isEmpty()
                    && clockChecksFailed == 0;
        }
    }

    private Campaign() {}

    /**
     * Runs a campaign from the command line.
     *
     * @param args see the class comment
     * @throws Exception if the campaign could not run
     */
    public static void main(String[] args) throws Exception {
        String backend = null;
        Duration duration = Duration.ofSeconds(300);
        long seed = System.currentTimeMillis();
        int clients = 5;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--backend" -> backend = value;
                case "--duration" -> duration = parseDuration(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--clients" -> clients = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                default -> usage("unknown argument " + args[i]);
            }
            i++;
        }
        if (backend == null || !List.of("etcd", "zookeeper", "consul").contains(backend)) {
            usage("--backend must be etcd, zookeeper or consul");
        }
        if (out == null) {
            out = Files.createTempDirectory("baton-campaign-" + backend + "-");
        }
        Result result = run(new Config(backend, duration, seed, clients, out), System.out);
        System.exit(result.safe() ? 0 : 1);
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: lock-campaign/run --backend etcd|zookeeper|consul [--duration 300s]"
                + " [--seed N] [--clients 5] [--out dir]");
        System.exit(2);
    }

    static Duration parseDuration(String text) {
        if (text == null || !text.matches("\\d+(ms|s|m)?")) {
            throw new IllegalArgumentException(
                    "--duration must be a number with ms, s or m, such as 300s; got " + text);
        }
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(text.replace("s", "")));
    }

    /** Starts the servers for {@code config}'s backend. */
    static Servers startServers(Config config) {
        switch (config.backend()) {
            case "etcd": {
                Path binary = EtcdServers.binary();
                if (binary == null) {
                    throw new IllegalStateException("no etcd binary: set BATON_ETCD_BINARY or put etcd on the PATH");
                }
                return EtcdServers.start(binary, config.outDir());
            }
            case "zookeeper":
                return ZooKeeperEnsemble.start(config.outDir());
            default:
                return ConsulEmulatorServer.start(config.outDir());
        }
    }

    /**
     * Runs one campaign and prints its summary to {@code out}.
     *
     * @return the figures
     */
    static Result run(Config config, PrintStream out) throws Exception {
        Files.createDirectories(config.outDir());
        try (var files = Files.list(config.outDir())) {
            if (files.anyMatch(f -> f.getFileName().toString().endsWith(".events"))) {
                // Clients append to their event logs: an earlier run's logs would mix two histories.
                throw new IllegalArgumentException("--out " + config.outDir()
                        + " already holds a campaign's event logs; give an empty or new directory");
            }
        }
        out.printf(
                "campaign: backend %s, %d s, seed %d, %d clients, session TTL %d ms, logs in %s%n  rerun: %s%n",
                config.backend(),
                config.duration().toSeconds(),
                config.seed(),
                config.clients(),
                config.ttl().toMillis(),
                config.outDir(),
                config.command());
        List<ClientProcess> clients = new ArrayList<>();
        try (Servers servers = startServers(config);
                FencedResource resource = new FencedResource()) {
            String version = servers instanceof EtcdServers e ? e.version() : "";
            List<String> fixed = List.of(
                    "backend=" + config.backend(),
                    "resource=" + resource.port(),
                    "ttlMillis=" + config.ttl().toMillis());
            for (int i = 0; i < config.clients(); i++) {
                ClientProcess c = new ClientProcess(i, servers, config.outDir(), fixed, config.seed());
                clients.add(c);
                c.start();
            }
            Duration ttl = config.ttl();
            // About one fault per 4-9 s with the 2 s TTL (over 30 in 5 minutes), fewer with Consul's 10 s TTL.
            Nemesis nemesis = new Nemesis(
                    config.seed(),
                    servers,
                    clients,
                    resource,
                    ttl,
                    ttl.multipliedBy(3).dividedBy(4),
                    ttl.multipliedBy(2));
            long start = System.nanoTime();
            out.printf(
                    "  started at %s on %d cores, load average %s; nemesis runs for %d s%n",
                    Instant.now(),
                    Runtime.getRuntime().availableProcessors(),
                    loadAverage(),
                    config.duration().toSeconds());
            nemesis.run(start + config.duration().toNanos());
            out.printf(
                    "  nemesis done after %d faults; stopping the clients%n",
                    nemesis.faults().size());
            servers.awaitHealthy(Duration.ofSeconds(30));
            int notClosed = 0;
            for (ClientProcess c : clients) {
                c.heal();
            }
            for (ClientProcess c : clients) {
                if (!c.stop(30_000)) {
                    notClosed++;
                }
            }
            List<String> leftovers = awaitEmpty(
                    servers, ttl.multipliedBy(2).plus(servers.expirySlack(ttl)).plusSeconds(10));
            List<Path> logs = new ArrayList<>();
            for (ClientProcess c : clients) {
                logs.addAll(c.eventLogs());
                c.closeProxies();
            }
            History history = History.read(logs);
            record(config.outDir(), resource, nemesis.faults());
            out.printf("  machine load average at the end: %s%n", loadAverage());
            Result result = judge(config, version, history, resource, nemesis.faults(), servers, leftovers, notClosed);
            print(result, out);
            writeTimeline(result, history, nemesis.faults(), out);
            return result;
        } finally {
            for (ClientProcess c : clients) {
                if (c.alive()) {
                    c.kill();
                }
                c.closeProxies();
            }
        }
    }

    /** The machine's 1, 5 and 15 minute load averages, to say how busy it was. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Keeps the resource's decisions and the faults beside the clients' logs, one line each. */
    private static void record(Path dir, FencedResource resource, List<Nemesis.Fault> faults)
            throws java.io.IOException {
        Files.write(
                dir.resolve("resource.writes"),
                resource.writes().stream()
                        .map(w -> w.nanos() + " " + (w.accepted() ? "ACCEPT" : "REJECT") + " " + w.client() + " "
                                + w.token() + " " + w.seq() + " highest-before " + w.highestBefore())
                        .toList());
        Files.write(
                dir.resolve("nemesis.faults"),
                faults.stream()
                        .map(f -> f.startNanos() + " " + f.endNanos() + " " + f.kind() + " " + f.target())
                        .toList());
    }

    /** Draws the run as {@code timeline.html} in the output directory (issue 17): holds, faults, violations. */
    static void writeTimeline(Result r, History history, List<Nemesis.Fault> faults, PrintStream out) {
        Config c = r.config();
        HistoryTimeline.Builder timeline = HistoryTimeline.builder("Fault campaign: " + c.backend() + ", seed "
                        + c.seed() + ", " + c.duration().toSeconds() + " s")
                .note("lock: " + r.locks().summary())
                .note("election: " + r.terms().summary())
                .note("rerun: " + c.command());
        for (Nemesis.Fault f : faults) {
            timeline.fault(f.kind() + " " + f.target(), f.startNanos(), f.endNanos());
        }
        Path file = c.outDir().resolve("timeline.html");
        try {
            history.drawOn(timeline, r.locks(), r.terms(), r.singletons())
                    .build()
                    .write(file);
            out.println("timeline: " + file.toAbsolutePath());
        } catch (java.io.IOException | RuntimeException e) {
            out.println("timeline not written: " + e);
        }
    }

    private static List<String> awaitEmpty(Servers servers, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> left = servers.leftovers();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            left = servers.leftovers();
        }
        return left;
    }

    private static Result judge(
            Config config,
            String version,
            History history,
            FencedResource resource,
            List<Nemesis.Fault> faults,
            Servers servers,
            List<String> leftovers,
            int notClosed) {
        Map<Nemesis.Kind, Integer> byKind = new EnumMap<>(Nemesis.Kind.class);
        for (Nemesis.Fault f : faults) {
            byKind.merge(f.kind(), 1, Integer::sum);
        }
        HistoryChecker.Report locks = history.checkLocks();
        HistoryChecker.Report terms = history.checkTerms();
        List<FencedResource.Write> writes = resource.writes();
        long[] stale = history.staleAccepted(writes);
        long rejected = writes.stream().filter(w -> !w.accepted()).count();
        long[] afterLoss = history.writesAfterLoss();
        Duration ttl = config.ttl();
        long bound = ttl.plus(servers.expirySlack(ttl)).toNanos();
        // A server fault may hold up every acquisition: its window runs to TTL + slack after it was undone.
        List<History.Gap> gaps = history.gaps();
        long longest = gaps.isEmpty() ? 0 : gaps.get(0).nanos();
        long longestOutside = 0;
        long overBound = 0;
        for (History.Gap g : gaps) {
            boolean duringServerFault = faults.stream()
                    .anyMatch(f -> f.serverSide() && g.from() < f.endNanos() + bound && g.to() > f.startNanos());
            if (!duringServerFault) {
                longestOutside = Math.max(longestOutside, g.nanos());
                if (g.nanos() > bound) {
                    overBound++;
                }
            }
        }
        List<FencedResource.ClockCheck> clocks = resource.clockChecks();
        StringBuilder violations = new StringBuilder();
        locks.violations().stream()
                .limit(5)
                .forEach(v -> violations.append("  lock: ").append(v).append('\n'));
        terms.violations().stream()
                .limit(5)
                .forEach(v -> violations.append("  election: ").append(v).append('\n'));
        history.checkSingletonRuns().violations().stream()
                .limit(5)
                .forEach(v -> violations.append("  singleton: ").append(v).append('\n'));
        return new Result(
                config,
                version,
                history.locks.size(),
                history.terms.size(),
                byKind,
                locks,
                terms,
                history.singletonRuns.size(),
                history.checkSingletonRuns(),
                stale[0],
                stale[1],
                rejected,
                afterLoss[0],
                afterLoss[1],
                history.silentLosses(),
                history.slowReleases()[0],
                history.slowReleases()[1],
                longest / 1_000_000,
                longestOutside / 1_000_000,
                overBound,
                bound / 1_000_000,
                leftovers,
                notClosed,
                clocks.size(),
                (int) clocks.stream().filter(c -> !c.ok()).count(),
                violations.toString());
    }

    static void print(Result r, PrintStream out) {
        Config c = r.config();
        out.printf(
                Locale.ROOT,
                "%n== campaign summary: %s%s, %d s, seed %d, %d clients ==%n",
                c.backend(),
                r.serverVersion().isEmpty() ? "" : " " + r.serverVersion(),
                c.duration().toSeconds(),
                c.seed(),
                c.clients());
        out.printf(
                Locale.ROOT,
                "acquisitions                         %d (lock), %d (election terms), %d (singleton runs)%n",
                r.acquisitions(),
                r.elections(),
                r.singletonRuns());
        out.printf(Locale.ROOT, "faults                               %d: %s%n", r.faultCount(), r.faults());
        out.printf(
                Locale.ROOT,
                "overlaps between valid holders       %d (must be 0)%n",
                r.locks().overlaps());
        out.printf(
                Locale.ROOT,
                "token order violations               %d (must be 0)%n",
                r.locks().tokenOrderViolations());
        out.printf(
                Locale.ROOT,
                "two valid leaders at once            %d (must be 0); term token order violations %d%n",
                r.terms().overlaps(),
                r.terms().tokenOrderViolations());
        out.printf(
                Locale.ROOT,
                "two singleton tasks running at once  %d (must be 0)%n",
                r.singletons().overlaps());
        out.printf(
                Locale.ROOT,
                "stale writes accepted                %d (must be 0); %d stale writes rejected%n",
                r.staleAccepted(),
                r.writesRejected());
        out.printf(
                Locale.ROOT,
                "writes accepted from a superseded holder (before the newer holder's first write) %d%n",
                r.acceptedFromSuperseded());
        out.printf(
                Locale.ROOT,
                "writes sent after onLost             %d; after the holder's logged deadline %d%n",
                r.writesAfterTold(),
                r.writesAfterDeadline());
        out.printf(
                Locale.ROOT,
                "losses never told (released > 100 ms past the deadline without onLost) %d%n",
                r.silentLosses());
        out.printf(
                Locale.ROOT,
                "release calls over 1 s                %d; longest %d ms%n",
                r.releasesOverOneSecond(),
                r.longestReleaseMillis());
        out.printf(
                Locale.ROOT,
                "longest time with no holder          %d ms overall; %d ms outside server faults"
                        + " (bound TTL + slack = %d ms, %d gaps over it)%n",
                r.longestGapMillis(),
                r.longestGapOutsideServerFaultsMillis(),
                r.boundMillis(),
                r.gapsOverBoundOutsideServerFaults());
        out.printf(
                Locale.ROOT,
                "left on the server after close       %d %s (must be 0)%n",
                r.leftovers().size(),
                r.leftovers().isEmpty() ? "" : r.leftovers());
        out.printf(Locale.ROOT, "clients that did not close in 30 s   %d%n", r.clientsNotClosed());
        out.printf(
                Locale.ROOT,
                "clock checks (shared CLOCK_MONOTONIC) %d, failed %d%n",
                r.clockChecks(),
                r.clockChecksFailed());
        if (!r.firstViolations().isEmpty()) {
            out.print("violations:\n" + r.firstViolations());
        }
        out.println(
                (r.safe() ? "RESULT: PASS" : "RESULT: FAIL") + " (seed " + c.seed() + "; rerun: " + c.command() + ")");
    }
}
