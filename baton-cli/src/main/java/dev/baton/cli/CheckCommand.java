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
package dev.baton.cli;

import dev.baton.lock.Coordinator;
import dev.baton.lock.spi.ConnectionUri;
import dev.baton.lock.tck.HistoryChecker;
import dev.baton.lock.tck.HistoryRecorder;
import dev.baton.lock.tck.HistoryTimeline;
import dev.baton.lock.tck.HoldRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code baton check}: a short, bounded contention run against the user's cluster, judged by the conformance kit's
 * history checker. Runs once, on the main thread, which drives the run; the workers are {@link ContentionRun}'s.
 */
@Command(
        name = "check",
        sortOptions = false,
        description = {
            "Self-tests a deployment: --clients coordinators, plus one more that reaches the cluster through loopback"
                    + " TCP proxies, take one lock (named baton-check/RANDOM) in turn for --duration. A fifth of the"
                    + " way in, the proxies stop forwarding while that coordinator holds the lock: a network partition"
                    + " between it and every server, made without access to the servers.",
            "Prints the acquisitions, overlaps and fencing-token order violations that the kit's history checker"
                    + " found, the hand-off latency, how long before the next holder the cut-off holder was told of"
                    + " its loss, and the failover time (from the cut to the next acquisition). Exits with 1 if any"
                    + " rule was broken or the failover did not happen within --duration. Leaves nothing on the"
                    + " server. (inmemory: has no network: its run has no cut.)",
            "With --html FILE, also draws the run as a timeline: one HTML page, a lane per coordinator, each"
                    + " acquisition with its fencing token, the cut shaded and any violation in red."
        })
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            defaultValue = "20s",
            description = "How long the run lasts (default: ${DEFAULT-VALUE}); at least (TTL + 2 s) / 0.8.")
    Duration duration;

    @Option(
            names = "--clients",
            paramLabel = "N",
            defaultValue = "3",
            description = "Coordinators that stay connected (default: ${DEFAULT-VALUE}), besides the one cut off.")
    int clients;

    @Option(
            names = "--hold",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            defaultValue = "10ms",
            description = "How long each acquisition holds the lock (default: ${DEFAULT-VALUE}).")
    Duration hold;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description = "Also write the run's timeline to FILE: a self-contained HTML page to open in a browser.")
    Path html;

    @Override
    public Integer call() throws InterruptedException {
        if (clients < 1) {
            throw new CliException(ExitCodes.USAGE, "--clients must be at least 1");
        }
        // The cut comes a fifth of the way in; the failover, about a TTL later, must fall within the run.
        Duration minimum = connection.ttl.plusSeconds(2).multipliedBy(5).dividedBy(4);
        if (duration.compareTo(minimum) < 0) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "--duration (" + Messages.seconds(duration) + ") must be at least (TTL + 2 s) / 0.8 ("
                            + Messages.seconds(minimum) + ") for the failover to fall within the run");
        }
        if (html != null) {
            Path dir = html.toAbsolutePath().getParent();
            if (Files.isDirectory(html) || dir == null || !Files.isDirectory(dir)) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "--html " + html + ": give a file in an existing directory (" + dir + " is not a directory)");
            }
        }
        // The backends' warnings (such as about the server's version) are part of a deployment's check.
        System.setProperty(Baton.LOG_LEVEL, "warn");
        String raw = connection.uri(System::getenv);
        connection.builder(raw); // checks the URI before anything starts
        ConnectionUri parsed = ConnectionUri.parse(raw, System::getenv);
        String lockName = "baton-check/" + UUID.randomUUID().toString().substring(0, 8);
        List<Coordinator> coordinators = new ArrayList<>();
        Optional<CutOff> cutOff = Optional.empty();
        HistoryRecorder recorder = new HistoryRecorder();
        ContentionRun run = new ContentionRun(recorder, lockName, hold);
        long start = 0;
        long end = 0;
        long cutAt = -1;
        long cutToken = -1;
        try {
            for (int i = 1; i <= clients; i++) {
                Coordinator coordinator = connection.builder(raw).build();
                coordinators.add(coordinator);
                run.start("client-" + i, coordinator, false);
            }
            cutOff = CutOff.start(raw, parsed);
            if (cutOff.isPresent()) {
                Coordinator isolated =
                        connection.builder(cutOff.get().proxiedUri()).build();
                coordinators.add(isolated);
                run.start("cut-off", isolated, true);
            }
            System.out.println("baton check: " + parsed + ", lock " + lockName + ", " + clients
                    + " coordinators" + (cutOff.isPresent() ? " + 1 to be cut off" : " (no network to cut)")
                    + ", TTL " + Messages.seconds(connection.ttl) + ", safety margin "
                    + Messages.seconds(connection.margin()) + ", duration " + Messages.seconds(duration));
            start = recorder.now(); // the run's time starts once every coordinator is connected
            sleepUntil(start + duration.toNanos() / 5, recorder);
            if (cutOff.isPresent()) {
                cutToken = run.awaitCutOffHolding(duration.dividedBy(5));
                if (cutToken >= 0) {
                    cutAt = recorder.now();
                    cutOff.get().cut();
                    run.awaitCutOffLoss(Duration.ofNanos(Math.max(0, start + duration.toNanos() - recorder.now())));
                }
            }
            sleepUntil(start + duration.toNanos(), recorder);
            run.stop();
            end = recorder.now();
        } finally {
            cutOff.ifPresent(CutOff::heal);
            for (Coordinator coordinator : coordinators) {
                Messages.closeWithin(coordinator, Duration.ofSeconds(5));
            }
            cutOff.ifPresent(CutOff::close);
        }
        HistoryChecker.Report checked = HistoryChecker.check(recorder.history());
        int exitCode = report(checked, run, cutOff.isPresent(), cutAt, cutToken, start);
        if (html != null) {
            writeTimeline(checked, lockName, parsed, cutAt, end);
        }
        return exitCode;
    }

    private void writeTimeline(
            HistoryChecker.Report checked, String lockName, ConnectionUri uri, long cutAt, long end) {
        HistoryTimeline.Builder timeline = HistoryTimeline.builder("baton check: " + uri + ", lock " + lockName)
                .note(checked.summary())
                .add(checked);
        if (cutAt >= 0) {
            timeline.fault("cut-off: its proxies stop forwarding", cutAt, Math.max(cutAt, end));
        }
        try {
            timeline.build().write(html);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "--html " + html + ": cannot write the timeline: " + e, e);
        }
        line("timeline", html.toAbsolutePath().toString());
    }

    private int report(
            HistoryChecker.Report checked,
            ContentionRun run,
            boolean cutPlanned,
            long cutAt,
            long cutToken,
            long start) {
        List<HoldRecord> holds = new ArrayList<>(checked.history());
        holds.sort(java.util.Comparator.comparingLong(HoldRecord::acquiredNanos));
        boolean ok = checked.isValid();
        line("acquisitions", checked.acquisitionsChecked() + " (" + run.failures() + " failed attempts retried)");
        line("overlaps", Integer.toString(checked.overlaps()));
        line("token order violations", Integer.toString(checked.tokenOrderViolations()));
        line(
                "losses told late",
                Long.toString(checked.violations().stream()
                        .filter(v -> v.kind() == HistoryChecker.Kind.LATE_LOSS)
                        .count()));
        line("hand-off latency", handOffs(holds));
        if (!cutPlanned) {
            line("cut-off", "none: this backend has no network to cut");
        } else if (cutAt < 0) {
            line("cut-off", "FAILED: the coordinator to cut off never acquired the lock in time");
            ok = false;
        } else {
            ok &= cutOffFigures(holds, run.cutOffClient(), cutAt, cutToken, start);
        }
        if (run.failures() > 0) {
            line("last failure", run.lastFailure());
        }
        checked.violations().stream().limit(10).forEach(v -> System.out.println("  " + v));
        line("result", ok ? "OK" : "VIOLATION");
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private boolean cutOffFigures(List<HoldRecord> holds, String cutOffClient, long cutAt, long cutToken, long start) {
        HoldRecord cut = holds.stream()
                .filter(h -> h.client().equals(cutOffClient) && h.token() == cutToken)
                .findFirst()
                .orElseThrow();
        Optional<HoldRecord> next = holds.stream()
                .filter(h -> h.acquiredNanos() > cutAt && !h.client().equals(cutOffClient))
                .findFirst();
        String told = cut.lostNanos().isPresent()
                ? "told of its loss " + Messages.seconds(cut.lostNanos().getAsLong() - cutAt) + " after the cut"
                : "NEVER told of its loss";
        line("cut-off", "at +" + Messages.seconds(cutAt - start) + " while holding token " + cutToken + "; " + told);
        if (next.isEmpty()) {
            line("failover", "FAILED: nobody acquired the lock after the cut within --duration");
            return false;
        }
        long acquired = next.get().acquiredNanos();
        line(
                "failover",
                "next holder acquired " + Messages.seconds(acquired - cutAt) + " after the cut (token "
                        + next.get().token() + ")");
        if (cut.lostNanos().isEmpty()) {
            return false;
        }
        long early = acquired - cut.lostNanos().getAsLong();
        line("told early by", Messages.seconds(early) + (early > 0 ? " (before the next holder)" : " (TOO LATE)"));
        return early > 0;
    }

    /** Latency of each hand-off: from a release's start to the next acquisition's return. */
    private static String handOffs(List<HoldRecord> holds) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < holds.size(); i++) {
            HoldRecord previous = holds.get(i - 1);
            if (previous.releaseStartNanos().isPresent() && !previous.endedByLoss()) {
                gaps.add(holds.get(i).acquiredNanos()
                        - previous.releaseStartNanos().getAsLong());
            }
        }
        if (gaps.isEmpty()) {
            return "none";
        }
        gaps.sort(null);
        return "p50 " + millis(gaps.get(gaps.size() / 2)) + ", p99 " + millis(gaps.get(gaps.size() * 99 / 100))
                + ", max " + millis(gaps.get(gaps.size() - 1)) + " (" + gaps.size() + " hand-offs)";
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static void line(String label, String value) {
        System.out.printf(java.util.Locale.ROOT, "%-24s %s%n", label + ":", value);
    }

    private static void sleepUntil(long instant, HistoryRecorder clock) throws InterruptedException {
        long left = instant - clock.now();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
