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

import dev.baton.lock.tck.TckTimeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built {@code baton} jar as real processes ({@code java -jar}, as the {@code baton} script does), each with
 * its standard output and error in files of a test's directory, and kills every one of them and their children at
 * the end. Not threadsafe: one test's thread.
 */
final class BatonProcesses implements AutoCloseable {
    private final Path dir;
    private final List<Started> started = new ArrayList<>();

    BatonProcesses(Path dir) {
        this.dir = dir;
    }

    /** The jar that {@code mvn package} built (failsafe names it in {@code baton.cli.jar}). */
    static Path jar() {
        String named = System.getProperty("baton.cli.jar");
        assertThat(named)
                .as("system property baton.cli.jar (set by failsafe); run these tests with mvn verify")
                .isNotNull();
        Path jar = Paths.get(named);
        assertThat(jar).as("the runnable jar; mvn package builds it").isRegularFile();
        return jar;
    }

    /** Starts {@code baton ARGS...}, the URI in {@code BATON_URI}. */
    Started start(String label, String uri, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(dir.resolve(label + ".out").toFile())
                .redirectError(dir.resolve(label + ".err").toFile());
        builder.environment().put("BATON_URI", uri);
        try {
            Started process = new Started(label, builder.start(), dir);
            started.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code baton ARGS...} to its end. */
    Started run(String label, String uri, String... args) {
        Started process = start(label, uri, args);
        process.awaitExit();
        return process;
    }

    @Override
    public void close() {
        for (Started process : started) {
            process.process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.process.destroyForcibly();
        }
    }

    static Duration scaled(Duration timeout) {
        return TckTimeouts.scaled(timeout);
    }

    /** Reads a file a command appends to; empty while it does not exist. */
    static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One baton process. */
    static final class Started {
        final String label;
        final Process process;
        private final Path dir;

        Started(String label, Process process, Path dir) {
            this.label = label;
            this.process = process;
            this.dir = dir;
        }

        /** Waits for the process to exit (at most 60 s, scaled) and returns its exit code. */
        int awaitExit() {
            try {
                assertThat(process.waitFor(scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS))
                        .as("%s exits; its standard error:%n%s", label, err())
                        .isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return process.exitValue();
        }

        String out() {
            return String.join("\n", lines(dir.resolve(label + ".out")));
        }

        String err() {
            return String.join("\n", lines(dir.resolve(label + ".err")));
        }
    }
}
