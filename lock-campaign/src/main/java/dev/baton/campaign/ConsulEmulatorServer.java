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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * lock-consul's Consul emulator in a JVM of its own: one server, so "the ensemble" is that process. Its state lives in
 * memory, so it is never killed during a campaign (a restart would lose acknowledged writes, which no guarantee
 * covers); it is paused instead.
 */
final class ConsulEmulatorServer implements Servers {
    static final String KEY_PREFIX = "campaign";
    private static final String MAIN = "dev.baton.consul.emulator.ConsulEmulator";

    private final Process process;
    private final String address;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private ConsulEmulatorServer(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    /** Starts the emulator and reads the address it prints. */
    static ConsulEmulatorServer start(Path workDir) {
        try {
            Process p = new ProcessBuilder(Processes.javaCommand(MAIN, List.of(), List.of()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(
                            workDir.resolve("consul-emulator.log").toFile()))
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("http://")) {
                p.destroyForcibly();
                throw new IllegalStateException("the Consul emulator printed no address (got " + line + ")");
            }
            // Nothing more is printed; the pipe stays open and unread.
            return new ConsulEmulatorServer(
                    p, line.substring("http://".length()).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Consul emulator", e);
        }
    }

    @Override
    public String backend() {
        return "consul";
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public String clientAddress(int member) {
        return address;
    }

    @Override
    public String clientEndpoints(List<String> addresses) {
        return "http://" + addresses.get(0);
    }

    @Override
    public boolean membersRestartable() {
        return false;
    }

    @Override
    public int leader() {
        return 0;
    }

    @Override
    public void kill(int member) {
        throw new UnsupportedOperationException("the emulator keeps its state in memory; it is paused, not killed");
    }

    @Override
    public void restart(int member) {
        throw new UnsupportedOperationException("the emulator keeps its state in memory; it is paused, not killed");
    }

    @Override
    public void pause(int member) {
        Processes.signal(process, "STOP");
    }

    @Override
    public void resume(int member) {
        Processes.signal(process, "CONT");
    }

    @Override
    public boolean awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (get("/v1/session/list") != null) {
                return true;
            }
            EtcdServers.pauseBriefly();
        }
        return false;
    }

    @Override
    public List<String> leftovers() {
        List<String> left = new ArrayList<>();
        String keys = get("/v1/kv/" + KEY_PREFIX + "/?recurse=true");
        String sessions = get("/v1/session/list");
        if (sessions == null) {
            throw new IllegalStateException("the Consul emulator did not answer the leak check");
        }
        if (keys != null) {
            Matcher key = Pattern.compile("\"Key\"\\s*:\\s*\"([^\"]+)\"").matcher(keys);
            while (key.find()) {
                left.add("key " + key.group(1));
            }
        }
        Matcher session = Pattern.compile("\"ID\"\\s*:\\s*\"([^\"]+)\"").matcher(sessions);
        while (session.find()) {
            left.add("session " + session.group(1));
        }
        return left;
    }

    @Override
    public Duration expirySlack(Duration sessionTtl) {
        // README: a whole extra TTL, because Consul keeps a session for up to twice its TTL.
        return sessionTtl.plusMillis(500);
    }

    /** The body of a 200 answer, null on 404 or when the emulator does not answer. */
    private String get(String path) {
        return Processes.bodyIfOk(
                http,
                HttpRequest.newBuilder(URI.create("http://" + address + path))
                        .timeout(Duration.ofSeconds(2))
                        .GET()
                        .build());
    }

    @Override
    public void close() {
        Processes.kill(process);
    }
}
