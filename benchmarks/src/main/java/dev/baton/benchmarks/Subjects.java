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

import dev.baton.lock.Acquirable;
import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedMultiLock;
import dev.baton.lock.DistributedSemaphore;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.LockOptions;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The subjects a benchmark compares, by name. Baton: {@code baton-inmemory}, {@code baton-etcd}, {@code
 * baton-zookeeper} (the mutex), each also with {@code -read} or {@code -write} (a read-write lock's side), {@code
 * -multi2} (a multi-lock of two names) or {@code -sem} (one permit of a semaphore of {@value
 * Baton#SEMAPHORE_PERMITS}), {@code -ttl} (a TTL lock), {@code -lease} (a renewable lease; both with a TTL of {@link
 * Baton#RECIPE_TTL}) or {@code -elect} (an election: campaign until elected, then resign) appended. Peers: {@code reentrantlock}, {@code reentrantlock-fair}, {@code jetcd-lock} (etcd's Lock service through jetcd), {@code
 * curator-mutex} (Curator's {@code InterProcessMutex}). Floors, the fewest writes a lock needs on the same server and no
 * exclusion at all: {@code etcd-put-delete}, {@code etcd-txn-lease} (a put-if-absent Txn on a lease, then a delete)
 * and {@code zk-create-delete} (an ephemeral create, then a delete).
 */
final class Subjects {
    /** The session TTL of Baton's coordinators and the peers' sessions, outside the failover benchmark. */
    static final Duration SESSION_TTL = Duration.ofSeconds(10);

    private Subjects() {}

    static LockSubject open(String name, int clients) {
        String namespace = "bench-" + UUID.randomUUID();
        for (String backend : List.of("inmemory", "etcd", "zookeeper")) {
            String mutex = "baton-" + backend;
            if (name.equals(mutex)) {
                return new Baton(backend, namespace, clients, "mutex");
            }
            if (name.startsWith(mutex + "-") && Baton.RECIPES.contains(name.substring(mutex.length() + 1))) {
                return new Baton(backend, namespace, clients, name.substring(mutex.length() + 1));
            }
        }
        switch (name) {
            case "reentrantlock":
                return new JavaLocks(false);
            case "reentrantlock-fair":
                return new JavaLocks(true);
            case "jetcd-lock":
                return new JetcdLock(namespace, clients);
            case "etcd-put-delete":
                return new EtcdFloor(namespace, false);
            case "etcd-txn-lease":
                return new EtcdFloor(namespace, true);
            case "curator-mutex":
                return new CuratorMutex(namespace, clients);
            case "zk-create-delete":
                return new ZooKeeperFloor(namespace);
            default:
                throw new IllegalArgumentException("unknown subject '" + name + "'");
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Baton: one coordinator per client, every one counting its SPI requests. */
    static final class Baton implements LockSubject {
        /** The recipes a subject name may end with, after the backend: {@code baton-etcd-read}. */
        static final List<String> RECIPES = List.of("read", "write", "multi2", "sem", "ttl", "lease", "elect");

        /**
         * The TTL of the {@code ttl} subject's TTL lock (no minimum hold, so the release frees it on the server) and of
         * the {@code lease} subject's lease: well above every backend's minimum TTL.
         */
        static final Duration RECIPE_TTL = Duration.ofSeconds(10);

        /** The limit of the {@code sem} subject's semaphore, of which each cycle takes one permit. */
        static final int SEMAPHORE_PERMITS = 4;

        private final BatonBackends backends;
        private final String recipe;
        private final List<CountingBackend> counted = new ArrayList<>();
        private final List<Coordinator> coordinators = new ArrayList<>();

        Baton(String backend, String namespace, int clients, String recipe) {
            this.recipe = recipe;
            this.backends = new BatonBackends(backend, namespace, SESSION_TTL);
            for (int i = 0; i < clients; i++) {
                CountingBackend b = backends.open();
                counted.add(b);
                coordinators.add(Coordinator.builder(b)
                        .sessionTtl(SESSION_TTL)
                        .closeBackendOnClose(true)
                        .build());
            }
        }

        @Override
        public Locker locker(int client, String name) {
            return locker(coordinators.get(client % coordinators.size()), recipe, name, "candidate-" + client);
        }

        /**
         * One thread's locker of a recipe on a coordinator.
         *
         * @param coordinator the coordinator the recipe runs on
         * @param recipe {@code mutex} or one of {@link #RECIPES}
         * @param name the recipe's name (a multi-lock takes {@code name/a} and {@code name/b})
         * @param candidate an election's candidate name (the other recipes ignore it)
         * @return the locker: {@code lock} acquires (an election campaigns until elected), {@code unlock} releases (or
         *     resigns)
         */
        static Locker locker(Coordinator coordinator, String recipe, String name, String candidate) {
            // What one acquisition of the subject's recipe does; it returns what releases it.
            Acquisition acquisition =
                    switch (recipe) {
                        case "multi2" -> {
                            DistributedMultiLock both = coordinator.multiLock(name + "/a", name + "/b");
                            yield () -> both.acquire()::close;
                        }
                        case "sem" -> {
                            DistributedSemaphore permits = coordinator.semaphore(name, SEMAPHORE_PERMITS);
                            yield () -> permits.acquire()::close;
                        }
                        case "elect" -> {
                            LeaderElection election = coordinator.election(name, candidate);
                            yield () -> election.campaign()::close;
                        }
                        case "ttl" -> release(coordinator.lock(name, LockOptions.ttl(RECIPE_TTL)));
                        case "lease" -> release(coordinator.lease(name, RECIPE_TTL));
                        case "read" -> release(coordinator.readWriteLock(name).readLock());
                        case "write" -> release(coordinator.readWriteLock(name).writeLock());
                        default -> release(coordinator.lock(name));
                    };
            return new Locker() {
                private Runnable held;

                @Override
                public void lock() throws InterruptedException {
                    held = acquisition.acquire();
                }

                @Override
                public void unlock() {
                    held.run();
                }
            };
        }

        /** One acquisition of a recipe; returns the release of what it took. */
        @FunctionalInterface
        private interface Acquisition {
            Runnable acquire() throws InterruptedException;
        }

        private static Acquisition release(Acquirable<?> lock) {
            return () -> lock.acquire()::close;
        }

        @Override
        public long requests() {
            return counted.stream().mapToLong(CountingBackend::requests).sum();
        }

        @Override
        public long keepAlives() {
            return counted.stream().mapToLong(CountingBackend::keepAlives).sum();
        }

        @Override
        public void close() {
            coordinators.forEach(Coordinator::close);
            backends.close();
        }
    }

    /**
     * {@link ReentrantLock}, one per name, shared by every client: the in-process floor. The default lock lets a
     * thread barge past the queue; the fair one hands the lock to the longest waiter, as Baton's FIFO queue does.
     */
    static final class JavaLocks implements LockSubject {
        private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
        private final boolean fair;

        JavaLocks(boolean fair) {
            this.fair = fair;
        }

        @Override
        public Locker locker(int client, String name) {
            ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock(fair));
            return new Locker() {
                @Override
                public void lock() {
                    lock.lock();
                }

                @Override
                public void unlock() {
                    lock.unlock();
                }
            };
        }

        @Override
        public void close() {}
    }

    /**
     * jetcd clients locking through etcd's Lock service. Every locker has a lease of its own (kept alive by jetcd):
     * the service names the lock's key after the lease, so two threads sharing one lease would share one key and both
     * "hold" the lock at once.
     */
    static final class JetcdLock implements LockSubject {
        private final String namespace;
        private final List<Client> clients = new ArrayList<>();
        private final List<CloseableClient> keepAlives = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<long[]> leases = new java.util.concurrent.CopyOnWriteArrayList<>();

        JetcdLock(String namespace, int count) {
            this.namespace = namespace;
            for (int i = 0; i < count; i++) {
                clients.add(Client.builder().endpoints(Servers.etcd()).build());
            }
        }

        @Override
        public Locker locker(int client, String name) {
            int i = client % clients.size();
            Client c = clients.get(i);
            long lease = Futures.get(c.getLeaseClient().grant(SESSION_TTL.toSeconds()))
                    .getID();
            leases.add(new long[] {i, lease});
            keepAlives.add(c.getLeaseClient().keepAlive(lease, Futures.ignoring()));
            return locker(c, lease, bytes(namespace + "/" + name));
        }

        /** A locker of the lock {@code lockName} through the Lock service of {@code client}, on {@code lease}. */
        static Locker locker(Client client, long lease, ByteSequence lockName) {
            io.etcd.jetcd.Lock lock = client.getLockClient();
            return new Locker() {
                private ByteSequence key;

                @Override
                public void lock() {
                    key = Futures.get(lock.lock(lockName, lease)).getKey();
                }

                @Override
                public void unlock() {
                    Futures.get(lock.unlock(key));
                }
            };
        }

        @Override
        public void close() {
            keepAlives.forEach(CloseableClient::close);
            for (long[] lease : leases) {
                Futures.get(clients.get((int) lease[0]).getLeaseClient().revoke(lease[1]));
            }
            clients.forEach(Client::close);
        }
    }

    /**
     * etcd's floor: a plain put then a delete, or a put-if-absent Txn on a lease then a delete, on a key of the
     * thread's own (no exclusion: this is what the writes alone cost).
     */
    static final class EtcdFloor implements LockSubject {
        private final String namespace;
        private final boolean txn;
        private final Client client;
        private final long lease;
        private final CloseableClient keepAlive;
        private final AtomicLong keys = new AtomicLong();

        EtcdFloor(String namespace, boolean txn) {
            this.namespace = namespace;
            this.txn = txn;
            this.client = Client.builder().endpoints(Servers.etcd()).build();
            this.lease = Futures.get(client.getLeaseClient().grant(SESSION_TTL.toSeconds()))
                    .getID();
            this.keepAlive = client.getLeaseClient().keepAlive(lease, Futures.ignoring());
        }

        @Override
        public Locker locker(int ignored, String name) {
            return locker(
                    client.getKVClient(), bytes(namespace + "/" + name + "/" + keys.incrementAndGet()), txn, lease);
        }

        /**
         * A locker of the floor on {@code key}: a put-if-absent {@code Txn} on {@code lease} if {@code txn}, else a
         * plain put; then a delete.
         */
        static Locker locker(KV kv, ByteSequence key, boolean txn, long lease) {
            ByteSequence value = bytes("holder");
            return new Locker() {
                @Override
                public void lock() {
                    if (txn) {
                        Txn t = kv.txn()
                                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                                .Then(Op.put(
                                        key,
                                        value,
                                        PutOption.builder().withLeaseId(lease).build()));
                        if (!Futures.get(t.commit()).isSucceeded()) {
                            throw new IllegalStateException("floor key " + key + " already existed");
                        }
                    } else {
                        Futures.get(kv.put(key, value));
                    }
                }

                @Override
                public void unlock() {
                    Futures.get(kv.delete(key, DeleteOption.DEFAULT));
                }
            };
        }

        @Override
        public void close() {
            keepAlive.close();
            Futures.get(client.getLeaseClient().revoke(lease));
            client.close();
        }
    }

    /** Curator frameworks locking with {@link InterProcessMutex}, one mutex per client and name. */
    static final class CuratorMutex implements LockSubject {
        private final String root;
        private final List<CuratorFramework> clients = new ArrayList<>();
        private final Map<String, InterProcessMutex> mutexes = new ConcurrentHashMap<>();

        CuratorMutex(String namespace, int count) {
            this.root = "/" + namespace;
            for (int i = 0; i < count; i++) {
                clients.add(startCurator());
            }
        }

        @Override
        public Locker locker(int client, String name) {
            int i = client % clients.size();
            return locker(mutexes.computeIfAbsent(
                    i + "/" + name, k -> new InterProcessMutex(clients.get(i), root + "/" + name)));
        }

        /** A locker of {@code mutex}: acquire, then release. */
        static Locker locker(InterProcessMutex mutex) {
            return new Locker() {
                @Override
                public void lock() throws Exception {
                    mutex.acquire();
                }

                @Override
                public void unlock() throws Exception {
                    mutex.release();
                }
            };
        }

        @Override
        public void close() {
            clients.forEach(CuratorFramework::close);
        }
    }

    /** ZooKeeper's floor: an ephemeral create then a delete, on the raw ZooKeeper handle, on a node of the thread's own. */
    static final class ZooKeeperFloor implements LockSubject {
        private final String root;
        private final CuratorFramework curator;
        private final AtomicLong nodes = new AtomicLong();

        ZooKeeperFloor(String namespace) {
            this.root = "/" + namespace;
            this.curator = startCurator();
            try {
                curator.create().creatingParentsIfNeeded().forPath(root);
            } catch (Exception e) {
                throw new IllegalStateException("could not create " + root, e);
            }
        }

        @Override
        public Locker locker(int ignored, String name) {
            return locker(curator, root + "/" + name + "-" + nodes.incrementAndGet());
        }

        /** A locker of the floor on {@code path}: an ephemeral create, then a delete, on the handle of {@code curator}. */
        static Locker locker(CuratorFramework curator, String path) {
            byte[] value = "holder".getBytes(StandardCharsets.UTF_8);
            return new Locker() {
                @Override
                public void lock() throws Exception {
                    zk().create(path, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                }

                @Override
                public void unlock() throws Exception {
                    zk().delete(path, -1);
                }

                private ZooKeeper zk() throws Exception {
                    return curator.getZookeeperClient().getZooKeeper();
                }
            };
        }

        @Override
        public void close() {
            curator.close();
        }
    }

    static CuratorFramework startCurator() {
        CuratorFramework c = CuratorFrameworkFactory.newClient(
                Servers.zookeeper(), (int) SESSION_TTL.toMillis(), 2_000, new RetryOneTime(100));
        c.start();
        try {
            if (!c.blockUntilConnected(10, TimeUnit.SECONDS)) {
                c.close();
                throw new IllegalStateException("Curator could not connect to " + Servers.zookeeper());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new IllegalStateException("interrupted while connecting to ZooKeeper", e);
        }
        return c;
    }
}
