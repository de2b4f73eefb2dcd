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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code baton lock} and {@code baton elect} share: connect, win (the lock or the election), run the user's
 * command, stop it when the win is lost, and clean up, also when baton itself is told to stop (SIGINT, SIGTERM).
 * Runs once, on the main thread; the shutdown hook is the only other thread that touches it.
 */
abstract class SupervisingCommand implements Callable<Integer> {
    /**
     * How long closing may take after a loss. The server is likely unreachable and the session expires anyway, while
     * baton's exit is what a script waits for: it should come before the server lets the next holder in, within the
     * safety margin (of which the grace period took up to half).
     */
    private static final Duration CLOSE_AFTER_LOSS = Duration.ofMillis(50);

    private static final Duration CLOSE = Duration.ofSeconds(5);

    @Mixin
    ConnectionOptions connection;

    @Option(
            names = "--grace",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "After a loss, how long the command has between SIGTERM and SIGKILL (default: half the"
                    + " safety margin). Must be shorter than the safety margin, so that the command is gone before"
                    + " the server can let anyone else in.")
    Duration grace;

    @Option(
            names = {"-v", "--verbose"},
            description = "Tell on standard error when the lock or leadership is won and released, and show the"
                    + " backends' warnings (about the server's version, for one).")
    boolean verbose;

    @Parameters(index = "0", paramLabel = "NAME", description = "The lock's or election's name.")
    String name;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "CMD",
            description = "The command and its arguments; put -- before it when it has options of its own.")
    List<String> command;

    private volatile ChildProcess child;

    @Override
    public final Integer call() throws Exception {
        Duration graceChosen = grace();
        if (verbose) {
            System.setProperty(Baton.LOG_LEVEL, "warn");
        }
        Coordinator coordinator = connection.connect();
        Thread hook = new Thread(() -> stopOnSignal(coordinator), "baton-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = ExitCodes.INTERNAL;
        try {
            code = runWhileWon(coordinator, graceChosen);
            return code;
        } finally {
            Messages.closeWithin(coordinator, code == ExitCodes.LOST ? CLOSE_AFTER_LOSS : CLOSE);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run: it stops the command itself.
            }
        }
    }

    /** Wins, runs the command through {@link #supervise}, and gives up what was won; returns the exit code. */
    abstract int runWhileWon(Coordinator coordinator, Duration grace) throws InterruptedException;

    /**
     * Runs the command until it exits or {@code loss} completes; after a loss, stops it (SIGTERM, then SIGKILL after
     * the grace period).
     *
     * @return the command's exit code, or {@link ExitCodes#LOST}
     */
    final int supervise(Map<String, String> variables, CompletableFuture<String> loss, Duration grace, String what)
            throws InterruptedException {
        ChildProcess started;
        // Started and published under the lock the shutdown hook takes: a signal either finds the command and stops
        // it, or comes first, and then no command starts to outlive baton.
        synchronized (this) {
            if (Messages.stopping) {
                throw new InterruptedException("baton was told to stop before the command started");
            }
            started = ChildProcess.start(command, variables, grace);
            child = started;
        }
        if (started.awaitExitOrLoss(loss)) {
            return started.exitCode();
        }
        Messages.error("lost " + what + " (" + loss.getNow("?") + "); stopping the command (pid " + started.pid()
                + "): SIGTERM, then SIGKILL after " + Messages.seconds(grace));
        started.stop();
        return ExitCodes.LOST;
    }

    final void info(String message) {
        if (verbose) {
            Messages.error(message);
        }
    }

    private Duration grace() {
        Duration margin = connection.margin();
        Duration chosen = grace != null ? grace : margin.dividedBy(2);
        if (chosen.compareTo(margin) >= 0) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "--grace (" + Messages.seconds(chosen) + ") must be shorter than the safety margin ("
                            + Messages.seconds(margin) + "), or the command could still run when the server lets the"
                            + " next holder in; raise --ttl or --safety-margin, or shorten --grace");
        }
        return chosen;
    }

    private void stopOnSignal(Coordinator coordinator) {
        ChildProcess running;
        synchronized (this) {
            Messages.stopping = true;
            running = child;
        }
        if (running != null) {
            running.stop();
        }
        coordinator.close();
    }
}
