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

import dev.baton.lock.Coordinator;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.tck.RealTimeTckEnvironment;
import dev.baton.lock.tck.RequiredBackends;
import dev.baton.zookeeper.internal.Layout;
import dev.baton.zookeeper.internal.NodeData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The conformance kit's view of a fresh namespace on a real ZooKeeper server or ensemble: every backend is a new
 * client with its own ZooKeeper session, and an admin client reads what is on the server.
 */
final class ZooKeeperTckEnvironment extends RealTimeTckEnvironment {
    /** The coordinators' session TTL, equal to the longest session the test servers grant (20 ticks). */
    static final Duration SESSION_TTL = Duration.ofMillis(20 * ZooKeeperServers.TICK_MILLIS);

    static final Duration SHORT_TTL = Duration.ofSeconds(1);
    static final Duration REAP_INTERVAL = Duration.ofMillis(100);

    private final String connectString;
    private final String namespace = "tck-" + UUID.randomUUID();
    private final CuratorFramework admin;
    private final Layout layout;

    ZooKeeperTckEnvironment(String connectString) {
        super(SESSION_TTL, SHORT_TTL);
        this.connectString = connectString;
        this.admin = CuratorFrameworkFactory.newClient(connectString, 5000, 5000, new RetryNTimes(5, 100));
        admin.start();
        try {
            if (!admin.blockUntilConnected(10, TimeUnit.SECONDS)) {
                admin.close();
                throw RequiredBackends.fromEnvironment()
                        .unavailable("zookeeper", "no ZooKeeper answered at " + connectString);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admin.close();
            throw new IllegalStateException(e);
        }
        this.layout = new Layout("/" + namespace);
    }

    String namespace() {
        return namespace;
    }

    String connectString() {
        return connectString;
    }

    CuratorFramework admin() {
        return admin;
    }

    /** A builder for a backend built on its own ({@code build()}), asking for a session timeout of the TTL. */
    ZooKeeperBackend.Builder builder() {
        return builderFollowingTtl().sessionTimeout(SESSION_TTL);
    }

    /** A builder whose session timeout is left unset: under {@code coordinatorBuilder()} it follows the TTL. */
    ZooKeeperBackend.Builder builderFollowingTtl() {
        return ZooKeeperBackend.builder()
                .connectString(connectString)
                .namespace(namespace)
                .connectionTimeout(Duration.ofSeconds(3))
                .reapInterval(REAP_INTERVAL);
    }

    /** A coordinator that owns its backend, with the session TTL of the kit. */
    Coordinator coordinator() {
        return builderFollowingTtl()
                .coordinatorBuilder()
                .sessionTtl(SESSION_TTL)
                .build();
    }

    @Override
    public CoordinationBackend newBackend() {
        return builder().build();
    }

    /**
     * Brings the admin client's server up to date with the leader: ZooKeeper serves reads from the server a client is
     * connected to, which may be a follower that has not yet applied a write another client saw acknowledged (a
     * coordinator's session lease, granted through another server just before). A sync on the admin's session orders
     * its next reads after every write the leader had committed when the sync reached it.
     */
    void syncWithLeader() throws Exception {
        CountDownLatch synced = new CountDownLatch(1);
        AtomicInteger result = new AtomicInteger();
        admin.getZookeeperClient()
                .getZooKeeper()
                .sync(
                        "/",
                        (rc, path, ctx) -> {
                            result.set(rc);
                            synced.countDown();
                        },
                        null);
        if (!synced.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the admin client's sync with the ZooKeeper leader took over 10 s");
        }
        if (result.get() != KeeperException.Code.OK.intValue()) {
            throw KeeperException.create(KeeperException.Code.get(result.get()), "/");
        }
    }

    @Override
    public List<String> keysOnServer() {
        List<String> keys = new ArrayList<>();
        try {
            syncWithLeader();
            collect(layout.keysRoot(), keys);
        } catch (Exception e) {
            throw new IllegalStateException("could not list " + layout.keysRoot(), e);
        }
        return keys;
    }

    /** Every node under the namespace, structure included, for the leak checks of the ITs. */
    List<String> allNodes() throws Exception {
        syncWithLeader();
        List<String> out = new ArrayList<>();
        all(layout.root(), out);
        return out;
    }

    private void all(String path, List<String> out) throws Exception {
        List<String> children;
        try {
            children = admin.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return;
        }
        for (String child : children) {
            out.add(path + "/" + child);
            all(path + "/" + child, out);
        }
    }

    private void collect(String path, List<String> out) throws Exception {
        List<String> children;
        try {
            children = admin.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return;
        }
        for (String child : children) {
            String p = path + "/" + child;
            if (Layout.isStructureName(child)) {
                collect(p, out);
            } else {
                out.add(layout.keyOf(p));
            }
        }
    }

    @Override
    public OptionalInt liveLeases() {
        try {
            syncWithLeader();
            return OptionalInt.of(
                    admin.getChildren().forPath(layout.leasesRoot()).size());
        } catch (KeeperException.NoNodeException e) {
            return OptionalInt.of(0);
        } catch (Exception e) {
            throw new IllegalStateException("could not count leases", e);
        }
    }

    /** Each lease node's name, TTL and time since its last renewal, by the server's mtime and this machine's clock. */
    @Override
    public String liveLeaseDetails() {
        try {
            syncWithLeader();
            List<String> described = new ArrayList<>();
            for (String name : admin.getChildren().forPath(layout.leasesRoot())) {
                Stat stat = new Stat();
                byte[] data = admin.getData().storingStatIn(stat).forPath(layout.leasesRoot() + "/" + name);
                String ttl = NodeData.isLease(data) ? NodeData.decodeLeaseTtl(data) + " ms" : "? (not a lease)";
                described.add(name + " (ttl " + ttl + ", renewed " + (System.currentTimeMillis() - stat.getMtime())
                        + " ms ago, "
                        + admin.getChildren()
                                .forPath(layout.leasesRoot() + "/" + name)
                                .size()
                        + " entries)");
            }
            return ": " + described;
        } catch (Exception e) {
            return " (could not describe them: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            if (admin.checkExists().forPath(layout.root()) != null) {
                admin.delete().deletingChildrenIfNeeded().forPath(layout.root());
            }
        } catch (Exception e) {
            // A namespace left behind by a failed test does not disturb the next one, which uses a fresh one.
        } finally {
            admin.close();
            super.close();
        }
    }
}
