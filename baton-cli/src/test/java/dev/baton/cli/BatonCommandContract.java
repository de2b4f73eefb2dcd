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

import static dev.baton.cli.BatonProcesses.lines;
import static dev.baton.cli.BatonProcesses.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.cli.BatonProcesses.Started;
import dev.baton.lock.tck.TcpProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code baton} command end to end, as real processes of the built jar against a real server: what every backend
 * must show. A subclass gives the server (its URI, and the host and port a loopback proxy can stand in front of).
 * Each command a test runs appends lines to the file {@code events} in the test's directory, the processes' working
 * directory, and the test judges the order of those lines.
 */
@Timeout(value = 120)
abstract class BatonCommandContract {
    /**
     * Session TTL of the processes: short, so that failovers are quick, yet long enough that a fresh JVM on a machine
     * with every core busy keeps renewing (at 2 s, holders on a machine at load 17 lost their locks on time, by their
     * deadline, and the next one rightly took over, which is not what these tests look at).
     */
    static final String TTL = "4s";

    /**
     * The candidates' session TTL: longer still, as the elect test needs a's term to last through b's start and a
     * {@code baton leader} (etcd 3.4.23 counts a renewal only once its server's leadership is confirmed, which makes
     * sessions on a starved machine shorter than their TTL: README, etcd section).
     */
    static final String ELECTION_TTL = "6s";

    @TempDir
    Path dir;

    BatonProcesses baton;

    /** The server's URI, with a namespace of the test's own. */
    abstract String uri();

    /** The host and port of the server, for a proxy in front of it. */
    abstract String host();

    abstract int port();

    @BeforeEach
    void processes() {
        baton = new BatonProcesses(dir);
    }

    @AfterEach
    void killProcesses() {
        baton.close();
    }

    @Test
    void lock_runs_the_command_with_its_token_exits_with_its_code_and_two_holders_never_overlap() {
        String command = "echo \"start $BATON_LOCK_NAME $BATON_FENCING_TOKEN\" >> events; sleep 0.3;"
                + " echo \"end $BATON_LOCK_NAME $BATON_FENCING_TOKEN\" >> events; exit 7";
        Started first = baton.start("first", uri(), "lock", "--ttl", TTL, "jobs/nightly", "--", "sh", "-c", command);
        Started second = baton.start("second", uri(), "lock", "--ttl", TTL, "jobs/nightly", "--", "sh", "-c", command);

        assertThat(first.awaitExit())
                .as("first's exit code: the command's; stderr:%n%s", first.err())
                .isEqualTo(7);
        assertThat(second.awaitExit())
                .as("second's exit code: the command's; stderr:%n%s", second.err())
                .isEqualTo(7);
        List<String> events = lines(dir.resolve("events"));
        assertThat(events).hasSize(4);
        long firstToken = token(events.get(0), "start jobs/nightly ");
        long secondToken = token(events.get(2), "start jobs/nightly ");
        assertThat(events)
                .as("each holder's start and end are adjacent (no interleaving), tokens increase")
                .containsExactly(
                        "start jobs/nightly " + firstToken,
                        "end jobs/nightly " + firstToken,
                        "start jobs/nightly " + secondToken,
                        "end jobs/nightly " + secondToken);
        assertThat(secondToken).isGreaterThan(firstToken);
    }

    @Test
    void holder_killed_with_sigkill_is_succeeded_after_the_ttl_and_a_waiter_with_a_timeout_exits_121() {
        Started holder = baton.start(
                "holder",
                uri(),
                "lock",
                "--ttl",
                TTL,
                "jobs/kill",
                "--",
                "sh",
                "-c",
                "echo $$ > holder.pid; echo \"held $BATON_FENCING_TOKEN\" >> events; exec sleep 600");
        awaitLines("events", 1);
        Started next = baton.start(
                "next",
                uri(),
                "lock",
                "--ttl",
                TTL,
                "jobs/kill",
                "--",
                "sh",
                "-c",
                "echo \"next $BATON_FENCING_TOKEN\" >> events");
        InProcess impatient = InProcess.run(
                "lock", "--uri", uri(), "--timeout", "300ms", "jobs/kill", "--", "sh", "-c", "echo never >> events");
        assertThat(impatient.exitCode())
                .as("a waiter whose --timeout passes exits 121; stderr:%n%s", impatient.err())
                .isEqualTo(ExitCodes.TIMEOUT);

        holder.process.destroyForcibly(); // SIGKILL: baton cannot release, the server frees the lock after the TTL
        long killed = System.nanoTime();
        assertThat(next.awaitExit()).as("next's stderr:%n%s", next.err()).isZero();
        Duration succeededAfter = Duration.ofNanos(System.nanoTime() - killed);
        killOrphan("holder.pid"); // a command outlives a baton killed with SIGKILL, as documented

        List<String> events = lines(dir.resolve("events"));
        assertThat(events).hasSize(2);
        assertThat(token(events.get(1), "next ")).isGreaterThan(token(events.get(0), "held "));
        assertThat(succeededAfter)
                .as("the lock of a killed holder is free about a TTL after the kill")
                .isLessThan(scaled(Duration.ofSeconds(4 + 10)));
    }

    @Test
    void holder_cut_off_from_the_server_stops_its_command_and_exits_120_before_the_next_holder_starts()
            throws IOException {
        try (TcpProxy proxy = TcpProxy.start(host(), port())) {
            String proxied = CutOff.withHosts(uri(), List.of(proxy.address()));
            Started holder = baton.start(
                    "holder",
                    proxied,
                    "lock",
                    "--ttl",
                    TTL,
                    "jobs/cut",
                    "--",
                    "sh",
                    "-c",
                    "echo $$ > holder.pid; echo \"held $BATON_FENCING_TOKEN\" >> events; exec sleep 600");
            awaitLines("events", 1);
            long command = Long.parseLong(Files.readString(dir.resolve("holder.pid"), StandardCharsets.UTF_8)
                    .trim());
            // The next holder's command looks, as it starts, whether the cut-off holder's command or baton still run.
            Started next = baton.start(
                    "next",
                    uri(),
                    "lock",
                    "-v",
                    "--ttl",
                    TTL,
                    "jobs/cut",
                    "--",
                    "sh",
                    "-c",
                    running(command, "overlap: command still runs")
                            + running(holder.process.pid(), "overlap: baton still runs")
                            + " echo \"next $BATON_FENCING_TOKEN\" >> events");
            await("the next holder waits for the lock")
                    .atMost(scaled(Duration.ofSeconds(30)))
                    .until(() -> next.err().contains("waiting for lock jobs/cut"));

            proxy.blackhole();
            assertThat(holder.awaitExit())
                    .as("the cut-off holder exits 120; stderr:%n%s", holder.err())
                    .isEqualTo(ExitCodes.LOST);
            assertThat(holder.err()).contains("lost lock jobs/cut");
            assertThat(next.awaitExit()).as("next's stderr:%n%s", next.err()).isZero();

            List<String> events = lines(dir.resolve("events"));
            assertThat(events).hasSize(2);
            assertThat(events.get(1)).startsWith("next ");
            assertThat(token(events.get(1), "next ")).isGreaterThan(token(events.get(0), "held "));
            assertThat(ProcessHandle.of(command).map(ProcessHandle::isAlive))
                    .as("the cut-off holder's command was stopped")
                    .isNotEqualTo(java.util.Optional.of(true));
        }
    }

    @Test
    void elect_runs_the_command_on_one_candidate_moves_on_sigkill_and_leader_and_observe_print_it() {
        String command = "echo \"$BATON_CANDIDATE_ID $BATON_FENCING_TOKEN $$\" >> events; exec sleep 600";
        Started observer = baton.start("observe", uri(), "observe", "web");
        Started a = baton.start(
                "a",
                uri(),
                "elect",
                "--id",
                "a",
                "--proclaim",
                "a:8080",
                "--ttl",
                TTL,
                "web",
                "--",
                "sh",
                "-c",
                command);
        awaitLines("events", 1);
        String[] first = lines(dir.resolve("events")).get(0).split(" ");
        assertThat(first[0]).isEqualTo("a");
        Started b = baton.start(
                "b", uri(), "elect", "-v", "--id", "b", "--ttl", ELECTION_TTL, "web", "--", "sh", "-c", command);
        await("b campaigns").atMost(scaled(Duration.ofSeconds(30))).until(() -> b.err()
                .contains("campaigning for leadership of web as b"));

        Started leader = baton.run("leader", uri(), "leader", "web");
        assertThat(leader.process.exitValue())
                .as("leader's stderr:%n%s%na's stderr:%n%s", leader.err(), a.err())
                .isZero();
        assertThat(leader.out()).isEqualTo("candidate=a token=" + first[1] + " value=a:8080");
        assertThat(lines(dir.resolve("events")))
                .as("while a leads, b campaigns and does not run its command")
                .hasSize(1);

        a.process.destroyForcibly(); // SIGKILL
        awaitLines("events", 2);
        killOrphan(Long.parseLong(first[2]));
        String[] second = lines(dir.resolve("events")).get(1).split(" ");
        assertThat(second[0]).isEqualTo("b");
        assertThat(Long.parseLong(second[1])).isGreaterThan(Long.parseLong(first[1]));

        b.process.destroy(); // SIGTERM: b stops its command and resigns
        assertThat(b.awaitExit()).isEqualTo(143);
        assertThat(ProcessHandle.of(Long.parseLong(second[2])).map(ProcessHandle::isAlive))
                .as("b's command was stopped with b")
                .isNotEqualTo(java.util.Optional.of(true));
        await("observe prints a, then b, then nobody")
                .atMost(scaled(Duration.ofSeconds(30)))
                .until(() ->
                        observer.out().endsWith("no leader") && observer.out().contains("candidate=b"));
        List<String> seen = observer.out()
                .lines()
                .map(line -> line.substring(line.indexOf(' ') + 1))
                .toList();
        assertThat(seen)
                .as("observe's lines after their time stamps")
                .containsSubsequence(
                        "candidate=a token=" + first[1] + " value=a:8080",
                        "candidate=b token=" + second[1],
                        "no leader");
    }

    /**
     * A shell test that appends {@code message} to {@code events} if process {@code pid} still runs. A process that
     * has exited but that its parent has not reaped yet (a zombie, state Z) has stopped: {@code kill -0} would still
     * find it, so the test reads the state from {@code /proc}.
     */
    static String running(long pid, String message) {
        return "if [ -r /proc/" + pid + "/stat ] && ! grep -q ') Z ' /proc/" + pid + "/stat; then echo '" + message
                + "' >> events; fi;";
    }

    static long token(String line, String prefix) {
        assertThat(line).startsWith(prefix);
        return Long.parseLong(line.substring(prefix.length()).trim());
    }

    void awaitLines(String file, int count) {
        await(file + " has " + count + " lines")
                .atMost(scaled(Duration.ofSeconds(30)))
                .until(() -> lines(dir.resolve(file)).size() >= count);
    }

    void killOrphan(String pidFile) {
        killOrphan(Long.parseLong(lines(dir.resolve(pidFile)).get(0).trim()));
    }

    static void killOrphan(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
