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

import dev.baton.lock.LockException;
import dev.baton.lock.spi.AnswerDeadlines;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.curator.CuratorZookeeperClient;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.CreateOptions;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes entries, each write one multi-operation that also checks the lease and keeps the lease's references to its
 * entries in step (what the reaper removes with the lease). A step that loses a race to concurrent structure changes
 * (a parent pruned, a stale reference) is repaired and the multi-operation sent again, a bounded number of times.
 *
 * <p>Threadsafe.
 */
public final class EntryWriter {
    private static final Logger log = LoggerFactory.getLogger(EntryWriter.class);

    private final Layout layout;
    private final ZkCalls calls;
    private final StructureNodes structure;
    private final LeaseTies leases;
    private final TreeReader reader;
    private final WatchRegistry watches;
    private final String description;
    private final OwnEntries own;
    private final Duration answerWithin;
    private final AnswerDeadlines deadlines;

    /**
     * {@code answerWithin}: how long an asynchronous request waits for its answer (the request timeout), enforced by
     * {@code deadlines}.
     */
    public EntryWriter(
            Layout layout,
            ZkCalls calls,
            StructureNodes structure,
            LeaseTies leases,
            TreeReader reader,
            WatchRegistry watches,
            String description,
            Duration answerWithin,
            AnswerDeadlines deadlines) {
        this.layout = layout;
        this.calls = calls;
        this.structure = structure;
        this.leases = leases;
        this.reader = reader;
        this.watches = watches;
        this.description = description;
        this.own = leases.ownEntries();
        this.answerWithin = answerWithin;
        this.deadlines = deadlines;
    }

    /**
     * Creates a key attached to a lease, if absent: checks the lease, creates the entry (ephemeral when the lease is
     * tied to this client's session) and its reference under the lease.
     */
    public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        leases.requireLiveHandle(leaseId);
        byte[] data = NodeData.entry(leaseId, 0, value);
        String path = layout.entry(key);
        return calls.call("create " + key, zk -> {
            synchronized (own.lockFor(key)) {
                own.take(key);
                return create(zk, key, path, data, value, leaseId);
            }
        });
    }

    private Optional<Entry> create(ZooKeeper zk, String key, String path, byte[] data, byte[] value, long leaseId)
            throws KeeperException, InterruptedException {
        CreateMode mode = leases.modeFor(zk, leaseId);
        for (int attempt = 0; attempt < ZkCalls.RACE_ATTEMPTS; attempt++) {
            List<Op> ops = createOps(key, path, data, leaseId, mode);
            int create = leaseId != Entry.NO_LEASE ? 1 : 0;
            try {
                List<OpResult> results = zk.multi(ops);
                Stat stat = ((OpResult.CreateResult) results.get(create)).getStat();
                return Optional.of(ownWrite(stat, key, value, -1, leaseId));
            } catch (KeeperException e) {
                ZkCalls.Failure f = failureOf(e, "create " + key, ops);
                if (f.index() < create && f.code() == KeeperException.Code.NONODE) {
                    throw new NoSuchLeaseException(leaseId);
                } else if (f.index() == create && f.code() == KeeperException.Code.NODEEXISTS) {
                    return Optional.<Entry>empty();
                } else if (f.index() == create && f.code() == KeeperException.Code.NONODE) {
                    structure.ensurePath(zk, Layout.parent(path));
                } else if (f.index() > create && f.code() == KeeperException.Code.NODEEXISTS) {
                    // A reference left by an ephemeral entry that died with its session: replace it.
                    deleteQuietly(zk, layout.reference(leaseId, key));
                } else {
                    throw e;
                }
            }
        }
        throw new LockException(null, description + ": could not create " + key + " (parents kept vanishing)", null);
    }

    /** The operations of an entry's create: check the lease, create the entry, create the lease's reference to it. */
    private List<Op> createOps(String key, String path, byte[] data, long leaseId, CreateMode mode) {
        List<Op> ops = new ArrayList<>(3);
        if (leaseId != Entry.NO_LEASE) {
            ops.add(Op.check(layout.lease(leaseId), -1));
        }
        ops.add(createEntry(path, data, mode));
        if (leaseId != Entry.NO_LEASE) {
            ops.add(structure.createEmpty(layout.reference(leaseId, key)));
        }
        return ops;
    }

    /**
     * Creates a key as {@link #createIfAbsent} does and, when it was created, lists {@code prefix} as of a revision no
     * older than the create ({@link TreeReader#listAfterCreate}): two requests when the entry is alone under the
     * prefix (the create, then the children), three when it is not.
     *
     * <p>For an entry on a lease directly under the prefix's node (a queue's entry), the create and the read of the
     * children are sent back to back, without waiting for the create's answer in between: ZooKeeper answers them in
     * order, so the read sees the create, and the two cost one round trip. A create that fails on a node (the entry
     * exists, its parent or the lease is missing) is sent again the way {@link #createIfAbsent} sends it, which tells
     * these apart, and the children read with it is dropped.
     */
    public Optional<Listing> createIfAbsentAndList(String key, byte[] value, long leaseId, String prefix) {
        leases.requireLiveHandle(leaseId);
        String path = layout.entry(key);
        String node = layout.structure(prefix);
        if (leaseId == Entry.NO_LEASE || !Layout.parent(path).equals(node)) {
            return createIfAbsent(key, value, leaseId).map(entry -> reader.listAfterCreate(prefix, entry));
        }
        byte[] data = NodeData.entry(leaseId, 0, value);
        Sent sent = calls.call("create " + key, zk -> {
            synchronized (own.lockFor(key)) {
                own.take(key);
                CompletableFuture<List<OpResult>> created = deadlines.within(
                        calls.multiAsync(
                                zk, createOps(key, path, data, leaseId, leases.modeFor(zk, leaseId)), "create " + key),
                        answerWithin);
                CompletableFuture<TreeReader.Children> children =
                        deadlines.within(TreeReader.childrenAsync(zk, node), answerWithin);
                List<OpResult> results = ZkCalls.await(created);
                if (results == null) { // failed on a node: find out why, as a create on its own does
                    return new Sent(create(zk, key, path, data, value, leaseId), null);
                }
                Stat stat = ((OpResult.CreateResult) results.get(1)).getStat();
                return new Sent(Optional.of(ownWrite(stat, key, value, -1, leaseId)), children);
            }
        });
        return sent.entry().map(entry -> reader.listAfterCreate(prefix, entry, sent.children()));
    }

    /** A create's outcome, with the children read sent behind it (null when the create was sent again). */
    private record Sent(Optional<Entry> entry, CompletableFuture<TreeReader.Children> children) {}

    /**
     * Replaces a key's value and lease if its version (mzxid) matches: a read, then one multi-operation that checks
     * the lease and the node's version, writes the entry and moves its reference to the new lease. An entry that must
     * change between ephemeral and persistent is re-created in the same multi-operation, keeping its creation sequence
     * in its data. When the version is the one this client's last write of the key answered ({@link OwnEntries}), the
     * multi-operation alone, without the read ({@link #setAsWritten}).
     */
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        leases.requireLiveHandle(leaseId);
        String path = layout.entry(key);
        return calls.call("compare-and-set " + key, zk -> {
            synchronized (own.lockFor(key)) {
                OwnEntries.Known k = own.take(key);
                CreateMode mode = leases.modeFor(zk, leaseId);
                Optional<Entry> set =
                        k != null ? setAsWritten(zk, key, path, expectedVersion, value, leaseId, mode, k) : null;
                return set != null ? set : compareAndSet(zk, key, path, expectedVersion, value, leaseId, mode);
            }
        });
    }

    /**
     * Sets an entry as this client last wrote it, without reading it first: one multi-operation as {@link
     * #compareAndSet} sends, at the data version, lease and creation sequence that write gave. The reference under the
     * old lease tells the node from another incarnation at the same data version, as in {@link #compareAndDelete}: the
     * multi-operation deletes it when the entry changes lease, and checks it otherwise. Returns null when the write is
     * not the version asked for, cannot be told from another incarnation, or the multi-operation failed (then nothing
     * changed): the caller then reads the entry.
     */
    private Optional<Entry> setAsWritten(
            ZooKeeper zk,
            String key,
            String path,
            long expectedVersion,
            byte[] value,
            long leaseId,
            CreateMode mode,
            OwnEntries.Known k)
            throws KeeperException, InterruptedException {
        if (!knownAsWritten(zk, expectedVersion, k)) {
            return null;
        }
        boolean wantEphemeral = mode == CreateMode.EPHEMERAL;
        boolean inPlace = (k.ephemeralOwner() != 0) == wantEphemeral;
        List<Op> ops = new ArrayList<>(5);
        if (leaseId != Entry.NO_LEASE) {
            ops.add(Op.check(layout.lease(leaseId), -1));
        }
        if (inPlace) {
            ops.add(Op.setData(path, NodeData.entry(leaseId, k.originSequence(), value), k.dataVersion()));
        } else {
            ops.add(Op.delete(path, k.dataVersion()));
            ops.add(createEntry(path, NodeData.entry(leaseId, k.sequence(), value), mode));
        }
        int written = ops.size() - 1;
        String oldReference = layout.reference(k.leaseId(), key);
        if (k.leaseId() == leaseId) {
            ops.add(Op.check(oldReference, -1));
        } else {
            ops.add(Op.delete(oldReference, -1));
            if (leaseId != Entry.NO_LEASE) {
                ops.add(structure.createEmpty(layout.reference(leaseId, key)));
            }
        }
        List<OpResult> results;
        try {
            results = zk.multi(ops);
        } catch (KeeperException e) {
            if (ZkCalls.failureOf(e) == null) {
                throw e;
            }
            return null;
        }
        OpResult r = results.get(written);
        Stat after = r instanceof OpResult.SetDataResult
                ? ((OpResult.SetDataResult) r).getStat()
                : ((OpResult.CreateResult) r).getStat();
        return Optional.of(ownWrite(after, key, value, k.sequence(), leaseId));
    }

    private Optional<Entry> compareAndSet(
            ZooKeeper zk, String key, String path, long expectedVersion, byte[] value, long leaseId, CreateMode mode)
            throws KeeperException, InterruptedException {
        boolean skipOldReference = false;
        for (int attempt = 0; attempt < ZkCalls.RACE_ATTEMPTS; attempt++) {
            Stat stat = new Stat();
            NodeData.EntryData old = readAtVersion(zk, path, expectedVersion, stat);
            if (old == null) {
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
                ops.add(createEntry(path, NodeData.entry(leaseId, sequence, value), mode));
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
                    ops.add(structure.createEmpty(layout.reference(leaseId, key)));
                    newReference = ops.size() - 1;
                }
            }
            try {
                List<OpResult> results = zk.multi(ops);
                OpResult r = results.get(written);
                Stat after = r instanceof OpResult.SetDataResult
                        ? ((OpResult.SetDataResult) r).getStat()
                        : ((OpResult.CreateResult) r).getStat();
                return Optional.of(ownWrite(after, key, value, sequence, leaseId));
            } catch (KeeperException e) {
                ZkCalls.Failure f = failureOf(e, "compare-and-set " + key, ops);
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
    }

    /**
     * Reads the entry at a path into {@code stat} and decodes it: the compare-and-set and compare-and-delete first step.
     *
     * @return the entry's data, or null if the node is absent or its version (mzxid) is not {@code expectedVersion}
     */
    private NodeData.EntryData readAtVersion(ZooKeeper zk, String path, long expectedVersion, Stat stat)
            throws KeeperException, InterruptedException {
        byte[] current;
        try {
            current = zk.getData(path, false, stat);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
        NodeData.EntryData old = reader.decodeEntryAt(path, current);
        return stat.getMzxid() == expectedVersion ? old : null;
    }

    /**
     * Deletes a key if its version (mzxid) matches: a read, then one multi-operation that deletes the entry (versioned)
     * and its reference. The parent left empty is pruned later, by the reaper's round.
     *
     * <p>When the version is the one this client's last write of the key answered ({@link OwnEntries}), one
     * multi-operation without the read: it deletes the entry at the data version that write gave and the reference
     * under the lease it gave. ZooKeeper's data version starts again at 0 in a node created anew, so the entry could
     * be another client's at the same data version (ABA); the reference delete rules that out. Every way this backend
     * deletes the written entry (a compare-and-delete, a compare-and-set that re-creates it on another lease, the
     * removal of its lease) deletes that reference in the same multi-operation, and only a write naming the lease
     * creates it again: this client's, which the key's lock orders, or none once the lease is gone. The one way the
     * entry goes and leaves its reference is the end of the ZooKeeper session an ephemeral entry belongs to, so an
     * ephemeral entry takes this path only on the same session, which the server then proves alive by applying the
     * request. Any failure of that multi-operation falls back to the read.
     */
    public boolean compareAndDelete(String key, long expectedVersion) {
        String path = layout.entry(key);
        return calls.call("compare-and-delete " + key, zk -> {
            synchronized (own.lockFor(key)) {
                OwnEntries.Known k = own.take(key);
                if (k != null && deleteAsWritten(zk, path, key, expectedVersion, k)) {
                    structure.entryDeleted(path);
                    return true;
                }
            }
            boolean skipReference = false;
            for (int attempt = 0; attempt < ZkCalls.RACE_ATTEMPTS; attempt++) {
                Stat stat = new Stat();
                NodeData.EntryData old = readAtVersion(zk, path, expectedVersion, stat);
                if (old == null) {
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
                    ZkCalls.Failure f = failureOf(e, "compare-and-delete " + key, ops);
                    if (f.index() == 0) {
                        return false;
                    }
                    skipReference = true;
                    continue;
                }
                structure.entryDeleted(path);
                return true;
            }
            throw new LockException(null, description + ": could not compare-and-delete " + key, null);
        });
    }

    /**
     * Starts a {@link #compareAndDelete}. When the version is the one this client last wrote ({@link OwnEntries}) and
     * the client is connected, the multi-operation of its fast path is sent from the calling thread with ZooKeeper's
     * asynchronous call, which spares the release a hop to {@code executor} and back; the key's lock is held while it
     * is sent, and ZooKeeper applies one session's requests in the order sent, so a later write of the key by this
     * client follows it. A multi-operation that fails on a node (the entry is not as written) falls back to the read
     * path on {@code executor}; a lost connection, or no answer within the request timeout, fails the future.
     */
    public CompletableFuture<Boolean> compareAndDeleteAsync(String key, long expectedVersion, Executor executor) {
        String path = layout.entry(key);
        ZooKeeper zk = connectedHandle();
        CompletableFuture<List<OpResult>> sent;
        synchronized (own.lockFor(key)) {
            OwnEntries.Known k = own.get(key);
            if (zk == null || !knownAsWritten(zk, expectedVersion, k)) {
                return CompletableFuture.supplyAsync(() -> compareAndDelete(key, expectedVersion), executor);
            }
            own.take(key);
            sent = calls.multiAsync(
                    zk,
                    List.of(Op.delete(path, k.dataVersion()), Op.delete(layout.reference(k.leaseId(), key), -1)),
                    "compare-and-delete " + key);
        }
        return deadlines.within(
                sent.thenCompose(results -> {
                    if (results == null) { // the entry is not as written: the read path tells
                        return CompletableFuture.supplyAsync(() -> compareAndDelete(key, expectedVersion), executor);
                    }
                    structure.entryDeleted(path);
                    return CompletableFuture.completedFuture(true);
                }),
                answerWithin);
    }

    /** The client's handle when it is connected now, else null (never waits). */
    private ZooKeeper connectedHandle() {
        try {
            CuratorZookeeperClient client = calls.curator().getZookeeperClient();
            return client.isConnected() ? client.getZooKeeper() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Deletes an entry as this client last wrote it, without reading it first; false if the write is not the version
     * asked for, or cannot be told from another incarnation, or the delete failed (then nothing was deleted).
     */
    private boolean deleteAsWritten(ZooKeeper zk, String path, String key, long expectedVersion, OwnEntries.Known k)
            throws KeeperException, InterruptedException {
        if (!knownAsWritten(zk, expectedVersion, k)) {
            return false;
        }
        try {
            zk.multi(List.of(Op.delete(path, k.dataVersion()), Op.delete(layout.reference(k.leaseId(), key), -1)));
            return true;
        } catch (KeeperException e) {
            if (ZkCalls.failureOf(e) == null) {
                throw e;
            }
            return false;
        }
    }

    /** Whether the record {@code k} lets the entry at {@code expectedVersion} be written or deleted without a read. */
    private static boolean knownAsWritten(ZooKeeper zk, long expectedVersion, OwnEntries.Known k) {
        return k != null
                && k.version() == expectedVersion
                && k.leaseId() != Entry.NO_LEASE
                && (k.ephemeralOwner() == 0 || k.ephemeralOwner() == zk.getSessionId());
    }

    /**
     * The failure of a multi-operation, with an access denial reported as such (naming the refused node); rethrows
     * what is not a multi-operation failure.
     */
    private ZkCalls.Failure failureOf(KeeperException e, String what, List<Op> ops) throws KeeperException {
        ZkCalls.Failure f = ZkCalls.failureOf(e);
        if (f == null) {
            throw e;
        }
        if (f.deniesAccess()) {
            throw calls.translate(what, e, ops.get(f.index()).getPath());
        }
        return f;
    }

    /**
     * The entry this client just wrote, from the write's stat (every entry write answers with one: a setData, or a
     * create2), recorded for its own watches and its releases; {@code sequence} -1 takes the node's creation zxid.
     */
    private Entry ownWrite(Stat stat, String key, byte[] value, long sequence, long leaseId) {
        long createSequence = sequence < 0 ? stat.getCzxid() : sequence;
        own.wrote(key, stat, leaseId, createSequence);
        Entry written = new Entry(key, value, stat.getMzxid(), createSequence, leaseId);
        watches.recordOwnWrite(written);
        return written;
    }

    /**
     * The create of an entry node as ZooKeeper's create2, whose answer carries the node's stat: {@link #ownWrite} then
     * needs no read of its own (a plain create in a multi-operation answers with the path only).
     */
    private Op createEntry(String path, byte[] data, CreateMode mode) {
        return Op.create(
                path, data, CreateOptions.newBuilder(structure.acl(), mode).build());
    }

    private static void deleteQuietly(ZooKeeper zk, String path) throws InterruptedException {
        try {
            zk.delete(path, -1);
        } catch (KeeperException e) {
            log.debug("could not delete {}: {}", path, e.code());
        }
    }
}
