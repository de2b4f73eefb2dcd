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
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Reads entries: one key, the tree under a prefix, and the revision of either (what a watch compares its starting
 * revision with). Data this backend did not write fails loudly, naming the node, rather than making a held lock look
 * free.
 *
 * <p>Threadsafe.
 */
public final class TreeReader {
    private final Layout layout;
    private final ZkCalls calls;
    private final String description;

    public TreeReader(Layout layout, ZkCalls calls, String description) {
        this.layout = layout;
        this.calls = calls;
        this.description = description;
    }

    /** Reads one key: one request. */
    public Optional<Entry> get(String key) {
        return calls.call("read " + key, zk -> {
            Stat stat = new Stat();
            try {
                byte[] data = zk.getData(layout.entry(key), false, stat);
                return Optional.of(toEntry(key, data, stat));
            } catch (KeeperException.NoNodeException e) {
                return Optional.<Entry>empty();
            }
        });
    }

    /** Lists the keys under {@code prefix + "/"}, ordered by creation sequence: two requests per level of nesting. */
    public Listing list(String prefix) {
        return list(prefix, null, null);
    }

    /**
     * Lists a prefix, as {@link #list} does, just after this client created {@code created} under it (the entry its
     * create answered). When the create is still the last change to the prefix's tree (the pzxid of the entry's parent
     * and the revision of every nested level are the create's zxid) and the entry is the only one at its level, the
     * entry is as written and its data is not read: the listing is the tree as of the create, at the create's revision,
     * so a watch started after it misses nothing. Otherwise reads as {@link #list} does. One request (the children) when
     * the entry is alone under the prefix, two when it is not.
     */
    public Listing listAfterCreate(String prefix, Entry created) {
        return listAfterCreate(prefix, created, null);
    }

    /**
     * As {@link #listAfterCreate(String, Entry)}, with the children of the prefix's node already asked for ({@link
     * #childrenAsync}, sent right after the create on the same session) when {@code sent} is not null.
     */
    public Listing listAfterCreate(String prefix, Entry created, CompletableFuture<Children> sent) {
        boolean directlyUnder = Layout.parent(layout.entry(created.key())).equals(layout.structure(prefix));
        return list(prefix, directlyUnder ? created : null, directlyUnder ? sent : null);
    }

    /** The children of a node, with its stat, as one getChildren answered; null names: the node does not exist. */
    public record Children(List<String> names, Stat stat) {}

    /**
     * Asks for the children of {@code node} without waiting for the answer. ZooKeeper answers one session's requests
     * in the order they were sent, so a read sent right after a write sees that write, and the two cost one round trip.
     */
    public static CompletableFuture<Children> childrenAsync(ZooKeeper zk, String node) {
        CompletableFuture<Children> answer = new CompletableFuture<>();
        zk.getChildren(
                node,
                false,
                (rc, path, ctx, children, stat) -> {
                    if (rc == KeeperException.Code.OK.intValue()) {
                        answer.complete(new Children(children, stat));
                    } else if (rc == KeeperException.Code.NONODE.intValue()) {
                        answer.complete(new Children(null, null));
                    } else {
                        answer.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
                    }
                },
                null);
        return answer;
    }

    /**
     * Lists a prefix; {@code known}, if not null, is an entry directly under it that this client just created, and
     * {@code sent}, if not null, the children of the prefix's node already asked for.
     */
    private Listing list(String prefix, Entry known, CompletableFuture<Children> sent) {
        String node = layout.structure(prefix);
        return calls.call("list " + prefix, zk -> {
            List<Entry> entries = new ArrayList<>();
            long revision = walk(zk, node, entries, known, sent);
            if (revision < 0) {
                revision = revisionOfAbsent(zk, node);
            }
            entries.sort(Comparator.comparingLong(Entry::createSequence));
            return new Listing(entries, revision);
        });
    }

    /**
     * The current revision of a key (its node's mzxid) or of the tree under a prefix (the largest zxid that changed
     * it); of an absent node, the pzxid of its nearest existing ancestor.
     */
    public long revisionOf(String keyOrPrefix, boolean prefix, String path) {
        return calls.call("check the revision of " + keyOrPrefix, zk -> {
            if (prefix) {
                long r = walk(zk, path, null, null, null);
                return r < 0 ? revisionOfAbsent(zk, path) : r;
            }
            Stat stat = zk.exists(path, false);
            return stat != null ? stat.getMzxid() : revisionOfAbsent(zk, path);
        });
    }

    /** Turns an entry node's data and stat into the SPI's entry. */
    public Entry toEntry(String key, byte[] data, Stat stat) {
        NodeData.EntryData e = decodeEntryAt(layout.entry(key), data);
        long sequence = e.originSequence() != 0 ? e.originSequence() : stat.getCzxid();
        return new Entry(key, e.value(), stat.getMzxid(), sequence, e.leaseId());
    }

    /**
     * Decodes an entry node's data; data the backend did not write fails loudly rather than making a held lock look
     * free.
     */
    public NodeData.EntryData decodeEntryAt(String path, byte[] data) {
        try {
            return NodeData.decodeEntry(data);
        } catch (NodeData.MalformedDataException e) {
            throw foreignData(path, e);
        }
    }

    /** The exception for a node, under the namespace, that holds data this backend did not write. */
    public LockException foreignData(String path, NodeData.MalformedDataException e) {
        return new LockException(
                null,
                description + ": the node " + path + " holds data this backend did not write (" + e.getMessage()
                        + "); another program, or another version of Baton, writes under " + layout.root()
                        + ": give each its own namespace(...)",
                e);
    }

    /**
     * Reads the tree under a structure node: adds its entries to {@code out} (if not null) and returns the largest
     * zxid that changed it, or -1 if the node does not exist. {@code known}, if not null, is an entry directly under
     * the node that this client just created: taken as written, without a read, when it is the only entry there and
     * its create is the last change to the whole tree (nothing created or deleted since, and so the same node).
     * {@code sent}, if not null, is the node's children already asked for.
     */
    private long walk(ZooKeeper zk, String node, List<Entry> out, Entry known, CompletableFuture<Children> sent)
            throws KeeperException, InterruptedException {
        Stat stat = new Stat();
        List<String> children;
        if (sent != null) {
            Children answered = ZkCalls.await(sent);
            children = answered.names();
            stat = answered.stat();
            if (children == null) {
                return -1;
            }
        } else {
            try {
                children = zk.getChildren(node, false, stat);
            } catch (KeeperException.NoNodeException e) {
                return -1;
            }
        }
        long revision = stat.getPzxid();
        List<String> entryNames = new ArrayList<>();
        List<Op> reads = new ArrayList<>();
        for (String child : children) {
            if (Layout.isStructureName(child)) {
                revision = Math.max(revision, walk(zk, node + "/" + child, out, null, null));
            } else {
                entryNames.add(child);
                reads.add(Op.getData(node + "/" + child));
            }
        }
        if (known != null
                && revision == known.version()
                && entryNames.size() == 1
                && layout.entry(known.key()).equals(node + "/" + entryNames.get(0))) {
            // The parent's pzxid is the create's zxid: no child was created or deleted since, so the node is the one
            // created. A change of its data since (someone else's compare-and-set) has a later zxid, which a watch
            // started after this revision delivers.
            if (out != null) {
                out.add(known);
            }
            return revision;
        }
        if (reads.isEmpty()) {
            return revision;
        }
        List<OpResult> results = LeaseReaper.readMulti(zk, reads);
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
}
