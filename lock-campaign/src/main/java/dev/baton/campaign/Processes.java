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

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts and signals the campaign's child processes. Every child is destroyed when the orchestrator's JVM exits (a
 * shutdown hook, resuming a stopped child first), so nothing outlives a campaign. Threadsafe.
 */
final class Processes {
    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (Process p : CHILDREN) {
                                signal(p, "CONT");
                                p.destroyForcibly();
                            }
                        },
                        "campaign-reaper"));
    }

    private Processes() {}

    /** The java launcher of this JVM, so that children run on the same Java. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A command running {@code mainClass} in a child JVM on this JVM's classpath, small and with one-tier JIT so that
     * a dozen of them fit on two cores.
     */
    static List<String> javaCommand(String mainClass, List<String> jvmFlags, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                java(),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xss512k",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path")));
        command.addAll(jvmFlags);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Starts {@code command} with stdout and stderr appended to {@code log}. */
    static Process start(List<String> command, Path log) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            CHILDREN.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command.get(0), e);
        }
    }

    /** Sends SIGSTOP ("STOP"), SIGCONT ("CONT") or another signal by name to a live process. */
    static void signal(Process p, String signal) {
        if (!p.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + p.pid() + " did not return");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILLs a process (resuming it first if stopped, so that it dies now) and waits for it. */
    static void kill(Process p) {
        p.destroyForcibly();
        signal(p, "CONT");
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("process " + p.pid() + " survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        CHILDREN.remove(p);
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    static void deleteTree(File root) {
        File[] children = root.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteTree(child);
            }
        }
        if (!root.delete() && root.exists()) {
            System.err.println("could not delete " + root);
        }
    }

    /**
     * Sends {@code request} and returns the body of a 200 answer; null for any other status, a failure to connect or
     * an interrupt (whose flag is set again): a server under the nemesis may be down or stopped.
     */
    static String bodyIfOk(HttpClient http, HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
