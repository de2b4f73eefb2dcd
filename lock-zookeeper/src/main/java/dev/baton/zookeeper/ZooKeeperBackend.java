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

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.LockException;
import dev.baton.lock.Subscription;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchListener;
import dev.baton.zookeeper.internal.ConnectString;
import dev.baton.zookeeper.internal.Layout;
import dev.baton.zookeeper.internal.LeaseReaper;
import dev.baton.zookeeper.internal.NodeData;
import dev.baton.zookeeper.internal.WatchRegistry;
import dev.baton.zookeeper.internal.ZkCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.PathUtils;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CoordinationBackend} on ZooKeeper, through Apache Curator's framework ({@code CuratorFramework}: create
 * with modes, versioned setData and delete, multi-operations, persistent watches), not through Curator's lock and
 * leader recipes. Build it with {@link #builder()}.
 *
 * <p><b>How the SPI maps onto ZooKeeper.</b>
 *
 * <ul>
 *   <li><b>Keys</b> are nodes under {@code /<namespace>/keys}; a key's entry records the lease it is attached to.
 *   <li><b>Fencing token</b> ({@link Entry#createSequence()}): the czxid of the entry's node, a zxid the ensemble
 *       assigns and never reuses, which grows even after every node under a name was deleted (unlike a sequential
 *       node's counter, which restarts with its parent).
 *   <li><b>Version</b> ({@link Entry#version()}): the node's mzxid, so a re-created key never repeats a version.
 *   <li><b>Leases</b> are nodes under {@code /<namespace>/leases}. A lease expires on the <em>server's</em> clock:
 *       {@link #keepAlive(long)} rewrites the node, so its mtime (stamped by the ZooKeeper leader) is the time of the
 *       last renewal, and every backend of the namespace runs a reaper that removes leases whose {@code mtime + ttl}
 *       has passed by the leader's clock (read from a write to {@code /<namespace>/clock}), together with their
 *       entries, in one multi-operation that a concurrent keep-alive makes fail. The liveness slack is one reap
 *       interval plus a request.
 *   <li><b>ZooKeeper sessions.</b> A lease whose TTL is at most the negotiated ZooKeeper session timeout is tied to
 *       this client's ZooKeeper session: its entries are <em>ephemeral</em> nodes, so the server also deletes them
 *       when the session expires, and once the ZooKeeper handle it was granted on is closed (its session expired, as
 *       the server or Curator found, or the client was closed) every call naming the lease throws {@link
 *       NoSuchLeaseException} at once, without waiting for a connection: a new session never adopts the old one's
 *       lease. While
 *       the connection is suspended calls throw {@link BackendUnavailableException}, so the coordinator's local
 *       deadline (last acknowledged renewal + TTL − margin) runs out before the server, which counts the session
 *       timeout from the last request it received, can expire the session. Longer leases (TTL locks and leases
 *       with long TTLs) are persistent nodes that outlive ZooKeeper sessions and expire on the server's clock only.
 *   <li><b>Foreign data.</b> A node under the namespace whose data this backend did not write (another program's,
 *       or another format's) is never taken for an absent key: the calls that read it throw {@link LockException}
 *       naming the node, and the reaper leaves it alone.
 *   <li><b>Watches</b> are ZooKeeper persistent watches (recursive for prefixes), one per path and client, whose
 *       PUT events are completed by a read; a watch cannot replay history, so a watch asked to start from a revision
 *       older than the node's current state, or one that lost its connection, is reset.
 * </ul>
 *
 * <p><b>Requests per call.</b> {@code grantLease}, {@code keepAlive}, {@code get}, {@code createIfAbsent}: one
 * (plus a few to create missing parent nodes the first time). {@code compareAndSet} and {@code compareAndDelete}: two
 * (a read to compare the mzxid, then a versioned multi-operation), plus a few best-effort deletes of parent nodes
 * left empty. {@code revokeLease}: three. {@code list}: two per level of nesting under the prefix (children, then one
 * multi-read of their data). {@code watch}: one to register (the first watch of a path), plus a {@code list}-like
 * read to check the revision.
 *
 * <p><b>ACLs.</b> With {@link Builder#digestAuthentication(String, String)} every node the backend creates carries
 * {@code CREATOR_ALL_ACL} plus world READ: other identities can read who holds what, but cannot delete or overwrite a
 * held lock. Every coordinator sharing a namespace must then use the same identity.
 *
 * <p>Threadsafe. Every call blocks for at most the connection timeout waiting for a connection plus the request
 * timeout, and throws {@link BackendUnavailableException} when ZooKeeper cannot be reached; {@link
 * IllegalStateException} after {@link #close()} (except {@link #describe()}, the TTL limits and {@code close}).
 */
public final class ZooKeeperBackend implements CoordinationBackend {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperBackend.class);
    private static final int ATTEMPTS = 5;
    private static final byte[] NOTHING = new byte[0];

    /** The longest lease TTL the backend grants. */
    public static final Duration MAXIMUM_TTL = Duration.ofDays(1);

    private static final Duration MINIMUM_TIMEOUT = Duration.ofMillis(10);
    private static final Duration MAXIMUM_WAIT = Duration.ofHours(1);
    private static final Duration MINIMUM_REAP_INTERVAL = Duration.ofMillis(10);

    private final CuratorFramework curator;
    private final boolean ownsCurator;
    private final Layout layout;
    private final ZkCalls calls;
    private final List<ACL> acl;
    private final WatchRegistry watches;
    private final LeaseReaper reaper;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Duration reapInterval;
    private final String description;
    /** The leases tied to a ZooKeeper session of this client: the handle and session they were granted on. */
    private final Map<Long, Tie> tiedLeases = new ConcurrentHashMap<>();

    private final Map<Long, Long> leaseTtls = new ConcurrentHashMap<>();
    private final List<LongConsumer> leaseLostListeners = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener stateListener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledFuture<?> reaping;
    /**
     * Structure nodes that lost an entry to this client's deletes and may now be empty. They are removed with the
     * reaper's round, once per round each, not on the deleting call: a lock that is taken again soon (the common case)
     * then keeps its parent, and neither the release nor the next acquire pays a round trip for the structure.
     */
    private final Set<String> emptiedParents = ConcurrentHashMap.newKeySet();
    /**
     * Leases whose create failed without an answer (connection lost, request timed out, interrupted): it may have
     * taken effect, and the caller, told of a failure, will never renew or revoke it. Removed with the reaper's rounds
     * and at close, without waiting for its TTL: then the last client of a namespace leaves none behind either.
     */
    private final Set<Long> unacknowledgedGrants = ConcurrentHashMap.newKeySet();

    private ZooKeeperBackend(Builder b, CuratorFramework curator, boolean ownsCurator) {
        this.curator = curator;
        this.ownsCurator = ownsCurator;
        String clientNamespace = curator.getNamespace();
        String root =
                (clientNamespace == null || clientNamespace.isEmpty() ? "" : "/" + clientNamespace) + "/" + b.namespace;
        this.layout = new Layout(root);
        this.description =
                "ZooKeeper " + (b.connectString != null ? b.connectString : "(client supplied)") + " " + root;
        this.calls = new ZkCalls(curator, description);
        // ZooKeeper asks the list whether it contains null, which List.copyOf's lists refuse to answer.
        this.acl = b.acl != null
                ? Collections.unmodifiableList(new ArrayList<>(b.acl))
                : b.digestUser != null ? creatorAllWorldRead() : ZooDefs.Ids.OPEN_ACL_UNSAFE;
        this.watches = new WatchRegistry(layout, calls, this::toEntry);
        this.reapInterval = b.reapInterval;
        this.reaper = new LeaseReaper(layout, calls, new Nodes(), b.reapInterval.toMillis());
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = b.scheduler != null
                ? b.scheduler
                : Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "baton-zookeeper-reaper");
                    t.setDaemon(true);
                    return t;
                });
        this.stateListener = (client, state) -> {
            if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
                watches.resetAll("ZooKeeper connection " + state + ": watches may have missed changes");
            }
            if (state == ConnectionState.LOST || state == ConnectionState.RECONNECTED) {
                reportLeasesOfDeadHandles();
            }
        };
        curator.getConnectionStateListenable().addListener(stateListener);
        long period = b.reapInterval.toMillis();
        this.reaping = scheduler.scheduleWithFixedDelay(this::reapQuietly, 0, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static List<ACL> creatorAllWorldRead() {
        List<ACL> list = new ArrayList<>(ZooDefs.Ids.CREATOR_ALL_ACL);
        list.addAll(ZooDefs.Ids.READ_ACL_UNSAFE);
        return Collections.unmodifiableList(list);
    }

    /**
     * Returns the Curator client this backend runs on (the one given to {@link Builder#curator(CuratorFramework)},
     * or the one it built). Do not close it while the backend is open.
     *
     * @return the client
     */
    public CuratorFramework curator() {
        return curator;
    }

    /**
     * Returns the session timeout the ZooKeeper server granted this client's current session; leases with a TTL up
     * to this are tied to the session.
     *
     * @return the negotiated session timeout
     * @throws BackendUnavailableException if not connected within the connection timeout
     */
    public Duration negotiatedSessionTimeout() {
        return Duration.ofMillis(calls.handle("read the session timeout").getSessionTimeout());
    }

    /**
     * Returns the absolute path under which this backend keeps its nodes (the Curator client's own namespace, if any,
     * followed by {@link Builder#namespace(String)}).
     *
     * @return the root path
     */
    public String rootPath() {
        return layout.root();
    }

    /**
     * Describes the backend, for example {@code ZooKeeper 127.0.0.1:2181 /baton}; never contains credentials.
     *
     * @return the description
     */
    @Override
    public String describe() {
        return description;
    }

    /**
     * Returns four reap intervals: a lease must outlive a few reaper rounds for its expiry to be timely.
     *
     * @return the minimum TTL
     */
    @Override
    public Duration minimumTtl() {
        return reapInterval.multipliedBy(4);
    }

    /**
     * Returns {@link #MAXIMUM_TTL}.
     *
     * @return one day
     */
    @Override
    public Duration maximumTtl() {
        return MAXIMUM_TTL;
    }

    /**
     * Grants a lease: creates its node, stamped with the server's time. Tied to this client's ZooKeeper session
     * when {@code ttl} is at most the negotiated session timeout. One request.
     *
     * @param ttl the TTL, within {@link #minimumTtl()} and {@link #maximumTtl()}
     * @return the lease id
     * @throws IllegalArgumentException if {@code ttl} is out of range
     * @throws NullPointerException if {@code ttl} is null
     * @throws BackendUnavailableException if ZooKeeper cannot be reached
     * @throws IllegalStateException if closed
     */
    @Override
    public long grantLease(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl must not be null");
        if (ttl.compareTo(minimumTtl()) < 0) {
            throw new IllegalArgumentException("ttl must be at least the ZooKeeper backend's minimum TTL of "
                    + minimumTtl() + " (four reap intervals), got " + ttl);
        }
        if (ttl.compareTo(MAXIMUM_TTL) > 0) {
            throw new IllegalArgumentException(
                    "ttl must be at most the ZooKeeper backend's maximum TTL of " + MAXIMUM_TTL + ", got " + ttl);
        }
        checkOpen();
        long ttlMillis = ttl.toMillis() + (ttl.toNanosPart() % 1_000_000 == 0 ? 0 : 1);
        return calls.call("grant a lease", zk -> {
            boolean tied = ttlMillis <= zk.getSessionTimeout();
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
                try {
                    zk.create(layout.lease(id), NodeData.lease(ttlMillis), acl, CreateMode.PERSISTENT);
                } catch (KeeperException.NoNodeException e) {
                    new Nodes().ensurePath(zk, layout.leasesRoot());
                    continue;
                } catch (KeeperException.NodeExistsException e) {
                    continue;
                } catch (KeeperException | InterruptedException e) {
                    // The create may have taken effect with its answer lost: no caller will ever know this lease.
                    unacknowledgedGrants.add(id);
                    throw e;
                }
                leaseTtls.put(id, ttlMillis);
                if (tied) {
                    tiedLeases.put(id, new Tie(zk, zk.getSessionId()));
                }
                return id;
            }
            throw new LockException(null, description + ": could not create a lease node", null);
        });
    }

    /**
     * Renews a lease: rewrites its node so that its mtime is the server's time now. One request (two for a lease
     * granted by another client, whose TTL is read first).
     *
     * @param leaseId the lease
     * @throws NoSuchLeaseException if the lease was removed (expired and reaped, or revoked), or is tied to a
     *     ZooKeeper session this client no longer has (thrown at once, without waiting for a connection)
     * @throws LockException if the lease's node holds data this backend did not write
     * @throws BackendUnavailableException if ZooKeeper cannot be reached
     * @throws IllegalStateException if closed
     */
    @Override
    public void keepAlive(long leaseId) {
        checkOpen();
        requireLiveHandle(leaseId);
        calls.call("keep lease " + Layout.leaseName(leaseId) + " alive", zk -> {
            requireSession(zk, leaseId);
            long ttl = ttlOf(zk, leaseId);
            try {
                zk.setData(layout.lease(leaseId), NodeData.lease(ttl), -1);
            } catch (KeeperException.NoNodeException e) {
                throw new NoSuchLeaseException(leaseId);
            }
            return null;
        });
    }

    /**
     * Removes a lease with every entry attached to it, in one multi-operation; an unknown lease is ignored.
     *
     * @param leaseId the lease
     * @throws BackendUnavailableException if ZooKeeper cannot be reached
     * @throws IllegalStateException if closed
     */
    @Override
    public void revokeLease(long leaseId) {
        checkOpen();
        reaper.revoke(leaseId);
        tiedLeases.remove(leaseId);
        leaseTtls.remove(leaseId);
    }

    /**
     * Reads one key. One request.
     *
     * @param key the key
     * @return the entry, or empty
     * @throws IllegalArgumentException if {@code key} breaks the SPI's key rules
     * @throws LockException if the key's node holds data this backend did not write
     * @throws BackendUnavailableException if ZooKeeper cannot be reached
     * @throws IllegalStateException if closed
     */
    @Override
    public Optional<Entry> get(String key) {
        checkKey("key", key);
        checkOpen();
        return calls.call("read " + key, zk -> Optional.ofNullable(read(zk, key)));
    }

    /**
     * Creates a key attached to a lease, if absent: one multi-operation that checks the lease, creates the entry
     * (ephemeral when the lease is tied to this client's session) and its reference under the lease.
     *
     * @param key the key
     * @param value the value
     * @param leaseId the lease
     * @return the entry, or empty if the key exists
     * @throws NoSuchLeaseException if the lease does not exist or belongs to a lost ZooKeeper session
     * @throws IllegalArgumentException if {@code key} breaks the SPI's key rules
     * @throws NullPointerException if an argument is null
     * @throws BackendUnavailableException if ZooKeeper cannot be reached
     * @throws IllegalStateException if closed
     */
    @Override
    public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        checkKey("key", key);
        Objects.requireNonNull(value, "value must not be null");
        checkOpen();
        requireLiveHandle(leaseId);
        byte[] data = NodeData.entry(leaseId, 0, value);
        String path = layout.entry(key);
        return calls.call("create " + key, zk -> {
            CreateMode mode = modeFor(zk, leaseId);
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                List<Op> ops = new ArrayList<>(3);
                int create = 0;
                if (leaseId != Entry.NO_LEASE) {
                    ops.add(Op.check(layout.lease(leaseId), -1));
                    create = 1;
                }
                ops.add(Op.create(path, data, acl, mode));
                if (leaseId != Entry.NO_LEASE) {
                    ops.add(Op.create(layout.reference(leaseId, key), NOTHING, acl, CreateMode.PERSISTENT));
                }
                try {
                    List<OpResult> results = zk.multi(ops);
                    Stat stat = ((OpResult.CreateResult) results.get(create)).getStat();
                    if (stat == null) {
                        stat = zk.exists(path, false);
                    }
                    Entry created = new Entry(key, value, stat.getMzxid(), stat.getCzxid(), leaseId);
                    watches.recordOwnWrite(created);
                    return Optional.of(created);
                } catch (KeeperException e) {
                    ZkCalls.Failure f = ZkCalls.failureOf(e);
                    if (f == null) {
                        throw e;
                    }
                    if (f.index() < create && f.code() == KeeperException.Code.NONODE) {
                        throw new NoSuchLeaseException(leaseId);
                    } else if (f.index() == create && f.code() == KeeperException.Code.NODEEXISTS) {
                        return Optional.<Entry>empty();
                    } else if (f.index() == create && f.code() == KeeperException.Code.NONODE) {
                        new Nodes().ensurePath(zk, Layout.parent(path));
                    } else if (f.index() > create && f.code() == KeeperException.Code.NODEEXISTS) {
                        // A reference left by an ephemeral entry that died with its session: replace it.
                        deleteQuietly(zk, layout.reference(leaseId, key));
                    } else {
                        throw e;
                    }
                }
            }
            throw new LockException(
                    null, description + ": could not create " + key + " (parents kept vanishing)", null);
        });
    }

    /**
     * Replaces a key's value and lease if its version (mzxid) matches: a read, then one multi-operation that checks
     * the lease and the node's version, writes the entry and moves its reference to the new lease. An entry that must
     * change between ephemeral and persistent is re-created in the same multi-operation, keeping its creation
     * sequence in its data.
     *
     * @param key the key
     * @param expectedVersion the version the caller last saw
     * @param value the new value
     * @param leaseId the lease afterwards
     * @return the updated entry, or empty if the key is absent or its version differs
     * @throws NoSuchLeaseException if the lease does not exist or belongs to a lost ZooKeeper session
     * @throws LockException if the key's node holds data this backend did not write
     * @throws IllegalArgumentException if {@code key} breaks the SPI's key rules
     * @throws NullPointerException if an argument is null
     * @throws BackendUnavailableException if ZooKeeper cannot be reached
     * @throws IllegalStateException if closed
     */
    @Override
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        checkKey("key", key);
        Objects.requireNonNull(value, "value must not be null");
        checkOpen();
        requireLiveHandle(leaseId);
        String path = layout.entry(key);
        return calls.call("compare-and-set " + key, zk -> {
            CreateMode mode = modeFor(zk, leaseId);
            boolean skipOldReference = false;
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Stat stat = new Stat();
                byte[] current;
                try {
                    current = zk.getData(path, false, stat);
                } catch (KeeperException.NoNodeException e) {
                    return Optional.<Entry>empty();
                }
                NodeData.EntryData old = decodeEntryAt(path, current);
                if (stat.getMzxid() != expectedVersion) {
                    return Optional.<Entry>empty();
                }
                long sequence = old.originSequence() != 0 ? old.originSequence() : stat.getCzxid();
                boolean wantEphemeral = mode == CreateMode.EPHEMERAL;
                boolean inPlace = (stat.getEphemeralOwner() != 0) == wantEphemeral
                        && (!wantEphemeral || stat.getEphemeralOwner() == zk.getSessionId());
                List<Op> ops = new ArrayList<>(6);
                int checks = 0;
                if (leaseId != Entry.NO_LEASE) {
                    ops.add(Op.check(layout.lease(leaseId), -1));
                    checks = 1;
                }
                int written;
                if (inPlace) {
                    ops.add(Op.setData(path, NodeData.entry(leaseId, old.originSequence(), value), stat.getVersion()));
                    written = ops.size() - 1;
                } else {
                    ops.add(Op.delete(path, stat.getVersion()));
                    ops.add(Op.create(path, NodeData.entry(leaseId, sequence, value), acl, mode));
                    written = ops.size() - 1;
                }
                int oldReference = -1;
                int newReference = -1;
                if (old.leaseId() != leaseId) {
                    if (old.leaseId() != Entry.NO_LEASE && !skipOldReference) {
                        ops.add(Op.delete(layout.reference(old.leaseId(), key), -1));
                        oldReference = ops.size() - 1;
                    }
                    if (leaseId != Entry.NO_LEASE) {
                        ops.add(Op.create(layout.reference(leaseId, key), NOTHING, acl, CreateMode.PERSISTENT));
                        newReference = ops.size() - 1;
                    }
                }
                try {
                    List<OpResult> results = zk.multi(ops);
                    OpResult r = results.get(written);
                    Stat after = r instanceof OpResult.SetDataResult
                            ? ((OpResult.SetDataResult) r).getStat()
                            : ((OpResult.CreateResult) r).getStat();
                    if (after == null) {
                        after = zk.exists(path, false);
                    }
                    Entry updated = new Entry(key, value, after.getMzxid(), sequence, leaseId);
                    watches.recordOwnWrite(updated);
                    return Optional.of(updated);
                } catch (KeeperException e) {
                    ZkCalls.Failure f = ZkCalls.failureOf(e);
                    if (f == null) {
                        throw e;
                    }
                    if (f.index() < checks && f.code() == KeeperException.Code.NONODE) {
                        throw new NoSuchLeaseException(leaseId);
                    } else if (f.index() >= checks && f.index() <= written) {
                        return Optional.<Entry>empty();
                    } else if (f.index() == oldReference) {
                        skipOldReference = true;
                    } else if (f.index() == newReference && f.code() == KeeperException.Code.NODEEXISTS) {
                        deleteQuietly(zk, layout.reference(leaseId, key));
                    } else {
                        throw e;
                    }
                }
            }
            throw new LockException(null, description + ": could not compare-and-set " + key, null);
        });
    }

    /**
     * Deletes a key if its version (mzxid) matches: a read, then one multi-operation that deletes the entry
     * (versioned) and its reference; then removes parent nodes left empty.
     *
     * @param key the key
     * @param expectedVersion the version the caller last saw
     * @return whether the key was deleted
     * @throws LockException if the key's node holds data this backend did not write
     * @throws IllegalArgumentException if {@code key} breaks the SPI's key rules
     * @throws BackendUnavailableException if ZooKeeper cannot be reached
     * @throws IllegalStateException if closed
     */
    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        checkKey("key", key);
        checkOpen();
        String path = layout.entry(key);
        return calls.call("compare-and-delete " + key, zk -> {
            boolean skipReference = false;
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Stat stat = new Stat();
                byte[] current;
                try {
                    current = zk.getData(path, false, stat);
                } catch (KeeperException.NoNodeException e) {
                    return false;
                }
                NodeData.EntryData old = decodeEntryAt(path, current);
                if (stat.getMzxid() != expectedVersion) {
                    return false;
                }
                List<Op> ops = new ArrayList<>(2);
                ops.add(Op.delete(path, stat.getVersion()));
                if (old.leaseId() != Entry.NO_LEASE && !skipReference) {
                    ops.add(Op.delete(layout.reference(old.leaseId(), key), -1));
                }
                try {
                    zk.multi(ops);
                } catch (KeeperException e) {
                    ZkCalls.Failure f = ZkCalls.failureOf(e);
                    if (f == null) {
                        throw e;
                    }
                    if (f.index() == 0) {
                        return false;
                    }
                    skipReference = true;
                    continue;
                }
                emptiedParents.add(Layout.parent(path));
                return true;
            }
            throw new LockException(null, description + ": could not compare-and-delete " + key, null);
        });
    }

    /**
     * Lists the keys under {@code prefix + "/"}, ordered by creation sequence. Two requests per level of nesting:
     * the children (with the parent's pzxid), then one multi-read of their data. The revision is the largest zxid
     * that changed the listed tree (children's creations and deletions, entries' writes).
     *
     * @param prefix the prefix
     * @return the listing
     * @throws LockException if a node under the prefix holds data this backend did not write
     * @throws IllegalArgumentException if {@code prefix} breaks the SPI's key rules
     * @throws BackendUnavailableException if ZooKeeper cannot be reached
     * @throws IllegalStateException if closed
     */
    @Override
    public Listing list(String prefix) {
        checkKey("prefix", prefix);
        checkOpen();
        return calls.call("list " + prefix, zk -> {
            List<Entry> entries = new ArrayList<>();
            String node = layout.structure(prefix);
            long revision = walk(zk, node, entries);
            if (revision < 0) {
                revision = revisionOfAbsent(zk, node);
            }
            entries.sort(Comparator.comparingLong(Entry::createSequence));
            return new Listing(entries, revision);
        });
    }

    /**
     * Watches a key or prefix through a ZooKeeper persistent watch, then checks the revision: if the key or tree
     * changed after {@code afterRevision}, the watch is reset at once (ZooKeeper keeps no history to replay). A change
     * of connection state also resets it.
     *
     * @param keyOrPrefix the key or prefix
     * @param prefix whether it is a prefix
     * @param afterRevision the revision the caller has seen
     * @param listener the listener, called on ZooKeeper's event thread
     * @return the watch
     * @throws IllegalArgumentException if {@code keyOrPrefix} breaks the SPI's key rules
     * @throws NullPointerException if an argument is null
     * @throws BackendUnavailableException if ZooKeeper cannot be reached
     * @throws IllegalStateException if closed
     */
    @Override
    public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        checkKey("keyOrPrefix", keyOrPrefix);
        Objects.requireNonNull(listener, "listener must not be null");
        checkOpen();
        String path = prefix ? layout.structure(keyOrPrefix) : layout.entry(keyOrPrefix);
        WatchRegistry.Subscription subscription = watches.subscribe(path, prefix, listener);
        long now;
        try {
            now = calls.call("check the revision of " + keyOrPrefix, zk -> {
                if (prefix) {
                    long r = walk(zk, path, null);
                    return r < 0 ? revisionOfAbsent(zk, path) : r;
                }
                Stat stat = zk.exists(path, false);
                return stat != null ? stat.getMzxid() : revisionOfAbsent(zk, path);
            });
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
        if (now > afterRevision) {
            subscription.reset("'" + keyOrPrefix + "' changed after revision " + afterRevision + " (now " + now
                    + ") and ZooKeeper cannot replay changes; re-read and watch again");
        }
        return subscription;
    }

    /**
     * Runs one reaper round now, on the calling thread: removes every lease whose TTL has passed on the server's
     * clock. The backend does this by itself every reap interval; tests call it to measure.
     *
     * @return how many leases were removed
     * @throws BackendUnavailableException if ZooKeeper cannot be reached
     * @throws IllegalStateException if closed
     */
    public int reapExpiredLeases() {
        checkOpen();
        return reaper.reapOnce();
    }

    /**
     * Registers a listener told of every session-bound lease whose ZooKeeper handle has died (its session expired, as
     * the server or Curator found, or was closed): such a lease can never be renewed, and its ephemeral entries are
     * gone or going. Checked when Curator reports the connection LOST or RECONNECTED (with a new session), so the
     * coordinator learns within milliseconds of Curator instead of at its next renewal. Threadsafe.
     *
     * @param listener called on Curator's event thread with the lease id; must hand its work off
     * @return the registration
     */
    @Override
    public Subscription onLeaseLost(LongConsumer listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        leaseLostListeners.add(listener);
        return () -> leaseLostListeners.remove(listener);
    }

    private void reportLeasesOfDeadHandles() {
        for (Map.Entry<Long, Tie> tied : tiedLeases.entrySet()) {
            if (!tied.getValue().handle().getState().isAlive()) {
                for (LongConsumer listener : leaseLostListeners) {
                    try {
                        listener.accept(tied.getKey());
                    } catch (RuntimeException e) {
                        log.warn("a lease-lost listener threw; ignoring it", e);
                    }
                }
            }
        }
    }

    /**
     * Stops the reaper and every watch (silently), removes the session-bound leases that can no longer be renewed,
     * removes the namespace's skeleton nodes if nothing else is left in them, and closes the Curator client if this
     * backend built it (a client given to the builder stays open). The server's state (keys and leases) is otherwise
     * left as it is. Idempotent.
     *
     * <p>A lease tied to a ZooKeeper session of this client dies with that session (its entries are ephemeral, and no
     * other session adopts it), but its node would stay until some other client's reaper expired it, and forever if
     * no other client runs in the namespace: a revoke that failed earlier (a timeout under load) would leave it. So
     * close removes, with their entries, the tied leases of sessions that already ended and, when it closes the
     * Curator client itself, those of the current session; best effort, only while connected. So it does with leases
     * whose grant failed without an answer (it may have taken effect), which its reaper otherwise removes.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        reaping.cancel(false);
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        watches.close();
        curator.getConnectionStateListenable().removeListener(stateListener);
        pruneDeletedEntriesParents();
        try {
            if (curator.getZookeeperClient().isConnected()) {
                ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
                removeUnacknowledgedGrants();
                removeDeadTiedLeases(zk);
                for (String path : List.of(layout.keysRoot(), layout.leasesRoot(), layout.clock(), layout.root())) {
                    deleteIfEmpty(zk, path);
                }
            }
        } catch (Exception e) {
            log.debug("could not tidy {} at close: {}", layout.root(), e.toString());
        }
        if (ownsCurator) {
            curator.close();
        }
    }

    /** At close: the tied leases that no session of this client can renew any more (see {@link #close()}). */
    private void removeDeadTiedLeases(ZooKeeper current) {
        for (Map.Entry<Long, Tie> tied : tiedLeases.entrySet()) {
            boolean dead = ownsCurator
                    || tied.getValue().handle() != current
                    || tied.getValue().sessionId() != current.getSessionId();
            if (!dead) {
                continue;
            }
            try {
                reaper.revoke(tied.getKey());
                tiedLeases.remove(tied.getKey());
            } catch (RuntimeException e) {
                log.debug(
                        "could not remove lease {} at close; another client's reaper expires it: {}",
                        Layout.leaseName(tied.getKey()),
                        e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "ZooKeeperBackend{" + description + (closed.get() ? ", closed" : "") + "}";
    }

    // ---- internals ----

    private void reapQuietly() {
        if (closed.get()) {
            return;
        }
        try {
            reaper.reapOnce();
        } catch (RuntimeException e) {
            log.debug("lease reaper round failed: {}", e.toString());
        }
        removeUnacknowledgedGrants();
        pruneDeletedEntriesParents();
    }

    private void removeUnacknowledgedGrants() {
        for (Long id : unacknowledgedGrants) {
            try {
                reaper.revoke(id);
                unacknowledgedGrants.remove(id);
            } catch (RuntimeException e) {
                log.debug("could not yet remove lease {}, granted without an answer: {}", Layout.leaseName(id), e);
            }
        }
    }

    /**
     * Removes the structure left empty by this client's deletes. Safe against a concurrent create under the same
     * parent: ZooKeeper refuses to delete a parent that has children, and a create that loses its parent re-creates
     * it.
     */
    private void pruneDeletedEntriesParents() {
        if (emptiedParents.isEmpty() || !curator.getZookeeperClient().isConnected()) {
            return;
        }
        Nodes nodes = new Nodes();
        try {
            ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
            for (String parent : List.copyOf(emptiedParents)) {
                emptiedParents.remove(parent);
                nodes.pruneEmptyFrom(zk, parent);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("could not prune empty structure: {}", e.toString());
        }
    }

    private Entry toEntry(String key, byte[] data, Stat stat) {
        NodeData.EntryData e = decodeEntryAt(layout.entry(key), data);
        long sequence = e.originSequence() != 0 ? e.originSequence() : stat.getCzxid();
        return new Entry(key, e.value(), stat.getMzxid(), sequence, e.leaseId());
    }

    private Entry read(ZooKeeper zk, String key) throws KeeperException, InterruptedException {
        Stat stat = new Stat();
        try {
            byte[] data = zk.getData(layout.entry(key), false, stat);
            return toEntry(key, data, stat);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    /**
     * Reads the tree under a structure node: adds its entries to {@code out} (if not null) and returns the largest
     * zxid that changed it, or -1 if the node does not exist.
     */
    private long walk(ZooKeeper zk, String node, List<Entry> out) throws KeeperException, InterruptedException {
        Stat stat = new Stat();
        List<String> children;
        try {
            children = zk.getChildren(node, false, stat);
        } catch (KeeperException.NoNodeException e) {
            return -1;
        }
        long revision = stat.getPzxid();
        List<String> entryNames = new ArrayList<>();
        List<Op> reads = new ArrayList<>();
        for (String child : children) {
            if (Layout.isStructureName(child)) {
                revision = Math.max(revision, walk(zk, node + "/" + child, out));
            } else {
                entryNames.add(child);
                reads.add(Op.getData(node + "/" + child));
            }
        }
        if (reads.isEmpty()) {
            return revision;
        }
        List<OpResult> results;
        try {
            results = zk.multi(reads);
        } catch (KeeperException e) {
            if (e.getResults() == null || e.getResults().size() != reads.size()) {
                throw e;
            }
            results = e.getResults();
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof OpResult.GetDataResult) {
                OpResult.GetDataResult r = (OpResult.GetDataResult) results.get(i);
                String key = layout.keyOf(node + "/" + entryNames.get(i));
                Entry entry = key == null ? null : toEntry(key, r.getData(), r.getStat());
                if (entry != null) {
                    revision = Math.max(revision, r.getStat().getMzxid());
                    if (out != null) {
                        out.add(entry);
                    }
                }
            }
        }
        return revision;
    }

    /**
     * The pzxid of the nearest existing ancestor under the keys root: it changes whenever the missing node is created.
     * With no keys root, 0: nothing under it exists, and the namespace root's pzxid would also count the backend's
     * own skeleton (the clock node a reaper creates, the leases node), resetting watches that missed nothing.
     */
    private long revisionOfAbsent(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
        String p = Layout.parent(path);
        while (p.startsWith(layout.keysRoot())) {
            Stat stat = zk.exists(p, false);
            if (stat != null) {
                return stat.getPzxid();
            }
            p = Layout.parent(p);
        }
        return 0;
    }

    private CreateMode modeFor(ZooKeeper zk, long leaseId) {
        if (leaseId == Entry.NO_LEASE) {
            return CreateMode.PERSISTENT;
        }
        requireSession(zk, leaseId);
        return tiedLeases.containsKey(leaseId) ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT;
    }

    /** A lease tied to a ZooKeeper session is gone for good once this client has another session. */
    private void requireSession(ZooKeeper zk, long leaseId) {
        Tie tie = tiedLeases.get(leaseId);
        if (tie != null && tie.sessionId() != zk.getSessionId()) {
            throw new NoSuchLeaseException(leaseId);
        }
    }

    /**
     * Fails at once, without waiting for a connection, when a lease is tied to a ZooKeeper handle that is closed: the
     * handle's session expired (as the server or Curator found, including Curator's own expiry after a connection
     * SUSPENDED for the session timeout) or was closed, and a ZooKeeper handle never comes back from that. So the
     * first call naming the lease after an expiry throws {@link NoSuchLeaseException} within microseconds, instead
     * of waiting for Curator's next session (or, while the server is unreachable, for the connection timeout).
     */
    private void requireLiveHandle(long leaseId) {
        Tie tie = tiedLeases.get(leaseId);
        if (tie != null && !tie.handle().getState().isAlive()) {
            throw new NoSuchLeaseException(leaseId);
        }
    }

    /** The ZooKeeper handle and session a session-bound lease was granted on. */
    private record Tie(ZooKeeper handle, long sessionId) {}

    private long ttlOf(ZooKeeper zk, long leaseId) throws KeeperException, InterruptedException {
        Long known = leaseTtls.get(leaseId);
        if (known != null) {
            return known;
        }
        try {
            String path = layout.lease(leaseId);
            long ttl;
            try {
                ttl = NodeData.decodeLeaseTtl(zk.getData(path, false, null));
            } catch (NodeData.MalformedDataException e) {
                throw malformed(path, e);
            }
            leaseTtls.put(leaseId, ttl);
            return ttl;
        } catch (KeeperException.NoNodeException e) {
            throw new NoSuchLeaseException(leaseId);
        }
    }

    /**
     * Decodes an entry node's data; data the backend did not write fails loudly rather than making a held lock look
     * free.
     */
    private NodeData.EntryData decodeEntryAt(String path, byte[] data) {
        try {
            return NodeData.decodeEntry(data);
        } catch (NodeData.MalformedDataException e) {
            throw malformed(path, e);
        }
    }

    private LockException malformed(String path, NodeData.MalformedDataException e) {
        return new LockException(
                null,
                description + ": the node " + path + " holds data this backend did not write (" + e.getMessage()
                        + "); another program, or another version of Baton, writes under " + layout.root()
                        + ": give each its own namespace(...)",
                e);
    }

    private static void deleteQuietly(ZooKeeper zk, String path) throws InterruptedException {
        try {
            zk.delete(path, -1);
        } catch (KeeperException e) {
            log.debug("could not delete {}: {}", path, e.code());
        }
    }

    private static boolean deleteIfEmpty(ZooKeeper zk, String path) throws InterruptedException {
        try {
            zk.delete(path, -1);
            return true;
        } catch (KeeperException.NoNodeException e) {
            return true;
        } catch (KeeperException e) {
            return false;
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the ZooKeeper backend " + description + " is closed");
        }
    }

    private static void checkKey(String name, String key) {
        Objects.requireNonNull(key, () -> name + " must not be null");
        if (key.isEmpty() || key.charAt(0) == '/' || key.charAt(key.length() - 1) == '/' || key.contains("//")) {
            throw new IllegalArgumentException(name + " must be non-empty, must not start or end with '/' and must not"
                    + " contain '//', got '" + key + "'");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '%'
                    || c == '-'
                    || c == '/';
            if (!allowed) {
                throw new IllegalArgumentException(name + " may hold only ASCII letters, digits and . _ ~ % - /, got '"
                        + key + "' (character " + i + ")");
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(name
                        + " must not have '.' or '..' as a path segment (ZooKeeper rejects them), got '" + key + "'");
            }
        }
    }

    /** Creates structure nodes with the backend's ACLs and removes them when they are left empty. */
    private final class Nodes implements LeaseReaper.NodeFactory {
        @Override
        public void ensurePath(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
            // A parent may be pruned (by this client's pruning or another's) between creating it and creating the
            // child under it: go up and try again, a bounded number of times.
            for (int attempt = 1; ; attempt++) {
                try {
                    zk.create(path, NOTHING, acl, CreateMode.PERSISTENT);
                    return;
                } catch (KeeperException.NodeExistsException e) {
                    return; // created meanwhile: fine
                } catch (KeeperException.NoNodeException e) {
                    if (attempt >= ATTEMPTS) {
                        throw e;
                    }
                    ensurePath(zk, Layout.parent(path));
                }
            }
        }

        @Override
        public void pruneEmptyParents(ZooKeeper zk, String entryPath) throws InterruptedException {
            pruneEmptyFrom(zk, Layout.parent(entryPath));
        }

        /** Deletes {@code dir} and then its ancestors under the keys root, each only if it is empty. */
        void pruneEmptyFrom(ZooKeeper zk, String dir) throws InterruptedException {
            // Best effort: a creator that loses its parent to this delete re-creates it (its create fails with
            // NoNode and it retries), so removing empty structure eagerly is safe.
            String p = dir;
            while (p.startsWith(layout.keysRoot() + "/")) {
                try {
                    zk.delete(p, -1);
                } catch (KeeperException.NoNodeException e) {
                    // Already gone: go on upwards.
                } catch (KeeperException e) {
                    return;
                }
                p = Layout.parent(p);
            }
        }
    }

    /**
     * Configures a {@link ZooKeeperBackend}. Either {@link #connectString(String)} (the backend then builds, starts and
     * closes its own Curator client) or {@link #curator(CuratorFramework)} (a started client that the backend uses
     * and never closes).
     *
     * <p>Not threadsafe; the backend it builds is.
     */
    public static final class Builder {
        private String connectString;
        private CuratorFramework curator;
        private String namespace = "baton";
        private Duration sessionTimeout = Duration.ofSeconds(10);
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout;
        private Duration reapInterval = Duration.ofMillis(250);
        private String digestUser;
        private String digestPassword;
        private List<ACL> acl;
        private ScheduledExecutorService scheduler;

        private Builder() {}

        /**
         * Sets the ZooKeeper ensemble, for example {@code zk1:2181,zk2:2181,zk3:2181}.
         *
         * <p>The form is {@code host[:port][,host[:port]...][/chroot]}: a host is a name, an IPv4 address or an IPv6
         * address in brackets, a port is 1 to 65535 (2181 if left out), and no whitespace is allowed.
         *
         * @param connectString the connect string
         * @return this builder
         * @throws IllegalArgumentException if blank or malformed (a scheme, whitespace, an empty host, a port out of
         *     range, an invalid chroot); the message names the mistake
         * @throws NullPointerException if null
         */
        public Builder connectString(String connectString) {
            this.connectString = ConnectString.check(connectString);
            return this;
        }

        /**
         * Uses a Curator client the caller built and started; the backend never closes it. Its own namespace, if any,
         * applies, and {@link #namespace(String)} is added beneath it. The session, connection and authentication
         * settings of this builder are then ignored: they are the client's.
         *
         * @param curator the started client
         * @return this builder
         */
        public Builder curator(CuratorFramework curator) {
            this.curator = Objects.requireNonNull(curator, "curator must not be null");
            return this;
        }

        /**
         * Sets the path under which every node lives (a chroot), {@code baton} by default; several segments such as
         * {@code apps/billing/locks} are allowed. Every coordinator that must exclude one another uses the same one.
         *
         * @param namespace the namespace, without leading or trailing {@code /}
         * @return this builder
         * @throws IllegalArgumentException if it is not a valid ZooKeeper path without the leading {@code /}
         */
        public Builder namespace(String namespace) {
            Objects.requireNonNull(namespace, "namespace must not be null");
            try {
                PathUtils.validatePath("/" + namespace);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "namespace must be a ZooKeeper path without leading or trailing '/', got '" + namespace + "': "
                                + e.getMessage(),
                        e);
            }
            if (namespace.isEmpty()
                    || namespace.endsWith("/")
                    || namespace.equals("zookeeper")
                    || namespace.startsWith("zookeeper/")) {
                throw new IllegalArgumentException("namespace must be non-empty, must not end with '/' and must not be"
                        + " under ZooKeeper's reserved /zookeeper, got '" + namespace + "'");
            }
            this.namespace = namespace;
            return this;
        }

        /**
         * Sets the ZooKeeper session timeout to ask for (10 s by default). The server grants a value between 2 and
         * 20 ticks ({@code tickTime}, 2 s by default, so 4 s to 40 s). Leases whose TTL is at most the granted value,
         * such as a coordinator's session, are tied to the ZooKeeper session; so ask for at least the coordinator's
         * session TTL. It must also be at least the minimum lease TTL, four {@link #reapInterval(Duration) reap
         * intervals} (checked by {@link #build()}).
         *
         * @param timeout the timeout, from 10 ms to 1 day
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if null
         */
        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = inRange(
                    "sessionTimeout",
                    timeout,
                    MINIMUM_TIMEOUT,
                    MAXIMUM_TTL,
                    "the ZooKeeper server grants 2 to 20 ticks anyway; ask for at least the coordinator's session TTL");
            return this;
        }

        /**
         * Sets how long a call waits for a connection before failing with {@link BackendUnavailableException} (5 s by
         * default).
         *
         * @param timeout the timeout, from 10 ms to 1 hour
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if null
         */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = inRange(
                    "connectionTimeout",
                    timeout,
                    MINIMUM_TIMEOUT,
                    MAXIMUM_WAIT,
                    "every call may block this long while ZooKeeper is unreachable");
            return this;
        }

        /**
         * Sets how long a sent request waits for its answer ({@code zookeeper.request.timeout}); the connection
         * timeout by default.
         *
         * @param timeout the timeout, from 10 ms to 1 hour
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if null
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = inRange(
                    "requestTimeout",
                    timeout,
                    MINIMUM_TIMEOUT,
                    MAXIMUM_WAIT,
                    "a sent request whose answer is lost blocks its caller this long");
            return this;
        }

        /**
         * Sets how often the backend looks for expired leases (250 ms by default). A crashed holder's lock is free at
         * most about one interval after its TTL passed on the server; the minimum TTL is four intervals.
         *
         * @param interval the interval, from 10 ms to 6 hours (a quarter of {@link #MAXIMUM_TTL})
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if null
         */
        public Builder reapInterval(Duration interval) {
            this.reapInterval = inRange(
                    "reapInterval",
                    interval,
                    MINIMUM_REAP_INTERVAL,
                    MAXIMUM_TTL.dividedBy(4),
                    "each round costs at least two requests, and the minimum lease TTL is four intervals");
            return this;
        }

        /**
         * Authenticates with ZooKeeper's {@code digest} scheme and makes every created node {@code CREATOR_ALL_ACL}
         * plus world READ (unless {@link #acl(List)} says otherwise). The password is never logged.
         *
         * @param user the user name
         * @param password the password
         * @return this builder
         * @throws IllegalArgumentException if the user is empty or contains {@code :}
         */
        public Builder digestAuthentication(String user, String password) {
            Objects.requireNonNull(user, "user must not be null");
            Objects.requireNonNull(password, "password must not be null");
            if (user.isEmpty() || user.contains(":")) {
                throw new IllegalArgumentException("digest user must be non-empty and must not contain ':'");
            }
            this.digestUser = user;
            this.digestPassword = password;
            return this;
        }

        /**
         * Sets the ACL of every node the backend creates, instead of the default (world-open without authentication,
         * creator-all plus world-read with it).
         *
         * @param acl the ACL entries
         * @return this builder
         * @throws IllegalArgumentException if empty
         */
        public Builder acl(List<ACL> acl) {
            Objects.requireNonNull(acl, "acl must not be null");
            if (acl.isEmpty()) {
                throw new IllegalArgumentException("acl must not be empty");
            }
            this.acl = new ArrayList<>(acl);
            return this;
        }

        /**
         * Runs the lease reaper on this executor instead of a thread of the backend's own; the backend does not shut
         * it down.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(ScheduledExecutorService executor) {
            this.scheduler = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * Builds the backend: starts a Curator client if none was given and waits for it to connect.
         *
         * @return the backend
         * @throws IllegalStateException if neither or both of a connect string and a Curator client were given, or if
         *     the session timeout is shorter than four reap intervals (the minimum lease TTL)
         * @throws BackendUnavailableException if ZooKeeper cannot be reached within the connection timeout
         */
        public ZooKeeperBackend build() {
            if ((connectString == null) == (curator == null)) {
                throw new IllegalStateException(
                        "give exactly one of connectString(...) and curator(...) to the ZooKeeper backend builder");
            }
            checkCombination();
            if (curator != null) {
                return new ZooKeeperBackend(this, curator, false);
            }
            ZKClientConfig config = new ZKClientConfig();
            Duration request = requestTimeout != null ? requestTimeout : connectionTimeout;
            config.setProperty(ZKClientConfig.ZOOKEEPER_REQUEST_TIMEOUT, Long.toString(request.toMillis()));
            CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder()
                    .connectString(connectString)
                    .sessionTimeoutMs(Math.toIntExact(sessionTimeout.toMillis()))
                    .connectionTimeoutMs(Math.toIntExact(connectionTimeout.toMillis()))
                    .retryPolicy(new RetryNTimes(3, 100))
                    .zkClientConfig(config);
            if (digestUser != null) {
                b.authorization("digest", (digestUser + ":" + digestPassword).getBytes(StandardCharsets.UTF_8));
            }
            CuratorFramework client = b.build();
            client.start();
            boolean connected;
            try {
                connected = client.blockUntilConnected(
                        Math.toIntExact(connectionTimeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                client.close();
                throw new BackendUnavailableException(null, "interrupted while connecting to " + connectString, e);
            }
            if (!connected) {
                client.close();
                throw new BackendUnavailableException(
                        null,
                        "could not connect to ZooKeeper at " + connectString + " within " + connectionTimeout
                                + "; check the connect string and that the ensemble is up",
                        null);
            }
            long granted;
            try {
                granted = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
            } catch (Exception e) {
                granted = sessionTimeout.toMillis();
            }
            if (granted < sessionTimeout.toMillis()) {
                log.warn(
                        "ZooKeeper at {} granted a session timeout of {} ms instead of the {} asked for (the server's"
                                + " maxSessionTimeout); leases with a longer TTL, such as a coordinator session longer"
                                + " than that, are persistent nodes that only the reaper expires",
                        connectString,
                        granted,
                        sessionTimeout);
            }
            return new ZooKeeperBackend(this, client, true);
        }

        private static Duration inRange(String name, Duration d, Duration min, Duration max, String why) {
            Objects.requireNonNull(d, name + " must not be null");
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(
                        name + " must be from " + min.toMillis() + " ms to " + max + ", got " + d + " (" + why + ")");
            }
            return d;
        }

        /** Checks the settings that depend on one another; only the ones this builder applies. */
        private void checkCombination() {
            if (curator == null && sessionTimeout.compareTo(reapInterval.multipliedBy(4)) < 0) {
                throw new IllegalStateException("sessionTimeout " + sessionTimeout
                        + " is shorter than the minimum lease TTL, four reap intervals (" + reapInterval.multipliedBy(4)
                        + "), so no lease could ever be tied to the ZooKeeper session; raise sessionTimeout to at"
                        + " least the coordinator's session TTL, or lower reapInterval");
            }
        }
    }
}
