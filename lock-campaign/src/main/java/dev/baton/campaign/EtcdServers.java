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

import dev.baton.lock.tck.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A 3-member etcd cluster of local processes on 127.0.0.1 (heartbeat 50 ms, election timeout 500 ms, data on
 * /dev/shm when it exists). The binary is {@code BATON_ETCD_BINARY} when set (to run another etcd version), else
 * {@code etcd} on the PATH. The campaign talks to members over etcd's JSON gateway ({@code /v3/...}), so it needs no
 * client of its own. Leader and leftovers are read the same way on etcd 3.4 and 3.5.
 */
final class EtcdServers extends ThreeMemberEnsemble {
    static final String NAMESPACE = "campaign";
    private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\"\\s*:\\s*\"(\\d+)\"");
    private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*\"(\\d+)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*\"(\\d+)\"");

    private final Path binary;
    private final Path workDir;
    private final int[] peerPorts = new int[3];
    private final String initialCluster;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private EtcdServers(Path binary, Path root, Path workDir) {
        super(root);
        this.binary = binary;
        this.workDir = workDir;
        for (int i = 0; i < 3; i++) {
            clientPorts[i] = LoopbackPorts.reserve();
            peerPorts[i] = LoopbackPorts.reserve();
        }
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            peers.add("m" + i + "=http://127.0.0.1:" + peerPorts[i]);
        }
        this.initialCluster = String.join(",", peers);
    }

    /** The etcd binary to run, or empty with the reason when there is none. */
    static Path binary() {
        String configured = System.getenv("BATON_ETCD_BINARY");
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured);
            if (!Files.isExecutable(p)) {
                throw new IllegalArgumentException("BATON_ETCD_BINARY=" + configured + " is not an executable file");
            }
            return p;
        }
        String path = System.getenv("PATH");
        List<Path> candidates = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Paths.get(dir, "etcd"));
                }
            }
        }
        candidates.add(Paths.get("/usr/bin/etcd"));
        for (Path c : candidates) {
            if (Files.isRegularFile(c) && Files.isExecutable(c)) {
                return c;
            }
        }
        return null;
    }

    /** Starts three members and waits until they serve. */
    static EtcdServers start(Path binary, Path workDir) {
        Path root;
        try {
            Path shm = Paths.get("/dev/shm");
            root = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "baton-campaign-etcd-")
                    : Files.createTempDirectory(workDir, "etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EtcdServers servers = new EtcdServers(binary, root, workDir);
        try {
            for (int i = 0; i < 3; i++) {
                servers.launch(i);
            }
            if (!servers.awaitHealthy(Duration.ofSeconds(60))) {
                throw new IllegalStateException("etcd cluster did not become healthy within 60 s; logs in " + workDir);
            }
        } catch (RuntimeException e) {
            servers.close();
            throw e;
        }
        return servers;
    }

    @Override
    protected void launch(int i) {
        String clientUrl = "http://127.0.0.1:" + clientPorts[i];
        String peerUrl = "http://127.0.0.1:" + peerPorts[i];
        List<String> command = List.of(
                binary.toString(),
                "--name",
                "m" + i,
                "--data-dir",
                root.resolve("m" + i).toString(),
                "--listen-client-urls",
                clientUrl,
                "--advertise-client-urls",
                clientUrl,
                "--listen-peer-urls",
                peerUrl,
                "--initial-advertise-peer-urls",
                peerUrl,
                "--initial-cluster",
                initialCluster,
                "--initial-cluster-state",
                "new",
                "--initial-cluster-token",
                root.getFileName().toString(),
                "--heartbeat-interval",
                "50",
                "--election-timeout",
                "500",
                "--logger",
                "zap",
                "--log-level",
                "warn");
        processes[i] = Processes.start(command, workDir.resolve("etcd-m" + i + ".log"));
    }

    /** The version the members report, for the summary. */
    String version() {
        for (int i = 0; i < 3; i++) {
            String status = post(i, "/v3/maintenance/status", "{}");
            if (status != null) {
                Matcher m = VERSION.matcher(status);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return "unknown";
    }

    @Override
    public String backend() {
        return "etcd";
    }

    @Override
    public String clientEndpoints(List<String> addresses) {
        return addresses.stream().map(a -> "http://" + a).collect(Collectors.joining(","));
    }

    @Override
    public int leader() {
        for (int i = 0; i < 3; i++) {
            String status = post(i, "/v3/maintenance/status", "{}");
            if (status == null) {
                continue;
            }
            Matcher leader = LEADER.matcher(status);
            if (!leader.find()) {
                continue;
            }
            for (int j = 0; j < 3; j++) {
                String other = j == i ? status : post(j, "/v3/maintenance/status", "{}");
                if (other == null) {
                    continue;
                }
                Matcher id = MEMBER_ID.matcher(other);
                if (id.find() && id.group(1).equals(leader.group(1))) {
                    return j;
                }
            }
        }
        return -1;
    }

    @Override
    protected boolean answers(int i) {
        return post(i, "/v3/maintenance/status", "{}") != null;
    }

    @Override
    protected boolean serving() {
        int leader = leader();
        return leader >= 0 && post(leader, "/v3/kv/range", rangeBody(true)) != null;
    }

    @Override
    public List<String> leftovers() {
        List<String> left = new ArrayList<>();
        int leader = leader();
        int ask = leader >= 0 ? leader : 0;
        String range = post(ask, "/v3/kv/range", rangeBody(false));
        String leases = post(ask, "/v3/lease/leases", "{}");
        if (range == null || leases == null) {
            throw new IllegalStateException("etcd member m" + ask + " did not answer the leak check");
        }
        Matcher key = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(range);
        while (key.find()) {
            left.add("key " + new String(Base64.getDecoder().decode(key.group(1)), StandardCharsets.UTF_8));
        }
        Matcher count = COUNT.matcher(range);
        if (left.isEmpty() && count.find() && !count.group(1).equals("0")) {
            left.add(count.group(1) + " keys");
        }
        Matcher lease = Pattern.compile("\"ID\"\\s*:\\s*\"(\\d+)\"").matcher(leases);
        while (lease.find()) {
            left.add("lease " + Long.toHexString(Long.parseLong(lease.group(1))));
        }
        return left;
    }

    @Override
    public Duration expirySlack(Duration sessionTtl) {
        // README: the server's expiry check (0.5 s) plus one election timeout per leader change.
        return Duration.ofMillis(500 + 500);
    }

    private static String rangeBody(boolean countOnly) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "{\"key\":\"" + b64.encodeToString((NAMESPACE + "/").getBytes(StandardCharsets.UTF_8))
                + "\",\"range_end\":\"" + b64.encodeToString((NAMESPACE + "0").getBytes(StandardCharsets.UTF_8))
                + "\",\"keys_only\":true" + (countOnly ? ",\"count_only\":true" : "") + "}";
    }

    private String post(int member, String path, String body) {
        return Processes.bodyIfOk(
                http,
                HttpRequest.newBuilder(URI.create("http://" + clientAddress(member) + path))
                        .timeout(Duration.ofSeconds(2))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    static void pauseBriefly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
