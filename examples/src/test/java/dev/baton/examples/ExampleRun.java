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
package dev.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.inmemory.InMemoryBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs one example or the demo, keeps what it printed, and checks that it left nothing behind. */
final class ExampleRun {
    /** How long threads an example started may take to end after it returned. */
    private static final long THREAD_STOP_GRACE_MILLIS = 2_000;

    /** The body of an example: prints to {@code out}. */
    interface Body {
        void run(PrintStream out) throws Exception;
    }

    private final String output;

    private ExampleRun(String output) {
        this.output = output;
    }

    /** Runs {@code body}, echoes its output (for the test report) and checks that it left nothing running. */
    static ExampleRun of(Body body) throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            body.run(out);
        }
        ExampleRun run = new ExampleRun(buffer.toString(StandardCharsets.UTF_8));
        System.out.print(run.output);
        run.assertLeftNothingBehind(before);
        return run;
    }

    String output() {
        return output;
    }

    List<String> lines() {
        return output.lines().toList();
    }

    /** The index of the first line that contains {@code text}; fails if there is none. */
    int lineOf(String text) {
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line contains '" + text + "' in:\n" + output);
    }

    /** The first group of every match of {@code regex}, as numbers, in the order printed. */
    List<Long> numbers(String regex) {
        List<Long> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(output);
        while (m.find()) {
            found.add(Long.parseLong(m.group(1)));
        }
        return found;
    }

    /** The first group of the one match of {@code regex}, as a number. */
    long number(String regex) {
        List<Long> found = numbers(regex);
        assertThat(found).as("matches of /%s/ in:%n%s", regex, output).hasSize(1);
        return found.get(0);
    }

    private void assertLeftNothingBehind(Set<Thread> before) throws InterruptedException {
        // Every client of the JVM-wide default cluster was closed, so a new client finds a new, empty cluster.
        try (InMemoryBackend probe = InMemoryBackend.builder().build()) {
            assertThat(probe.cluster().revision())
                    .as("the default cluster was left open by a client the example did not close")
                    .isZero();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THREAD_STOP_GRACE_MILLIS);
        List<String> running = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            // The JDK's common pool is shared by the whole JVM and not the example's to stop.
            if (before.contains(t) || t.getName().startsWith("ForkJoinPool.commonPool")) {
                continue;
            }
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                running.add(t.getName());
            }
        }
        assertThat(running)
                .as("threads still running after the example returned")
                .isEmpty();
    }
}
