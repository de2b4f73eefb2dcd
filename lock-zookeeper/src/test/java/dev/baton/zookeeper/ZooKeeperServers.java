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
package dev.baton.zookeeper;

import dev.baton.lock.tck.LoopbackPorts;
import dev.baton.lock.tck.RequiredBackends;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.util.ServiceUtils;

/**
 * The ZooKeeper servers the tests run against: {@code ZK_CONNECT} when set (an outside ensemble), else real ZooKeeper
 * servers started inside the test JVM by curator-test ({@link TestingServer}, {@link TestingCluster}), bound to
 * 127.0.0.1 on free ports outside the ephemeral range ({@link LoopbackPorts}) with temporary data directories, shared by the tests of one JVM and stopped by a shutdown
 * hook. A tick of 100 ms lets sessions be as short as 200 ms and as long as 2 s, which keeps the kit fast.
 */
public final class ZooKeeperServers {
    public static final int TICK_MILLIS = 100;
    /** The longest session the kit's servers grant: 20 ticks. */
    private static final Duration MAX_SESSION = Duration.ofMillis(20L * TICK_MILLIS);

    static final String ENV = "ZK_CONNECT";

    private static TestingServer single;
    private static TestingCluster ensemble;

    static {
        // The servers' transaction logs need no fsync in tests; the machine is shared and slow disks stall them. The
        // benchmarks' fsync variant (-Dbaton.test.storage=disk) keeps ZooKeeper's default: sync every log write.
        boolean disk = "disk".equals(System.getProperty("baton.test.storage"));
        System.setProperty("zookeeper.forceSync", disk ? "yes" : "no");
        System.setProperty("zookeeper.admin.enableServer", "false");
        // A server that cannot bind its election port asks for the JVM to exit (code 14): let a test fail instead.
        ServiceUtils.setSystemExitProcedure(ServiceUtils.LOG_ONLY);
    }

    private ZooKeeperServers() {}

    /** The connect string of the outside ensemble, or null. */
    static String external() {
        String s = System.getenv(ENV);
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** A single server (or the outside ensemble). */
    static synchronized String single() {
        String external = external();
        if (external != null) {
            return external;
        }
        if (single == null) {
            try {
                single = new TestingServer(spec(-1), true);
            } catch (Exception e) {
                throw RequiredBackends.fromEnvironment()
                        .unavailable("zookeeper", "could not start a curator-test TestingServer: " + e);
            }
            TestingServer started = single;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(started)));
        }
        return single.getConnectString();
    }

    /** A 3-server ensemble started in this JVM (never the outside one: tests kill its members). */
    static synchronized TestingCluster ensemble() {
        if (ensemble == null) {
            TestingCluster cluster = startEnsemble();
            ensemble = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(cluster)));
        }
        return ensemble;
    }

    /** A fresh 3-server ensemble that the caller owns and closes (for tests that kill members). */
    static TestingCluster newEnsemble() {
        return startEnsemble();
    }

    private static TestingCluster startEnsemble() {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            specs.add(spec(id));
        }
        TestingCluster cluster = new TestingCluster(specs);
        try {
            cluster.start();
        } catch (Exception e) {
            closeQuietly(cluster);
            throw RequiredBackends.fromEnvironment()
                    .unavailable("zookeeper", "could not start a curator-test 3-server TestingCluster: " + e);
        }
        return cluster;
    }

    /** A fresh single server that the caller owns and closes. */
    public static TestingServer newServer() {
        return newServer(MAX_SESSION);
    }

    /**
     * A fresh single server that the caller owns and closes, granting sessions of up to {@code maxSession}: for
     * tests of integrations, whose sessions need not be short and must survive a busy machine's pauses.
     */
    public static TestingServer newServer(Duration maxSession) {
        try {
            return new TestingServer(spec(-1, maxSession), true);
        } catch (Exception e) {
            throw RequiredBackends.fromEnvironment()
                    .unavailable("zookeeper", "could not start a curator-test TestingServer: " + e);
        }
    }

    private static InstanceSpec spec(int serverId) {
        return spec(serverId, MAX_SESSION);
    }

    private static InstanceSpec spec(int serverId, Duration maxSession) {
        // syncLimit: a follower that the leader has not heard from for this many ticks is dropped with its clients'
        // connections. curator-test's 5 ticks (500 ms) let a CPU-starved JVM drop followers, and with them sessions
        // and requests, in the middle of kit tests (seen with the machine's load average near 20); 20 ticks is the
        // session TTL, beyond which the sessions are lost anyway. Killed members are still found at once (their
        // connections are reset).
        Map<String, Object> custom = Map.of(
                "clientPortAddress",
                "127.0.0.1",
                "maxSessionTimeout",
                Long.toString(maxSession.toMillis()),
                "syncLimit",
                "20",
                "initLimit",
                "50");
        return new InstanceSpec(
                null,
                LoopbackPorts.reserve(),
                LoopbackPorts.reserve(),
                LoopbackPorts.reserve(),
                true,
                serverId,
                TICK_MILLIS,
                0,
                custom,
                "127.0.0.1");
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Stopping at exit: nothing to do about it.
        }
    }

    static void closeQuietly(TestingCluster c) {
        try {
            c.close();
        } catch (IOException e) {
            // Stopping at exit: nothing to do about it.
        }
    }
}
