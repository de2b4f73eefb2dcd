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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit codes and messages of what baton refuses before it reaches a server, its duration syntax and the URI
 * rewriting of {@code baton check}'s cut-off; plus {@code baton lock} and {@code baton check --html} on the in-memory
 * backend, inside the test JVM.
 */
@Timeout(60)
class BatonTest {
    @Test
    void a_bad_uri_exits_123_naming_the_parameter_without_showing_the_secret() {
        InProcess run =
                InProcess.run("leader", "--uri", "etcd://app@127.0.0.1:2379/x?password=s3cret-value&bogus=1", "web");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(run.err()).contains("unknown parameter 'bogus'").doesNotContain("s3cret-value");
    }

    @Test
    void a_missing_uri_exits_123_saying_how_to_give_one() {
        assertThatThrownBy(() -> new ConnectionOptions().uri(variable -> null))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIGURATION))
                .hasMessageContaining("pass --uri URI or set BATON_URI");
    }

    @Test
    void an_unreachable_server_exits_122() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        InProcess run = InProcess.run(
                "leader", "--uri", "zookeeper://127.0.0.1:" + closedPort + "/x?connection-timeout=300ms", "web");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err()).contains("server unreachable");
    }

    @Test
    void bad_usage_exits_2_naming_the_mistake() {
        InProcess badDuration = InProcess.run("lock", "--uri", "inmemory:", "--ttl", "soon", "a", "--", "true");
        InProcess noCommand = InProcess.run("lock", "--uri", "inmemory:", "a");
        InProcess longGrace =
                InProcess.run("lock", "--uri", "inmemory:", "--ttl", "10s", "--grace", "2s", "a", "--", "true");

        assertThat(badDuration.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badDuration.err()).contains("'soon' is not a duration");
        assertThat(noCommand.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noCommand.err()).contains("Missing required parameter: 'CMD'");
        assertThat(longGrace.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(longGrace.err()).contains("--grace (2.000 s) must be shorter than the safety margin (2.000 s)");
    }

    @Test
    void lock_passes_on_the_commands_exit_code_and_127_for_a_missing_command() {
        InProcess exits5 = InProcess.run("lock", "--uri", "inmemory:cli-test", "a", "--", "sh", "-c", "exit 5");
        InProcess missing = InProcess.run("lock", "--uri", "inmemory:cli-test", "a", "--", "/nonexistent/command");

        assertThat(exits5.exitCode()).as(exits5.err()).isEqualTo(5);
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.COMMAND_NOT_FOUND);
        assertThat(missing.err()).contains("cannot run /nonexistent/command");
    }

    @Test
    void durations_read_like_connection_uris() {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationConverter.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationConverter.parse("PT10S")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void the_cut_off_uri_keeps_user_path_and_parameters_and_replaces_only_the_hosts() {
        List<String> proxies = List.of("127.0.0.1:1001", "127.0.0.1:1002");

        assertThat(CutOff.withHosts("etcd://app@h1:2379,h2/myapp?password-env=P", proxies))
                .isEqualTo("etcd://app@127.0.0.1:1001,127.0.0.1:1002/myapp?password-env=P");
        assertThat(CutOff.withHosts("zookeeper://[::1]:2181?session-timeout=2s", proxies.subList(0, 1)))
                .isEqualTo("zookeeper://127.0.0.1:1001?session-timeout=2s");
        assertThat(CutOff.withHosts("consul://agent", proxies.subList(0, 1))).isEqualTo("consul://127.0.0.1:1001");
    }

    @Test
    void check_with_html_writes_the_runs_timeline(@TempDir Path dir) throws IOException {
        Path page = dir.resolve("check.html");

        InProcess run = checkInMemory(page, "--clients", "2");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("timeline:                " + page.toAbsolutePath());
        String html = Files.readString(page);
        assertThat(html)
                .contains("baton check: inmemory:check-html")
                .contains("\"lanes\":[\"client-")
                .contains("\"violations\":[]");
    }

    @Test
    void check_refuses_an_html_file_in_a_missing_directory_before_it_runs(@TempDir Path dir) {
        InProcess run = checkInMemory(dir.resolve("missing/check.html"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--html ", "give a file in an existing directory");
        assertThat(run.out()).doesNotContain("acquisitions:");
    }

    /** {@code baton check --html page} for 4 s on the in-memory backend (TTL 1 s), with more arguments. */
    private static InProcess checkInMemory(Path page, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "check", "--uri", "inmemory:check-html", "--ttl", "1s", "--duration", "4s", "--html", page.toString()));
        args.addAll(List.of(more));
        return InProcess.run(args.toArray(String[]::new));
    }
}
