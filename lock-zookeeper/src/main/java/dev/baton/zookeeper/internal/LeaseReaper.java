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
package dev.baton.zookeeper.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires leases on the server's clock and removes leases with everything attached to them.
 *
 * <p>A lease node's mtime is the time, on the clock of the ZooKeeper leader, at which it was granted or last kept
 * alive; it has expired once {@code mtime + ttl <= now}, where {@code now} is the mtime that the same leader gives a
 * write to the clock node made for that purpose. No client clock is ever compared with a server time. The removal is
 * one multi-operation that checks the lease node's version, so a keep-alive that reaches the server first wins and
 * the lease stays; one that comes later finds the lease gone.
 *
 * <p>Threadsafe; each round is run by one thread at a time.
 */
public final class LeaseReaper {
    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int MAX_REVOKE_ATTEMPTS = 8;

    private final Layout layout;
    private final ZkCalls calls;
    private final NodeFactory nodes;
    private final long intervalMillis;
    private long lastServerNow;
    private long lastServerNowAtNanos;
    private long rounds;
    private long reaped;

    /** Creates nodes with the backend's ACLs and structure. */
    public interface NodeFactory {
        void ensurePath(ZooKeeper zk, String path) throws KeeperException, InterruptedException;

        /** Records that an entry was deleted, so that its parent, maybe empty now, is pruned later. */
        void entryDeleted(String entryPath);
    }

    public LeaseReaper(Layout layout, ZkCalls calls, NodeFactory nodes, long intervalMillis) {
        this.layout = layout;
        this.calls = calls;
        this.nodes = nodes;
        this.intervalMillis = intervalMillis;
    }

    /** One round: removes every lease whose TTL has passed on the server's clock. Returns how many it removed. */
    public synchronized int reapOnce() {
        rounds++;
        return calls.call("reap expired leases", zk -> {
            List<String> names;
            try {
                names = zk.getChildren(layout.leasesRoot(), false);
            } catch (KeeperException.NoNodeException e) {
                return 0;
            }
            if (names.isEmpty()) {
                return 0;
            }
            List<Op> reads = new ArrayList<>(names.size());
            for (String name : names) {
                reads.add(Op.getData(layout.leasesRoot() + "/" + name));
            }
            List<OpResult> results = readMulti(zk, reads);
            List<long[]> candidates = new ArrayList<>();
            // Re-read the server's clock now and then even when nothing looks due, so a drifting estimate cannot
            // delay an expiry by more than a few rounds.
            long estimate = lastServerNowAtNanos == 0 || rounds % 16 == 0
                    ? Long.MAX_VALUE
                    : lastServerNow + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastServerNowAtNanos);
            for (int i = 0; i < names.size(); i++) {
                if (!(results.get(i) instanceof OpResult.GetDataResult)) {
                    continue;
                }
                OpResult.GetDataResult r = (OpResult.GetDataResult) results.get(i);
                long id = Layout.leaseIdOf(names.get(i));
                if (!NodeData.isLease(r.getData()) || id == 0) {
                    // Not a lease this backend wrote: never remove it.
                    continue;
                }
                Stat stat = r.getStat();
                long expiry = expiry(stat.getMtime(), NodeData.decodeLeaseTtl(r.getData()));
                if (worthReadingTheClock(expiry, estimate, intervalMillis)) {
                    candidates.add(new long[] {id, expiry, stat.getVersion()});
                }
            }
            if (candidates.isEmpty()) {
                return 0;
            }
            long now = serverNow(zk);
            int removed = 0;
            for (long[] c : candidates) {
                if (hasExpired(c[1], now) && removeLease(zk, c[0], (int) c[2])) {
                    log.debug(
                            "lease {} expired on the server's clock ({} ms late)", Layout.leaseName(c[0]), now - c[1]);
                    removed++;
                }
            }
            reaped += removed;
            return removed;
        });
    }

    /**
     * The server time at which a lease expires: its node's mtime (server time of the grant or last renewal) plus its
     * TTL.
     */
    static long expiry(long mtimeMillis, long ttlMillis) {
        return mtimeMillis + ttlMillis;
    }

    /**
     * The expiry rule: a lease has expired once its expiry is at or before the server's current time, both read from
     * the ZooKeeper leader's clock. A lease renewed exactly {@code ttl} ago by the server's clock has expired.
     */
    static boolean hasExpired(long expiryMillis, long serverNowMillis) {
        return expiryMillis <= serverNowMillis;
    }

    /**
     * Whether a lease may be due soon enough to read the server's clock for it this round. {@code estimate} is the
     * last server time read plus the local time elapsed since ({@link Long#MAX_VALUE} when no usable estimate
     * exists: then every lease is a candidate). A local estimate only decides whether the clock is worth reading;
     * whether a lease is removed is decided on the server's time alone ({@link #hasExpired}), so a local clock that
     * runs fast costs a request, never an early expiry. Two intervals of slack absorb a local clock slower than the
     * server's.
     */
    static boolean worthReadingTheClock(long expiryMillis, long estimate, long intervalMillis) {
        return estimate == Long.MAX_VALUE || expiryMillis <= estimate + 2 * intervalMillis;
    }

    /** How many rounds ran and leases were removed, for tests and logs. */
    public synchronized long[] counters() {
        return new long[] {rounds, reaped};
    }

    /** Removes a lease with its entries, whatever its version; repeats while others add entries concurrently. */
    public void revoke(long leaseId) {
        revoke(leaseId, null);
    }

    /**
     * Removes a lease with its entries as {@link #revoke(long)} does, first trying to do it in one request: when
     * {@code asWritten} (the entries this client attached to the lease, as its writes answered) is not null, {@link
     * #removeAsWritten}; then, if that did not remove the lease, by reading the lease's references.
     */
    public void revoke(long leaseId, Map<String, OwnEntries.Known> asWritten) {
        calls.call("revoke lease " + Layout.leaseName(leaseId), zk -> {
            if (asWritten != null && removeAsWritten(zk, leaseId, asWritten)) {
                return null;
            }
            for (int attempt = 0; attempt < MAX_REVOKE_ATTEMPTS; attempt++) {
                if (removeLease(zk, leaseId, -1)) {
                    return null;
                }
            }
            throw new KeeperException.OperationTimeoutException();
        });
    }

    /**
     * The server's current time: the mtime of a write to the clock node, stamped by the ZooKeeper leader.
     */
    public long serverNow(ZooKeeper zk) throws KeeperException, InterruptedException {
        Stat stat;
        try {
            stat = zk.setData(layout.clock(), new byte[0], -1);
        } catch (KeeperException.NoNodeException e) {
            nodes.ensurePath(zk, layout.clock());
            stat = zk.setData(layout.clock(), new byte[0], -1);
        }
        lastServerNow = stat.getMtime();
        lastServerNowAtNanos = System.nanoTime();
        return stat.getMtime();
    }

    /**
     * Removes a lease with the entries this client attached to it, as its writes answered, in one multi-operation and
     * without reading anything: deletes each entry at the data version its write gave and its reference under the
     * lease, then the lease node. Returns true if the lease is gone afterwards (also when it was gone already: then the
     * lone delete of a lease without known entries fails with NoNode), false if nothing was deleted and the caller must
     * read the lease's references ({@link #removeLease}).
     *
     * <p>Every entry attached to the lease has a reference under it, and ZooKeeper refuses to delete a node that has
     * children: so the multi-operation succeeds only if the entries known are all there is, and a reference added by a
     * write not yet known here (or by another client) makes it fail. An entry deleted and created again at the same
     * data version (ZooKeeper's data version restarts in a new node) is told apart by its reference, as in {@link
     * EntryWriter#compareAndDelete}: each way an entry goes deletes its reference with it, except the end of the
     * ZooKeeper session of an ephemeral entry, so an ephemeral entry takes this path only on the same session (which
     * the server proves alive by applying the request). Parents left empty are pruned later, by the reaper's round.
     */
    boolean removeAsWritten(ZooKeeper zk, long leaseId, Map<String, OwnEntries.Known> asWritten)
            throws KeeperException, InterruptedException {
        String lease = layout.lease(leaseId);
        List<Op> ops = new ArrayList<>(2 * asWritten.size() + 1);
        for (Map.Entry<String, OwnEntries.Known> e : asWritten.entrySet()) {
            OwnEntries.Known k = e.getValue();
            if (k.leaseId() != leaseId || (k.ephemeralOwner() != 0 && k.ephemeralOwner() != zk.getSessionId())) {
                return false;
            }
            ops.add(Op.delete(layout.entry(e.getKey()), k.dataVersion()));
            ops.add(Op.delete(layout.reference(leaseId, e.getKey()), -1));
        }
        if (ops.isEmpty()) {
            try {
                zk.delete(lease, -1);
            } catch (KeeperException.NoNodeException e) {
                // Gone already.
            } catch (KeeperException.NotEmptyException e) {
                return false;
            }
            return true;
        }
        ops.add(Op.delete(lease, -1));
        try {
            zk.multi(ops);
        } catch (KeeperException e) {
            if (ZkCalls.failureOf(e) == null) {
                throw e;
            }
            return false;
        }
        for (String key : asWritten.keySet()) {
            nodes.entryDeleted(layout.entry(key));
        }
        return true;
    }

    /**
     * Removes a lease node with its entries and references in one multi-operation, conditional on the lease's
     * version ({@code -1}: any). Returns true if the lease is gone afterwards, false if it changed meanwhile.
     */
    boolean removeLease(ZooKeeper zk, long leaseId, int version) throws KeeperException, InterruptedException {
        String lease = layout.lease(leaseId);
        List<String> refs;
        try {
            refs = zk.getChildren(lease, false);
        } catch (KeeperException.NoNodeException e) {
            return true;
        }
        List<String> entryPaths = new ArrayList<>(refs.size());
        List<Op> reads = new ArrayList<>(refs.size());
        for (String ref : refs) {
            String path = layout.entry(Layout.keyOfReference(ref));
            entryPaths.add(path);
            reads.add(Op.getData(path));
        }
        List<OpResult> results = reads.isEmpty() ? List.of() : readMulti(zk, reads);
        List<Op> ops = new ArrayList<>();
        ops.add(Op.check(lease, version));
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (results.get(i) instanceof OpResult.GetDataResult) {
                OpResult.GetDataResult r = (OpResult.GetDataResult) results.get(i);
                // An entry this backend did not write is left alone; its reference goes with the lease.
                NodeData.EntryData data = NodeData.isEntry(r.getData()) ? NodeData.decodeEntry(r.getData()) : null;
                if (data != null && data.leaseId() == leaseId) {
                    ops.add(Op.delete(entryPaths.get(i), r.getStat().getVersion()));
                    deleted.add(entryPaths.get(i));
                }
            }
            ops.add(Op.delete(lease + "/" + refs.get(i), -1));
        }
        ops.add(Op.delete(lease, -1));
        try {
            zk.multi(ops);
        } catch (KeeperException e) {
            ZkCalls.Failure failure = ZkCalls.failureOf(e);
            if (failure == null) {
                throw e;
            }
            if (failure.index() == 0 && failure.code() == KeeperException.Code.NONODE) {
                return true;
            }
            switch (failure.code()) {
                case BADVERSION:
                case NONODE:
                case NOTEMPTY:
                    return false;
                default:
                    throw e;
            }
        }
        for (String path : deleted) {
            nodes.entryDeleted(path);
        }
        return true;
    }

    /** A multi of reads; a read of a missing node answers with an error result in its place. */
    static List<OpResult> readMulti(ZooKeeper zk, List<Op> reads) throws KeeperException, InterruptedException {
        try {
            return zk.multi(reads);
        } catch (KeeperException e) {
            if (e.getResults() != null && e.getResults().size() == reads.size()) {
                return e.getResults();
            }
            throw e;
        }
    }
}
