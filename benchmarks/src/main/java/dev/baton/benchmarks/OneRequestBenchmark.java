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
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.zookeeper.ZooKeeperBackend;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
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
 * Scenario f: one request, a Baton SPI call beside the raw client call(s) it makes, on the same connection, one thread,
 * so that the client's own overhead shows apart from the server's. Two calls on etcd and ZooKeeper: {@code get} (a
 * read of one key: SPI {@code get}; raw, jetcd's {@code KV.get} or ZooKeeper's {@code getData} of the same key) and
 * {@code cas} (SPI {@code compareAndSet} without a lease; raw, the requests it sends: on etcd one {@code Txn} comparing
 * the mod revision then putting, on ZooKeeper a {@code getData} then a {@code multi} of one versioned {@code setData}).
 * Each invocation makes every call once on both sides, alternating which side goes first, and times each call; the
 * figures go to a {@link Sidecar} ({@code request-<backend>-0}: {@code <call>.<side>.meanMicros}, {@code .p50Micros},
 * {@code .p99Micros}, {@code .samples}). JMH's own score is the whole invocation's time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class OneRequestBenchmark {
    /** The calls measured, in the order the summary shows them. */
    static final List<String> CALLS = List.of("get", "cas");

    /** The two ways of making a call. */
    static final List<String> SIDES = List.of("spi", "raw");

    private static final List<String> RAW_FIRST = List.of("raw", "spi");

    private static final byte[] VALUE = "holder".getBytes(StandardCharsets.UTF_8);

    /** The backend: {@code etcd} or {@code zookeeper}. */
    @Param({"etcd", "zookeeper"})
    public String backend;

    private Pair pair;
    private boolean measuring;
    private boolean spiFirst;
    private final Map<String, Samples> samples = new LinkedHashMap<>();

    /**
     * Opens the backend and its raw client, and writes the keys the calls read and replace.
     *
     * @throws Exception if the keys could not be written
     */
    @Setup(Level.Trial)
    public void open() throws Exception {
        String namespace = "bench-" + UUID.randomUUID();
        pair = backend.equals("etcd") ? openEtcd(namespace) : openZooKeeper(namespace);
        for (String call : CALLS) {
            for (String side : SIDES) {
                samples.put(call + "." + side, new Samples(1 << 20));
            }
        }
    }

    private static Pair openEtcd(String namespace) {
        Client client = Client.builder().endpoints(Servers.etcd()).build();
        EtcdBackend backend =
                BatonBackends.etcdBuilder(namespace).client(client).build();
        try {
            return new EtcdPair(client, backend);
        } catch (RuntimeException e) {
            backend.close();
            client.close();
            throw e;
        }
    }

    private static Pair openZooKeeper(String namespace) throws Exception {
        ZooKeeperBackend backend = (ZooKeeperBackend) new BatonBackends("zookeeper", namespace, Subjects.SESSION_TTL)
                .open()
                .backend();
        try {
            return new ZooKeeperPair(backend);
        } catch (Exception e) {
            backend.close();
            throw e;
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
     * Every call once on each side, the side that goes first alternating.
     *
     * @throws Exception if a call failed
     */
    @Benchmark
    public void calls() throws Exception {
        spiFirst = !spiFirst;
        for (String side : spiFirst ? SIDES : RAW_FIRST) {
            boolean spi = side.equals("spi");
            long start = System.nanoTime();
            if (spi) {
                pair.spiGet();
            } else {
                pair.rawGet();
            }
            long read = System.nanoTime();
            if (spi) {
                pair.spiCas();
            } else {
                pair.rawCas();
            }
            long written = System.nanoTime();
            if (measuring) {
                samples.get("get." + side).add(read - start);
                samples.get("cas." + side).add(written - read);
            }
        }
    }

    /**
     * Writes the sidecar, deletes the keys and closes the clients.
     *
     * @throws Exception if the keys could not be deleted
     */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        Sidecar.write(Sidecar.name("request", backend, 0), Samples.figures(samples));
        pair.close();
    }

    /**
     * A Baton backend and a raw client on its connection. The SPI calls read and replace the key {@code spi}, created
     * here; the raw ones read that key and replace a key of their own.
     */
    private abstract static class Pair implements AutoCloseable {
        private final CoordinationBackend spi;
        private long spiVersion;

        Pair(CoordinationBackend spi) {
            this.spi = spi;
            this.spiVersion = spi.createIfAbsent("spi", VALUE, Entry.NO_LEASE)
                    .orElseThrow(() -> lost("create"))
                    .version();
        }

        final void spiGet() {
            spi.get("spi").orElseThrow(() -> lost("SPI get"));
        }

        final void spiCas() {
            spiVersion = spi.compareAndSet("spi", spiVersion, VALUE, Entry.NO_LEASE)
                    .orElseThrow(() -> lost("SPI compare-and-set"))
                    .version();
        }

        abstract void rawGet() throws Exception;

        abstract void rawCas() throws Exception;

        /** Deletes the raw side's key. */
        abstract void deleteRaw() throws Exception;

        /** Closes the backend and the raw client. */
        abstract void closeClients();

        @Override
        public final void close() throws Exception {
            try {
                spi.compareAndDelete("spi", spiVersion);
                deleteRaw();
            } finally {
                closeClients();
            }
        }
    }

    private static IllegalStateException lost(String what) {
        return new IllegalStateException(what + " found its key changed or gone: nothing else writes it");
    }

    /** etcd: an {@link EtcdBackend} built on a jetcd client, and that client's {@link KV}. */
    private static final class EtcdPair extends Pair {
        private final Client client;
        private final EtcdBackend backend;
        private final KV kv;
        private final ByteSequence spiKey;
        private final ByteSequence rawKey;
        private long rawRevision;

        EtcdPair(Client client, EtcdBackend backend) {
            super(backend);
            this.client = client;
            this.backend = backend;
            kv = client.getKVClient();
            spiKey = ByteSequence.from(backend.namespace() + "spi", StandardCharsets.UTF_8);
            rawKey = ByteSequence.from(backend.namespace() + "raw", StandardCharsets.UTF_8);
            rawRevision = Futures.get(kv.put(rawKey, ByteSequence.from(VALUE)))
                    .getHeader()
                    .getRevision();
        }

        @Override
        void rawGet() {
            if (Futures.get(kv.get(spiKey)).getKvs().isEmpty()) {
                throw lost("raw get");
            }
        }

        @Override
        void rawCas() {
            TxnResponse r = Futures.get(kv.txn()
                    .If(new Cmp(rawKey, Cmp.Op.EQUAL, CmpTarget.modRevision(rawRevision)))
                    .Then(Op.put(
                            rawKey,
                            ByteSequence.from(VALUE),
                            PutOption.builder().withPrevKV().build()))
                    .commit());
            if (!r.isSucceeded()) {
                throw lost("raw compare-and-set");
            }
            rawRevision = r.getHeader().getRevision();
        }

        @Override
        void deleteRaw() {
            Futures.get(kv.delete(rawKey));
        }

        @Override
        void closeClients() {
            try {
                backend.close();
            } finally {
                client.close(); // given to the backend, which never closes it
            }
        }
    }

    /** ZooKeeper: a {@link ZooKeeperBackend} and the ZooKeeper handle of its Curator client. */
    private static final class ZooKeeperPair extends Pair {
        private final ZooKeeperBackend backend;
        private final String spiPath;
        private final String rawPath;
        private int rawVersion;

        ZooKeeperPair(ZooKeeperBackend backend) throws Exception {
            super(backend);
            this.backend = backend;
            // Baton's layout: the entry of a key without a '/' is a node under <root>/keys. rawGet fails if it moved.
            spiPath = backend.rootPath() + "/keys/spi";
            rawPath = backend.rootPath() + "/raw";
            zk().create(rawPath, VALUE, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }

        private ZooKeeper zk() throws Exception {
            return backend.curator().getZookeeperClient().getZooKeeper();
        }

        @Override
        void rawGet() throws Exception {
            zk().getData(spiPath, false, new Stat());
        }

        @Override
        void rawCas() throws Exception {
            ZooKeeper zk = zk();
            Stat stat = new Stat();
            zk.getData(rawPath, false, stat);
            if (stat.getVersion() != rawVersion) {
                throw lost("raw compare-and-set");
            }
            List<OpResult> results = zk.multi(List.of(org.apache.zookeeper.Op.setData(rawPath, VALUE, rawVersion)));
            rawVersion = ((OpResult.SetDataResult) results.get(0)).getStat().getVersion();
        }

        @Override
        void deleteRaw() throws Exception {
            zk().delete(rawPath, -1);
        }

        @Override
        void closeClients() {
            backend.close();
        }
    }
}
