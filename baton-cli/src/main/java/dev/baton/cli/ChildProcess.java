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

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The user's command, run by {@code baton lock} and {@code baton elect}: started with baton's standard streams and
 * environment plus the lock's variables, and stopped when the lock or leadership is lost: SIGTERM to the command and
 * every process it started, then SIGKILL to those still alive after the grace period. Threadsafe: {@link #stop()} may
 * be called from a shutdown hook while another thread waits in {@link #awaitExitOrLoss(CompletableFuture)}.
 */
final class ChildProcess {
    private final Process process;
    private final Duration grace;

    private ChildProcess(Process process, Duration grace) {
        this.process = process;
        this.grace = grace;
    }

    /**
     * Starts the command.
     *
     * @throws CliException with 127 when the program is not found, 126 when it cannot be run
     */
    static ChildProcess start(List<String> command, Map<String, String> variables, Duration grace) {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(variables);
        try {
            return new ChildProcess(builder.start(), grace);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            // ProcessBuilder reports execve's errno in its message: error=2 (ENOENT) is a missing program.
            int code = message.contains("error=2,") ? ExitCodes.COMMAND_NOT_FOUND : ExitCodes.COMMAND_NOT_EXECUTABLE;
            throw new CliException(code, "cannot run " + command.get(0) + ": " + message, e);
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until the command exits or {@code loss} completes, whichever comes first.
     *
     * @return true if the command exited by itself (its code is {@link #exitCode()}), false if the loss came first
     */
    boolean awaitExitOrLoss(CompletableFuture<?> loss) throws InterruptedException {
        CompletableFuture<Process> exit = process.onExit();
        try {
            CompletableFuture.anyOf(exit, loss).get();
        } catch (ExecutionException e) {
            // A loss future completed exceptionally still means: stop the command.
        }
        return exit.isDone();
    }

    int exitCode() {
        return process.exitValue();
    }

    /**
     * Stops the command and every process it started: SIGTERM, then SIGKILL to whatever still runs after the grace
     * period. Returns once the command itself has exited. Idempotent.
     */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        // Taken before the signal: a shell that dies at SIGTERM leaves its children to init, out of our sight.
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            if (!process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle descendant : descendants) {
                awaitOrKill(descendant, deadline);
            }
            process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitOrKill(ProcessHandle handle, long deadline) throws InterruptedException {
        try {
            handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            handle.destroyForcibly();
        }
    }
}
