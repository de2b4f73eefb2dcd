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
import dev.baton.zookeeper.internal.Layout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;

/**
 * A 3-server ZooKeeper ensemble, each server a child JVM running {@code QuorumPeerMain} on a generated config (tick
 * 200 ms, so sessions of 0.4 to 4 s), on this JVM's classpath. In-process servers cannot be SIGSTOPped; these can.
 * The leader is found with the {@code srvr} four-letter word.
 */
final class ZooKeeperEnsemble extends ThreeMemberEnsemble {
    static final String NAMESPACE = "campaign";
    static final Duration REAP_INTERVAL = Duration.ofMillis(100);
    private static final String MAIN = "org.apache.zookeeper.server.quorum.QuorumPeerMain";

    private final Path workDir;

    private ZooKeeperEnsemble(Path root, Path workDir) throws IOException {
        super(root);
        this.workDir = workDir;
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clientPorts[i] = LoopbackPorts.reserve();
            servers.add("server." + (i + 1) + "=127.0.0.1:" + LoopbackPorts.reserve() + ":" + LoopbackPorts.reserve());
        }
        for (int i = 0; i < 3; i++) {
            Path dataDir = Files.createDirectories(root.resolve("zk" + i));
            Files.writeString(dataDir.resolve("myid"), Integer.toString(i + 1));
            List<String> config = new ArrayList<>(List.of(
                    "tickTime=200",
                    "initLimit=20",
                    "syncLimit=10",
                    "dataDir=" + dataDir,
                    "clientPort=" + clientPorts[i],
                    "clientPortAddress=127.0.0.1",
                    "maxClientCnxns=0",
                    "admin.enableServer=false",
                    "4lw.commands.whitelist=srvr,ruok",
                    "standaloneEnabled=false",
                    "reconfigEnabled=false",
                    "forceSync=no"));
            config.addAll(servers);
            Files.write(root.resolve("zoo" + i + ".cfg"), config);
        }
    }

    /** Starts three servers and waits until they serve with a leader. */
    static ZooKeeperEnsemble start(Path workDir) {
        ZooKeeperEnsemble ensemble;
        try {
            ensemble = new ZooKeeperEnsemble(Files.createTempDirectory(workDir, "zookeeper-"), workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (int i = 0; i < 3; i++) {
                ensemble.launch(i);
            }
            if (!ensemble.awaitHealthy(Duration.ofSeconds(60))) {
                throw new IllegalStateException("ZooKeeper ensemble did not serve within 60 s; logs in " + workDir);
            }
        } catch (RuntimeException e) {
            ensemble.close();
            throw e;
        }
        return ensemble;
    }

    @Override
    protected void launch(int i) {
        processes[i] = Processes.start(
                Processes.javaCommand(
                        MAIN,
                        List.of("-Dzookeeper.jmx.log4j.disable=true", "-Dzookeeper.admin.enableServer=false"),
                        List.of(root.resolve("zoo" + i + ".cfg").toString())),
                workDir.resolve("zookeeper-" + i + ".log"));
    }

    @Override
    public String backend() {
        return "zookeeper";
    }

    @Override
    public String clientEndpoints(List<String> addresses) {
        return String.join(",", addresses);
    }

    @Override
    public int leader() {
        for (int i = 0; i < 3; i++) {
            String answer = fourLetterWord(i, "srvr");
            if (answer != null && answer.contains("Mode: leader")) {
                return i;
            }
        }
        return -1;
    }

    private String fourLetterWord(int member, String word) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", clientPorts[member]), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
                return in.lines().collect(Collectors.joining("\n"));
            }
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    @Override
    protected boolean answers(int i) {
        String srvr = fourLetterWord(i, "srvr");
        return srvr != null && srvr.contains("Mode: ");
    }

    @Override
    protected boolean serving() {
        return leader() >= 0;
    }

    @Override
    public List<String> leftovers() throws Exception {
        Layout layout = new Layout("/" + NAMESPACE);
        List<String> left = new ArrayList<>();
        String connect = String.join(",", clientAddress(0), clientAddress(1), clientAddress(2));
        try (CuratorFramework admin = CuratorFrameworkFactory.newClient(connect, 5000, 5000, new RetryNTimes(5, 200))) {
            admin.start();
            if (!admin.blockUntilConnected(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no ZooKeeper server answered the leak check at " + connect);
            }
            collectKeys(admin, layout, layout.keysRoot(), left);
            try {
                for (String lease : admin.getChildren().forPath(layout.leasesRoot())) {
                    left.add("lease " + lease);
                }
            } catch (KeeperException.NoNodeException e) {
                // no lease was ever written
            }
        }
        return left;
    }

    private static void collectKeys(CuratorFramework admin, Layout layout, String path, List<String> out)
            throws Exception {
        List<String> children;
        try {
            children = admin.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return;
        }
        for (String child : children) {
            String p = path + "/" + child;
            if (Layout.isStructureName(child)) {
                collectKeys(admin, layout, p, out);
            } else {
                out.add("node " + p + " (key " + layout.keyOf(p) + ")");
            }
        }
    }

    @Override
    public Duration expirySlack(Duration sessionTtl) {
        // README: one reap interval; the server's session expiry runs on tick boundaries (one tick, 200 ms).
        return REAP_INTERVAL.plusMillis(200);
    }
}
