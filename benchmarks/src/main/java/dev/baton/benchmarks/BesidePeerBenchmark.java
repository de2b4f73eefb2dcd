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
package dev.baton.benchmarks;

import dev.baton.etcd.EtcdBackend;
import dev.baton.lock.Coordinator;
import dev.baton.zookeeper.ZooKeeperBackend;
import dev.baton.zookeeper.internal.Layout;
import dev.baton.zookeeper.internal.NodeData;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.CreateOptions;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Scenario a, beside the peer: Baton's mutex, the peer's, Baton's own requests made raw, and the floor, one uncontended
 * cycle of each in turn on one client connection, one thread, each cycle timed. Four sides:
 *
 * <ul>
 *   <li>{@code baton}: a coordinator's mutex on a backend built on the connection;
 *   <li>{@code peer}: jetcd's {@code Lock} (on a lease of its own, kept alive on the connection) or Curator's {@code
 *       InterProcessMutex} on the backend's own Curator client;
 *   <li>{@code requests}: the requests Baton's cycle sends, made with the raw client and no lock logic: on etcd one
 *       {@code Txn} that puts the entry on a lease if absent and ranges over the queue, then one {@code Txn} that deletes
 *       it on its mod revision; on ZooKeeper one multi-operation (check the lease node, create the ephemeral entry as
 *       create2, create the lease's reference node) with the queue's children read sent right behind it, then one
 *       multi-operation that deletes the entry at its version and the reference. {@code baton ÷ requests} is what
 *       Baton's client adds; {@code requests ÷ peer} is what Baton's requests cost on the server against the peer's;
 *   <li>{@code floor}: etcd's put-if-absent {@code Txn} on a lease then a delete, or ZooKeeper's ephemeral create then
 *       a delete: the fewest writes, no exclusion.
 * </ul>
 *
 * <p>Uncontended cycles of separate subjects ({@link UncontendedCycleBenchmark}) run minutes apart, each in its own
 * JVM, and on a shared two-core machine the server's latency drifts by more than the subjects differ; here every side
 * meets the same seconds, connection and server state, and the first side of each turn rotates. The figures go to a
 * {@link Sidecar} ({@code beside-<backend>-0}: {@code <side>.meanMicros}, {@code .p50Micros}, {@code .p99Micros},
 * {@code .samples}, and the same of the cycle's two halves, {@code <side>.acquire.meanMicros} and {@code
 * <side>.release.meanMicros} and so on); JMH's own score is the whole invocation's time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class BesidePeerBenchmark {
    /** The sides, Baton first, in the order the summary shows them. */
    static final List<String> SIDES = List.of("baton", "peer", "requests", "floor");

    private static final byte[] VALUE = "holder".getBytes(StandardCharsets.UTF_8);

    /** The backend: {@code etcd} or {@code zookeeper}. */
    @Param({"etcd", "zookeeper"})
    public String backend;

    private Connection connection;
    private final Map<String, Locker> lockers = new LinkedHashMap<>();
    private final Map<String, Samples> samples = new LinkedHashMap<>();
    private boolean measuring;
    private int first;

    /**
     * Opens the connection and the four sides on it.
     *
     * @throws Exception if a side could not be set up
     */
    @Setup(Level.Trial)
    public void open() throws Exception {
        String namespace = "bench-" + UUID.randomUUID();
        connection = backend.equals("etcd") ? new EtcdConnection(namespace) : new ZooKeeperConnection(namespace);
        lockers.put("baton", Subjects.Baton.locker(connection.coordinator(), "mutex", "beside", "candidate-0"));
        lockers.put("peer", connection.peer());
        lockers.put("requests", connection.requests());
        lockers.put("floor", connection.floor());
        for (String side : SIDES) {
            samples.put(side, new Samples(1 << 20));
            samples.put(side + ".acquire", new Samples(1 << 20));
            samples.put(side + ".release", new Samples(1 << 20));
        }
    }

    /**
     * Records samples in measurement iterations only.
     *
     * @param params JMH's iteration parameters
     */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    /**
     * One cycle of every side, starting one side later than the invocation before.
     *
     * @throws Exception if a side failed
     */
    @Benchmark
    public void cycles() throws Exception {
        first = (first + 1) % SIDES.size();
        for (int i = 0; i < SIDES.size(); i++) {
            String side = SIDES.get((first + i) % SIDES.size());
            Locker locker = lockers.get(side);
            long start = System.nanoTime();
            locker.lock();
            long acquired = System.nanoTime();
            locker.unlock();
            long released = System.nanoTime();
            if (measuring) {
                samples.get(side).add(released - start);
                samples.get(side + ".acquire").add(acquired - start);
                samples.get(side + ".release").add(released - acquired);
            }
        }
    }

    /**
     * Writes the sidecar and closes the connection.
     *
     * @throws Exception if the connection's nodes or leases could not be removed
     */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        Sidecar.write(Sidecar.name("beside", backend, 0), Samples.figures(samples));
        connection.close();
    }

    /** One client connection and the sides made on it. */
    private interface Connection extends AutoCloseable {
        Coordinator coordinator();

        Locker peer() throws Exception;

        Locker requests() throws Exception;

        Locker floor() throws Exception;
    }

    /** etcd: one jetcd client, under a Baton backend, the Lock service and the raw KV calls. */
    private static final class EtcdConnection implements Connection {
        private final Client client;
        private final Coordinator coordinator;
        private final KV kv;
        private final String root;
        private final long lease;
        private final CloseableClient keepAlive;

        EtcdConnection(String namespace) {
            client = Client.builder().endpoints(Servers.etcd()).build();
            EtcdBackend backend =
                    BatonBackends.etcdBuilder(namespace).client(client).build();
            coordinator = Coordinator.builder(backend)
                    .sessionTtl(Subjects.SESSION_TTL)
                    .closeBackendOnClose(true)
                    .build();
            kv = client.getKVClient();
            root = namespace + "-raw/";
            // One lease for the peer's lock, the raw requests' entry and the floor's key, as a coordinator's session.
            lease = Futures.get(client.getLeaseClient().grant(Subjects.SESSION_TTL.toSeconds()))
                    .getID();
            keepAlive = client.getLeaseClient().keepAlive(lease, Futures.ignoring());
        }

        @Override
        public Coordinator coordinator() {
            return coordinator;
        }

        @Override
        public Locker peer() {
            return Subjects.JetcdLock.locker(client, lease, bytes(root + "peer"));
        }

        @Override
        public Locker requests() {
            String queue = root + "queue/";
            ByteSequence key = bytes(queue + Long.toHexString(lease));
            GetOption listing = GetOption.builder()
                    .withRange(bytes(root + "queue0")) // '0' follows '/': the range end of the prefix
                    .withSortField(GetOption.SortTarget.CREATE)
                    .withSortOrder(GetOption.SortOrder.ASCEND)
                    .build();
            return new Locker() {
                private long revision;

                @Override
                public void lock() {
                    TxnResponse r = Futures.get(kv.txn()
                            .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                            .Then(
                                    Op.put(
                                            key,
                                            ByteSequence.from(VALUE),
                                            PutOption.builder()
                                                    .withLeaseId(lease)
                                                    .build()),
                                    Op.get(bytes(queue), listing))
                            .commit());
                    if (!r.isSucceeded() || r.getGetResponses().get(0).getKvs().size() != 1) {
                        throw new IllegalStateException("raw entry " + key + " already existed");
                    }
                    revision = r.getHeader().getRevision();
                }

                @Override
                public void unlock() {
                    TxnResponse r = Futures.get(kv.txn()
                            .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(revision)))
                            .Then(Op.delete(key, DeleteOption.DEFAULT))
                            .commit());
                    if (!r.isSucceeded()) {
                        throw new IllegalStateException("raw entry " + key + " changed");
                    }
                }
            };
        }

        @Override
        public Locker floor() {
            return Subjects.EtcdFloor.locker(kv, bytes(root + "floor"), true, lease);
        }

        @Override
        public void close() {
            try {
                coordinator.close();
                keepAlive.close();
                Futures.get(client.getLeaseClient().revoke(lease));
            } finally {
                client.close(); // given to the backend, which never closes it
            }
        }

        private static ByteSequence bytes(String s) {
            return ByteSequence.from(s, StandardCharsets.UTF_8);
        }
    }

    /**
     * ZooKeeper: one Baton backend, whose Curator client also runs Curator's mutex, and whose ZooKeeper handle makes the
     * raw requests, under a root of their own.
     */
    private static final class ZooKeeperConnection implements Connection {
        private final ZooKeeperBackend backend;
        private final Coordinator coordinator;
        private final String root;
        private final Layout layout;
        private final long lease = 0x5eed_0000_0000_0001L;

        ZooKeeperConnection(String namespace) throws Exception {
            backend = (ZooKeeperBackend) new BatonBackends("zookeeper", namespace, Subjects.SESSION_TTL)
                    .open()
                    .backend();
            coordinator = Coordinator.builder(backend)
                    .sessionTtl(Subjects.SESSION_TTL)
                    .closeBackendOnClose(true)
                    .build();
            root = "/" + namespace + "-raw";
            layout = new Layout(root);
            // Baton's layout: the lease node (persistent, its TTL as data) and the queue's structure node.
            zk().create(root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (String node : List.of(layout.leasesRoot(), layout.keysRoot(), layout.structure("queue"))) {
                zk().create(node, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            zk().create(
                            layout.lease(lease),
                            NodeData.lease(Subjects.SESSION_TTL.toMillis()),
                            ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT);
        }

        private ZooKeeper zk() throws Exception {
            return backend.curator().getZookeeperClient().getZooKeeper();
        }

        @Override
        public Coordinator coordinator() {
            return coordinator;
        }

        @Override
        public Locker peer() {
            return Subjects.CuratorMutex.locker(new InterProcessMutex(curatorWithoutNamespace(), root + "/peer"));
        }

        private CuratorFramework curatorWithoutNamespace() {
            return backend.curator().usingNamespace(null);
        }

        @Override
        public Locker requests() {
            String key = "queue/" + Layout.leaseName(lease);
            String entry = layout.entry(key);
            String reference = layout.reference(lease, key);
            String queue = layout.structure("queue");
            byte[] data = NodeData.entry(lease, 0, VALUE);
            List<org.apache.zookeeper.Op> create = List.of(
                    org.apache.zookeeper.Op.check(layout.lease(lease), -1),
                    org.apache.zookeeper.Op.create(
                            entry,
                            data,
                            CreateOptions.newBuilder(ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL)
                                    .build()),
                    org.apache.zookeeper.Op.create(
                            reference, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            return new Locker() {
                private int version;

                @Override
                public void lock() throws Exception {
                    ZooKeeper zk = zk();
                    CompletableFuture<List<OpResult>> created = new CompletableFuture<>();
                    zk.multi(
                            create,
                            (rc, path, ctx, results) -> {
                                if (rc == KeeperException.Code.OK.intValue()) {
                                    created.complete(results);
                                } else {
                                    created.completeExceptionally(
                                            KeeperException.create(KeeperException.Code.get(rc), entry));
                                }
                            },
                            null);
                    CompletableFuture<Integer> listed = new CompletableFuture<>();
                    zk.getChildren(
                            queue,
                            false,
                            (rc, path, ctx, children, stat) -> {
                                if (rc == KeeperException.Code.OK.intValue()) {
                                    listed.complete(children.size());
                                } else {
                                    listed.completeExceptionally(
                                            KeeperException.create(KeeperException.Code.get(rc), queue));
                                }
                            },
                            null);
                    List<OpResult> results = created.get(10, TimeUnit.SECONDS);
                    if (listed.get(10, TimeUnit.SECONDS) != 1) {
                        throw new IllegalStateException("raw queue " + queue + " holds more than this entry");
                    }
                    version = ((OpResult.CreateResult) results.get(1)).getStat().getVersion();
                }

                @Override
                public void unlock() throws Exception {
                    zk().multi(List.of(
                            org.apache.zookeeper.Op.delete(entry, version),
                            org.apache.zookeeper.Op.delete(reference, -1)));
                }
            };
        }

        @Override
        public Locker floor() {
            return Subjects.ZooKeeperFloor.locker(backend.curator(), root + "/floor");
        }

        @Override
        public void close() throws Exception {
            try {
                curatorWithoutNamespace().delete().deletingChildrenIfNeeded().forPath(root);
            } finally {
                coordinator.close(); // and the backend, with its Curator client
            }
        }
    }
}
