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
package dev.baton.consul.internal;

import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SPI watch over the answers of a {@link ConsulSharedQuery} (a chain of blocking queries that other watches of the
 * same backend on the same Consul key or prefix share). Consul keeps no history of changes, only the current state and
 * an index, so the watch keeps the state it last delivered ({@code known}) and turns each answer into the changes
 * between the two, keeping only the keys it {@link #matches}. It starts from a listing the same client read at
 * {@code afterRevision} (see {@link #start}); without one it resets at once. It resets, as the SPI asks, whenever the
 * answer cannot be turned into gap-free ordered events: a key appears that was already modified after its creation (its
 * creation was missed), a delete and a later put whose order is unknown, a change older than one already delivered, or
 * an index lower than the query's previous answer (Consul's state went back by a snapshot restore, or tombstones were
 * reaped). An answer with nothing new
 * (a blocking query that woke without a change, or at the end of its wait) delivers nothing.
 *
 * <p>Writes made through the same client are delivered by {@link #local} with their exact index, so a client sees its
 * own changes in order however quickly it makes them; the blocking query then finds nothing new. An answer to a
 * request sent before such a write may arrive after it, at a lower index and without the written key: for that key it
 * is no news (the watch remembers, per key, how many requests the query had sent when the write was delivered). The
 * same answer to a request sent after the write means Consul lost the write (a snapshot restore), and the watch
 * resets. Changes made by other
 * clients arrive through the query: two writes of one key by another client between two answers reach the watch as one
 * event (its latest value), which the recipes, that re-read on every event, do not mind.
 *
 * <p>Threadsafe. Events are computed under the watch's lock in index order and queued; the listener is called from a
 * task on the delivery executor, one call at a time, in that order. A listener that throws is logged and keeps its
 * watch; one that blocks holds up only its own watch (and one thread of the executor), not the shared query or the
 * other watches. After {@link #close()} nothing more is delivered, except a call already running.
 */
public final class ConsulWatch implements Watch {
    private static final Logger LOG = LoggerFactory.getLogger(ConsulWatch.class);

    private final ConsulSharedQuery query;
    private final String key;
    private final boolean prefix;
    private final Function<KvEntry, Entry> mapper;
    private final WatchListener listener;
    private final Executor delivery;
    private final Runnable onEnd;
    private final Map<String, Entry> known = new HashMap<>();
    private final Map<String, Long> lastSeen = new HashMap<>();
    /**
     * For each key last put through {@link #local}: the number of requests the query had sent by then. An answer to
     * one of those requests may predate the write.
     */
    private final Map<String, Long> localSent = new HashMap<>();

    private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    private long cursor;
    private long startRevision;
    private long joinedAt;
    private long lastAnswerIndex;
    private boolean ended;
    private boolean closed;
    private boolean draining;

    /**
     * Creates a watch; call {@link #start} to run it.
     *
     * @param query the shared query whose answers it reads
     * @param key the SPI key or prefix
     * @param prefix whether {@code key} is a prefix
     * @param mapper turns a Consul entry into an SPI entry (null for one outside the backend's keys)
     * @param listener the listener
     * @param delivery runs the listener calls
     * @param onEnd called once when the watch ends (closed or reset)
     */
    public ConsulWatch(
            ConsulSharedQuery query,
            String key,
            boolean prefix,
            Function<KvEntry, Entry> mapper,
            WatchListener listener,
            Executor delivery,
            Runnable onEnd) {
        this.query = query;
        this.key = key;
        this.prefix = prefix;
        this.mapper = mapper;
        this.listener = listener;
        this.delivery = delivery;
        this.onEnd = onEnd;
    }

    /**
     * Tells whether an SPI key is one this watch reports.
     *
     * @param k the key
     * @return whether it matches
     */
    public boolean matches(String k) {
        return prefix ? k.startsWith(key + "/") : k.equals(key);
    }

    /**
     * Starts from the state at {@code revision}: {@code baseline} are the matching entries a listing read then.
     *
     * @param baseline the entries at {@code revision}
     * @param revision the revision
     * @return false if the shared query had already stopped (nothing started; subscribe to a new query)
     */
    public boolean start(List<Entry> baseline, long revision) {
        synchronized (this) {
            for (Entry e : baseline) {
                if (matches(e.key())) {
                    known.put(e.key(), e);
                    lastSeen.put(e.key(), e.version());
                }
            }
            cursor = revision;
            startRevision = revision;
        }
        return query.subscribe(this, revision);
    }

    /**
     * Delivers a change this client made, with its exact index (for a delete: an index at or after it and before any
     * later write of this client). Ignored if the watch already knows the key at that index or later.
     *
     * @param type what happened
     * @param k the SPI key
     * @param entry the entry after a put, or null
     * @param revision the index
     */
    public void local(WatchEvent.Type type, String k, Entry entry, long revision) {
        synchronized (this) {
            if (ended || !matches(k)) {
                return;
            }
            if (lastSeen.getOrDefault(k, 0L) >= revision) {
                return;
            }
            if (type == WatchEvent.Type.DELETE && !known.containsKey(k)) {
                lastSeen.put(k, revision);
                return;
            }
            if (revision <= cursor) {
                reset("a change of " + k + " at index " + revision + " arrived after one at index " + cursor);
            } else {
                deliver(List.of(new WatchEvent(type, k, entry, revision)));
                // Read after the write was acknowledged, so every request up to this number may have been answered
                // before it; a later one was sent after it. The query's counter takes no lock (lock order).
                localSent.put(k, query.sent());
            }
        }
        drain();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            pending.clear();
            if (ended) {
                return;
            }
            ended = true;
        }
        leave();
    }

    /** Called by the query, under its lock, when this watch joins; {@code sent} requests were sent before. */
    synchronized void joined(long sent) {
        joinedAt = sent;
    }

    /**
     * Called by the query, under its lock, with each answer in the order they arrive; {@code seq} numbers the request
     * it answers. Computes and queues the events; the listener is called on the delivery executor.
     */
    void answered(KvRead read, long seq) {
        synchronized (this) {
            if (ended) {
                return;
            }
            if (read.index() < startRevision && seq <= joinedAt) {
                // Sent before this watch joined and answered below its baseline: no news for this watch (the key or
                // prefix has not changed since that index, or the answer predates the baseline). The query's next
                // request is sent after the join and blocks from that index.
                return;
            }
            if (read.index() < lastAnswerIndex) {
                // The same query answered a lower index than before: Consul's state went back (a snapshot restore)
                // or tombstones under the prefix were reaped. Keys may have vanished or come back with old indexes
                // that the comparison with what was delivered cannot order, so the watch starts over.
                reset("Consul's index for " + key + " went back from " + lastAnswerIndex + " to " + read.index()
                        + " (a snapshot restore, or tombstones reaped)");
            } else {
                lastAnswerIndex = read.index();
                applySnapshot(read, seq);
                // The answers still to come were sent after the local writes recorded before this request.
                localSent.values().removeIf(sentThen -> sentThen < seq);
            }
        }
        drain();
    }

    private void applySnapshot(KvRead read, long seq) {
        Map<String, Entry> now = new HashMap<>();
        for (KvEntry kv : read.entries()) {
            Entry e = mapper.apply(kv);
            if (e != null && matches(e.key())) {
                now.put(e.key(), e);
            }
        }
        List<WatchEvent> puts = new ArrayList<>();
        for (Entry e : now.values()) {
            Entry before = known.get(e.key());
            if (before != null && before.version() == e.version()) {
                continue;
            }
            if (e.version() <= lastSeen.getOrDefault(e.key(), 0L)) {
                continue; // this answer is older than what the client already delivered for the key
            }
            if (before != null && before.createSequence() != e.createSequence()) {
                // Deleted and created again between two answers: Consul reports only the new key, not the deletion.
                reset("key " + e.key() + " was deleted and created again between two answers of Consul");
                return;
            }
            if (before == null && e.createSequence() != e.version()) {
                reset("key " + e.key() + " was created and changed again between two answers of Consul");
                return;
            }
            puts.add(new WatchEvent(WatchEvent.Type.PUT, e.key(), e, e.version()));
        }
        puts.sort(Comparator.comparingLong(WatchEvent::revision));
        List<WatchEvent> deletes = new ArrayList<>();
        for (Entry e : known.values()) {
            if (!now.containsKey(e.key()) && read.index() > e.version()) {
                deletes.add(new WatchEvent(WatchEvent.Type.DELETE, e.key(), null, read.index()));
            } else if (!now.containsKey(e.key()) && read.index() < e.version()) {
                if (seq <= localSent.getOrDefault(e.key(), 0L)) {
                    // Answers a request sent before this client's own write of the key was delivered: the answer
                    // predates the write and is no news for this key.
                    continue;
                }
                // Gone, at an index before its own version, in an answer to a request sent after the write was
                // known: Consul's state went back (a snapshot restore, or the tombstone that dated the delete was
                // reaped), and the order cannot be known.
                reset("key " + e.key() + " (version " + e.version() + ") is missing from an answer at index "
                        + read.index() + " to a request sent after the write: Consul's index went back");
                return;
            }
        }
        if (!deletes.isEmpty() && !puts.isEmpty() && puts.get(puts.size() - 1).revision() >= read.index()) {
            reset("keys were deleted and written between two answers of Consul, in an order it does not report");
            return;
        }
        List<WatchEvent> events = new ArrayList<>(puts);
        events.addAll(deletes);
        if (events.isEmpty()) {
            return;
        }
        if (events.get(0).revision() <= cursor) {
            reset("Consul reported a change at index " + events.get(0).revision() + " after one at " + cursor);
            return;
        }
        deliver(events);
    }

    private void deliver(List<WatchEvent> events) {
        for (WatchEvent event : events) {
            if (event.type() == WatchEvent.Type.PUT) {
                known.put(event.key(), event.entry().orElseThrow());
            } else {
                known.remove(event.key());
            }
            lastSeen.put(event.key(), event.revision());
            cursor = Math.max(cursor, event.revision());
            pending.add(() -> listener.onEvent(event));
        }
    }

    /** Ends the watch with a reset, queued after its events; called with the lock held. */
    private void reset(String why) {
        if (ended) {
            return;
        }
        ended = true;
        pending.add(() -> listener.onReset(why));
        // Leaving takes the query's lock, which the query may hold while it calls this watch: leave from elsewhere.
        execute(this::leave);
    }

    private void leave() {
        query.unsubscribe(this);
        onEnd.run();
    }

    /** Starts a delivery task unless one runs; it calls the queued listener calls one at a time. */
    private void drain() {
        synchronized (this) {
            if (draining || pending.isEmpty()) {
                return;
            }
            draining = true;
        }
        boolean started = execute(() -> {
            while (true) {
                Runnable call;
                synchronized (this) {
                    call = closed ? null : pending.poll();
                    if (call == null) {
                        draining = false;
                        return;
                    }
                }
                try {
                    call.run();
                } catch (RuntimeException e) {
                    LOG.warn("watch listener on {} failed", key, e);
                }
            }
        });
        if (!started) {
            synchronized (this) {
                draining = false;
            }
        }
    }

    /** Runs a task on the delivery executor; false if it refused it (the backend is closing). */
    private boolean execute(Runnable task) {
        try {
            delivery.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            LOG.debug("watch on {}: delivery executor refused a task (closing)", key, e);
            return false;
        }
    }
}
