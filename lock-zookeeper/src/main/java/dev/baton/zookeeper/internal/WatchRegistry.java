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

import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's watches: at most one ZooKeeper persistent watch per node path and session ({@code
 * PERSISTENT_RECURSIVE} on a prefix's structure node, {@code PERSISTENT} on a key's entry node), shared by every
 * subscriber of that path and removed from the server when the last one leaves, so that no registration outlives its
 * use.
 *
 * <p>ZooKeeper tells a watcher which node changed and the zxid of the change, not the new data: a PUT is completed by an
 * asynchronous read issued as the event arrives. Answers and events reach the client's event thread in the server's
 * order, and each path keeps a queue, so events are delivered in zxid order. A PUT whose node is already gone when its
 * read is answered carries the entry this client wrote at that zxid, when this client wrote it, and is otherwise dropped
 * (its DELETE follows); a PUT whose node changed again carries the newer entry. Any change
 * of connection state (disconnected, expired, closed) resets every subscriber: events may have been missed.
 *
 * <p>Threadsafe.
 */
public final class WatchRegistry {
    private static final int OWN_WRITES_KEPT = 4096;

    private static final Logger log = LoggerFactory.getLogger(WatchRegistry.class);

    /** Turns a node's data into an entry; throws if the data is not an entry node's. */
    @FunctionalInterface
    public interface EntryReader {
        Entry read(String key, byte[] data, Stat stat);
    }

    private final Layout layout;
    private final ZkCalls calls;
    private final EntryReader reader;
    private final Map<String, Dispatcher> byPath = new HashMap<>();
    /** This client's own recent writes, by key and mzxid: what a PUT event is completed with when its read is too late. */
    private final Map<String, Entry> ownWrites = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > OWN_WRITES_KEPT;
        }
    };

    private boolean closed;

    /**
     * Records an entry this client wrote (created, or set by compare-and-set), so that a PUT event for it can still be
     * delivered with its entry when the node is deleted before the event's read is answered: the event thread often
     * reads a node only after this client's next requests (a delete among them) have been sent on the same session.
     *
     * @param entry the entry as written, with its mzxid as version
     */
    public void recordOwnWrite(Entry entry) {
        synchronized (ownWrites) {
            ownWrites.put(entry.key() + "@" + entry.version(), entry);
        }
    }

    private Entry ownWrite(String key, long zxid) {
        synchronized (ownWrites) {
            return ownWrites.get(key + "@" + zxid);
        }
    }

    public WatchRegistry(Layout layout, ZkCalls calls, EntryReader reader) {
        this.layout = layout;
        this.calls = calls;
        this.reader = reader;
    }

    /**
     * Subscribes {@code listener} to changes of the node at {@code path} (or of the tree under it when {@code
     * recursive}). Blocks for one request the first time a path is watched.
     */
    public Subscription subscribe(String path, boolean recursive, WatchListener listener) {
        Dispatcher d;
        Subscription s = new Subscription(listener);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("backend closed");
            }
            d = byPath.get(path);
            if (d == null) {
                d = new Dispatcher(path, recursive);
                byPath.put(path, d);
            }
            s.dispatcher = d;
            d.subscribers.add(s);
        }
        try {
            d.register();
        } catch (RuntimeException e) {
            drop(d, null);
            throw e;
        }
        return s;
    }

    /**
     * Subscribes {@code listener} to a key, or to the keys under a prefix, and resets the subscription at once when
     * it changed after {@code afterRevision}: ZooKeeper cannot replay changes, so the caller must re-read.
     */
    public Subscription subscribeAfter(
            String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener, TreeReader tree) {
        String path = prefix ? layout.structure(keyOrPrefix) : layout.entry(keyOrPrefix);
        Subscription subscription = subscribe(path, prefix, listener);
        long now;
        try {
            now = tree.revisionOf(keyOrPrefix, prefix, path);
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

    /** Resets every subscriber (they may have missed events) and forgets every registration. */
    public void resetAll(String why) {
        List<Dispatcher> all;
        synchronized (this) {
            all = new ArrayList<>(byPath.values());
        }
        for (Dispatcher d : all) {
            drop(d, why);
        }
    }

    /** Stops every subscriber silently; later subscriptions fail. */
    public void close() {
        synchronized (this) {
            closed = true;
        }
        resetAll(null);
    }

    private void drop(Dispatcher d, String why) {
        synchronized (this) {
            if (byPath.get(d.path) == d) {
                byPath.remove(d.path);
            }
        }
        d.kill(why);
    }

    private void unsubscribe(Subscription s) {
        Dispatcher d = s.dispatcher;
        boolean last;
        synchronized (this) {
            d.subscribers.remove(s);
            last = d.subscribers.isEmpty() && byPath.get(d.path) == d;
            if (last) {
                byPath.remove(d.path);
            }
        }
        if (last) {
            d.kill(null);
        }
    }

    /** One subscriber: its listener sees events until it closes or is reset, then nothing more. */
    public final class Subscription implements Watch {
        private final WatchListener listener;
        private Dispatcher dispatcher;
        private boolean done; // guarded by this

        Subscription(WatchListener listener) {
            this.listener = listener;
        }

        void deliver(WatchEvent event) {
            synchronized (this) {
                if (done) {
                    return;
                }
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    log.warn("watch listener failed on {}", event, e);
                }
            }
        }

        /** Resets this subscriber once; returns whether it was still live. */
        public boolean reset(String why) {
            synchronized (this) {
                if (done) {
                    return false;
                }
                done = true;
                if (why != null) {
                    try {
                        listener.onReset(why);
                    } catch (RuntimeException e) {
                        log.warn("watch listener failed on reset", e);
                    }
                }
            }
            unsubscribe(this);
            return true;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            unsubscribe(this);
        }
    }

    /** A change waiting for its data, in the path's queue. */
    private static final class Pending {
        final WatchEvent.Type type;
        final String key;
        final long zxid;
        boolean ready;
        Entry entry;

        Pending(WatchEvent.Type type, String key, long zxid) {
            this.type = type;
            this.key = key;
            this.zxid = zxid;
            this.ready = type == WatchEvent.Type.DELETE;
        }
    }

    /** The one ZooKeeper watcher of a path. */
    private final class Dispatcher implements Watcher {
        final String path;
        final boolean recursive;
        final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();
        private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by this
        private ZooKeeper zk; // guarded by this
        private boolean registered; // guarded by this
        private boolean dead; // guarded by this
        private long lastRevision; // guarded by this

        Dispatcher(String path, boolean recursive) {
            this.path = path;
            this.recursive = recursive;
        }

        synchronized void register() {
            if (registered || dead) {
                return;
            }
            calls.call("watch " + path, handle -> {
                handle.addWatch(path, this, recursive ? AddWatchMode.PERSISTENT_RECURSIVE : AddWatchMode.PERSISTENT);
                zk = handle;
                return null;
            });
            registered = true;
        }

        void kill(String why) {
            ZooKeeper handle;
            synchronized (this) {
                if (dead) {
                    return;
                }
                dead = true;
                queue.clear();
                handle = registered ? zk : null;
            }
            for (Subscription s : subscribers) {
                if (why == null) {
                    s.close();
                } else {
                    s.reset(why);
                }
            }
            if (handle != null) {
                // Asynchronous, answer ignored: a failed removal only leaves a registration that dies with the session.
                handle.removeWatches(path, this, WatcherType.Any, false, (rc, p, ctx) -> {}, null);
            }
        }

        @Override
        public void process(WatchedEvent event) {
            if (event.getType() == Event.EventType.None) {
                if (event.getState() != Event.KeeperState.SyncConnected) {
                    drop(
                            this,
                            "ZooKeeper connection " + event.getState() + ": watch on " + path
                                    + " may have missed changes");
                }
                return;
            }
            String changed = event.getPath();
            String key = changed == null ? null : layout.keyOf(changed);
            if (key == null || (!recursive && !changed.equals(path))) {
                return;
            }
            Pending p;
            ZooKeeper handle;
            synchronized (this) {
                if (dead) {
                    return;
                }
                switch (event.getType()) {
                    case NodeCreated:
                    case NodeDataChanged:
                        p = new Pending(WatchEvent.Type.PUT, key, event.getZxid());
                        break;
                    case NodeDeleted:
                        p = new Pending(WatchEvent.Type.DELETE, key, event.getZxid());
                        break;
                    default:
                        return;
                }
                queue.addLast(p);
                handle = zk;
            }
            if (p.type == WatchEvent.Type.PUT) {
                handle.getData(
                        changed,
                        false,
                        (rc, readPath, ctx, data, stat) -> {
                            Entry entry;
                            try {
                                entry = rc == KeeperException.Code.OK.intValue()
                                        ? reader.read(key, data, stat)
                                        : ownWrite(key, p.zxid);
                            } catch (RuntimeException e) {
                                // A node the backend cannot read (another program's data): the subscribers must
                                // re-read, and their read reports it.
                                drop(this, "could not read " + readPath + ": " + e.getMessage());
                                return;
                            }
                            synchronized (this) {
                                p.entry = entry;
                                p.ready = true;
                            }
                            drain();
                        },
                        null);
            } else {
                drain();
            }
        }

        private void drain() {
            while (true) {
                WatchEvent out;
                synchronized (this) {
                    Pending head = queue.peekFirst();
                    if (dead || head == null || !head.ready) {
                        return;
                    }
                    queue.pollFirst();
                    if (head.type == WatchEvent.Type.PUT && head.entry == null) {
                        continue;
                    }
                    long revision = head.zxid;
                    if (revision <= lastRevision) {
                        // Servers that do not send the zxid of a change: keep revisions increasing.
                        revision = head.entry != null && head.entry.version() > lastRevision
                                ? head.entry.version()
                                : lastRevision + 1;
                    }
                    lastRevision = revision;
                    out = new WatchEvent(head.type, head.key, head.entry, revision);
                }
                for (Subscription s : subscribers) {
                    s.deliver(out);
                }
            }
        }
    }
}
