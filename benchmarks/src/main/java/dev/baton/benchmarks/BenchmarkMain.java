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

import dev.baton.etcd.EtcdCluster;
import dev.baton.zookeeper.ZooKeeperServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.apache.curator.test.TestingServer;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every scenario under one profile: starts a local etcd process and an in-JVM ZooKeeper server (the test
 * fixtures), runs the JMH benchmarks against them, and writes to the output directory {@code results.json} (JMH's
 * JSON, all runs), {@code sidecars/} (the figures JMH has no slot for), {@code run.properties} (profile, machine,
 * duration), then, from those files, {@code summary.md} (the ratios) and the SVG charts.
 *
 * <p>Usage: {@code BenchmarkMain [quick|full] [output-dir]}; {@code -Dbaton.bench.only=<regex>} keeps only the
 * benchmarks whose class name matches it whole (a regex that is invalid or matches none stops the run before the
 * servers start, with exit status 2 and a message listing the names); {@code -Dbaton.test.storage=disk} runs the
 * servers on a syncing disk (the {@code fsync} variant, see {@code variant()}); {@code -Dbaton.bench.forkArgs=...}
 * adds arguments to every forked JVM ({@link #FORK_ARGS}). {@code BenchmarkMain summarize DIR} and
 * {@code BenchmarkMain compare OUT LABEL=DIR...} redo only the last step on stored runs (see {@link Report}).
 */
public final class BenchmarkMain {
    /**
     * The system property holding extra arguments for every forked benchmark JVM, separated by spaces, such as a
     * profiler's: {@code -Dbaton.bench.forkArgs=-XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile} (given an
     * existing directory, each fork records to a file of its own there).
     */
    static final String FORK_ARGS = "baton.bench.forkArgs";

    /** The system property holding the regex that keeps only the benchmarks whose class name it matches whole. */
    static final String ONLY = "baton.bench.only";

    private BenchmarkMain() {}

    /**
     * Runs the benchmarks.
     *
     * @param args the profile ({@code quick} by default) and the output directory ({@code
     *     benchmarks/target/benchmark-results/<profile>} by default); or {@code summarize DIR}, or {@code compare OUT
     *     LABEL=DIR...}
     * @throws Exception if a server could not start, a benchmark failed, or the results could not be written
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("summarize") || args[0].equals("compare"))) {
            Report.main(args);
            return;
        }
        Profile profile = Profile.of(args.length > 0 ? args[0] : "quick");
        String only = System.getProperty(ONLY, ".*");
        Pattern selected;
        try {
            selected = selection(only, benchmarks(profile));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path out = Paths.get(args.length > 1 ? args[1] : "benchmarks/target/benchmark-results/" + profile.id())
                .toAbsolutePath();
        Path sidecars = out.resolve(ResultSet.SIDECARS);
        deleteTree(sidecars);
        Files.createDirectories(sidecars);
        long started = System.nanoTime();
        List<RunResult> results = new ArrayList<>();
        // The uncontended scenario counts ZooKeeper's requests with `mntr` (ServerCounters), which the server answers
        // only when whitelisted; set before the server starts.
        System.setProperty(ServerCounters.ZOOKEEPER_WHITELIST, "srvr,mntr");
        try (EtcdCluster etcd = EtcdCluster.start(1);
                TestingServer zookeeper = ZooKeeperServers.newServer()) {
            String[] properties = {
                "-D" + Servers.ETCD + "=" + etcd.endpoints()[0],
                "-D" + Servers.ZOOKEEPER + "=" + zookeeper.getConnectString(),
                "-D" + Sidecar.DIR + "=" + sidecars
            };
            for (String p : properties) {
                String[] kv = p.substring(2).split("=", 2);
                System.setProperty(kv[0], kv[1]);
            }
            properties = withForkArgs(properties, System.getProperty(FORK_ARGS, ""));
            if (profile == Profile.FULL) {
                ServerWarmUp.zookeeper(zookeeper.getConnectString(), Duration.ofSeconds(20));
            }
            for (Run run : runs(profile, properties)) {
                if (selected.matcher(run.benchmark).matches()) {
                    results.addAll(new Runner(run.options.include(run.benchmark).build()).run());
                }
            }
        }
        if (results.isEmpty()) {
            throw new RunnerException("no benchmark matched " + ONLY + "=" + only);
        }
        ResultFormatFactory.getInstance(
                        ResultFormatType.JSON, out.resolve(ResultSet.RESULTS).toString())
                .writeOut(results);
        ResultSet.writeRun(out, Summary.runProperties(profile, variant(), (System.nanoTime() - started) / 1e9));
        List<String> written = Report.summarize(out);
        System.out.println(Files.readString(out.resolve("summary.md")));
        System.out.println("Wrote " + out.resolve(ResultSet.RESULTS));
        written.forEach(System.out::println);
        // jetcd and Curator leave non-daemon threads behind when the benchmarks ran in this JVM (quick profile).
        System.exit(0);
    }

    /** The forked JVMs' arguments: {@code properties}, then the space-separated {@code extra} ones, if any. */
    static String[] withForkArgs(String[] properties, String extra) {
        List<String> args = new ArrayList<>(List.of(properties));
        for (String arg : extra.trim().split(" +")) {
            if (!arg.isEmpty()) {
                args.add(arg);
            }
        }
        return args.toArray(String[]::new);
    }

    /**
     * The storage variant the servers run on: {@code tmpfs} by default (etcd's data dir on tmpfs, ZooKeeper's log
     * not synced), {@code fsync} with {@code -Dbaton.test.storage=disk} (both on the disk, every write synced, as users
     * run them). The fixtures read the same property (EtcdCluster, ZooKeeperServers).
     */
    private static String variant() {
        return "disk".equals(System.getProperty("baton.test.storage")) ? "fsync" : "tmpfs";
    }

    /**
     * Compiles the {@link #ONLY} regex and checks that it matches at least one of the benchmarks, whole (as {@link
     * String#matches(String)} does), so that a mistyped selection fails before the servers start rather than after
     * running nothing.
     *
     * @param regex the regex
     * @param benchmarks the benchmark class names it may match
     * @return the compiled regex
     * @throws IllegalArgumentException if the regex is invalid or matches none of the benchmarks; the message names the
     *     regex and the benchmarks
     */
    static Pattern selection(String regex, List<String> benchmarks) {
        String names = String.join(", ", benchmarks);
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "-D" + ONLY + "=" + regex + " is not a valid regular expression (" + e.getDescription()
                            + " near index " + e.getIndex() + "); it selects among: " + names,
                    e);
        }
        if (benchmarks.stream().noneMatch(b -> pattern.matcher(b).matches())) {
            throw new IllegalArgumentException("-D" + ONLY + "=" + regex + " matches no benchmark: it must match a"
                    + " whole class name (such as 'Contention.*'), one of: " + names);
        }
        return pattern;
    }

    /** The benchmark class names the profile runs, in their order, each once. */
    static List<String> benchmarks(Profile profile) {
        return runs(profile, new String[0]).stream()
                .map(Run::benchmark)
                .distinct()
                .toList();
    }

    /** One {@link Runner} run: a benchmark class and its options. */
    private record Run(String benchmark, ChainedOptionsBuilder options) {}

    private static List<Run> runs(Profile profile, String[] properties) {
        List<Run> runs = new ArrayList<>();
        // The recipes added last run shorter (half the measuring) to keep the full profile's length; their ratio to
        // the mutex compares means, which a shorter run measures as well, if with a little more noise.
        String cycle = UncontendedCycleBenchmark.class.getSimpleName();
        List<String> subjects = UncontendedCycleBenchmark.subjects();
        // JMH's GC profiler adds the bytes allocated per cycle (gc.alloc.rate.norm) to the cycle results.
        runs.add(new Run(
                cycle,
                timed(profile, properties)
                        .param("subject", only(subjects, false))
                        .addProfiler(GCProfiler.class)));
        runs.add(new Run(
                cycle,
                shortTimed(profile, properties)
                        .param("subject", only(subjects, true))
                        .addProfiler(GCProfiler.class)));
        runs.add(new Run(PairedCycleBenchmark.class.getSimpleName(), timed(profile, properties)));
        runs.add(new Run(BesidePeerBenchmark.class.getSimpleName(), timed(profile, properties)));
        runs.add(new Run(OneRequestBenchmark.class.getSimpleName(), shortTimed(profile, properties)));
        for (int contenders : profile.contenders) {
            runs.add(new Run(
                    ContentionBenchmark.class.getSimpleName(),
                    timed(profile, properties).threads(contenders)));
        }
        runs.add(new Run(ManyLocksBenchmark.class.getSimpleName(), timed(profile, properties)));
        runs.add(new Run(
                FailoverBenchmark.class.getSimpleName(),
                base(profile, properties)
                        .param("ttlMillis", Long.toString(profile.failoverTtlMillis))
                        .warmupIterations(profile.failoverWarmups)
                        .measurementIterations(profile.failoverTrials)));
        runs.add(new Run(
                HeldMutexesBenchmark.class.getSimpleName(),
                base(profile, properties)
                        .param("count", profile.heldCounts.toArray(new String[0]))
                        .param("ttlMillis", Long.toString(profile.heldTtlMillis))
                        .param("windowMillis", Long.toString(profile.heldWindowMillis))
                        .warmupIterations(profile.heldWarmups)
                        .measurementIterations(profile.heldWindows)));
        return runs;
    }

    private static ChainedOptionsBuilder base(Profile profile, String[] properties) {
        return new OptionsBuilder()
                .forks(profile.forks)
                .jvmArgsAppend(properties)
                .shouldFailOnError(true)
                // A full GC between iterations keeps one iteration's garbage out of the next; the quick profile,
                // which only checks that everything runs, saves the time.
                .shouldDoGC(profile == Profile.FULL);
    }

    private static ChainedOptionsBuilder timed(Profile profile, String[] properties) {
        return base(profile, properties)
                .warmupIterations(profile.warmups)
                .warmupTime(TimeValue.milliseconds(Math.max(1, profile.warmupMillis)))
                .measurementIterations(profile.measurements)
                .measurementTime(TimeValue.milliseconds(profile.measurementMillis));
    }

    /** A shorter measurement: one warm-up (if the profile has any) and half the measurement iterations. */
    private static ChainedOptionsBuilder shortTimed(Profile profile, String[] properties) {
        return timed(profile, properties)
                .warmupIterations(Math.min(1, profile.warmups))
                .measurementIterations(Math.max(1, profile.measurements / 2));
    }

    /** The subjects that are, or are not, of the {@link UncontendedCycleBenchmark#SHORT_RECIPES}. */
    private static String[] only(List<String> subjects, boolean shortRecipes) {
        return subjects.stream()
                // Baton's subjects only: the floor etcd-txn-lease ends with "-lease" too, and belongs with the mutex.
                .filter(s -> (s.startsWith("baton-")
                                && UncontendedCycleBenchmark.SHORT_RECIPES.stream()
                                        .anyMatch(r -> s.endsWith("-" + r)))
                        == shortRecipes)
                .toArray(String[]::new);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
