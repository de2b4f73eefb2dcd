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

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code baton} inside the test JVM ({@link Baton#run(String...)}), with its standard output and error captured:
 * for what needs no process of its own (exit codes of refused arguments, one-shot reads), which saves a JVM start.
 * Not threadsafe: swaps {@link System#out} and {@link System#err} while it runs.
 *
 * @param exitCode the exit code
 * @param out what baton printed on standard output, trimmed
 * @param err what baton printed on standard error
 */
record InProcess(int exitCode, String out, String err) {
    static InProcess run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream capturedOut = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
                PrintStream capturedErr = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capturedOut);
            System.setErr(capturedErr);
            code = Baton.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new InProcess(
                code, outBytes.toString(StandardCharsets.UTF_8).trim(), errBytes.toString(StandardCharsets.UTF_8));
    }
}
