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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SPI watch over Consul blocking queries. Consul keeps no history of changes, only the current state and an index,
 * so the watch keeps the state it last delivered ({@code known}) and turns each answer into the changes between the
 * two. It starts from a listing the same client read at {@code afterRevision} (see {@link #start}); without one it
 * resets at once. It resets, as the SPI asks, whenever the answer cannot be turned into gap-free ordered events: a key
 * appears that was already modified after its creation (its creation was missed), a delete and a later put whose order
 * is unknown, a change older than one already delivered, or an index lower than the query's previous answer (Consul's
 * state went back by a snapshot restore, or tombstones were reaped). An answer with nothing new (a blocking query
 * that woke without a change, or at the end of its wait) delivers nothing.
 *
 * <p>Writes made through the same client are delivered at once by {@link #local} with their exact index, so a client
 * sees its own changes in order however quickly it makes them; the blocking query then finds nothing new. Changes made
 * by other clients arrive through the query: two writes of one key by another client between two answers reach the
 * watch as one event (its latest value), which the recipes, that re-read on every event, do not mind.
 *
 * <p>Threadsafe: events are delivered under the watch's lock, one at a time, in index order.
 */
public final class ConsulWatch implements Watch {
    private static final Logger LOG = LoggerFactory.getLogger(ConsulWatch.class);

    private final ConsulHttp http;
    private final String key;
    private final boolean prefix;
    private final String consulPath;
    private final Function<KvEntry, Entry> mapper;
    private final WatchListener listener;
    private final Duration wait;
    private final Runnable onEnd;
    private final Map<String, Entry> known = new HashMap<>();
    private final Map<String, Long> lastSeen = new HashMap<>();
    private long cursor;
    private long blockIndex;
    private long lastAnswerIndex;
    private boolean ended;
    private int failures;
    private CompletableFuture<KvRead> inFlight;

    /**
     * Creates a watch; call {@link #start} to run it.
     *
     * @param http the client
     * @param key the SPI key or prefix
     * @param prefix whether {@code key} is a prefix
     * @param consulPath the Consul key (or prefix ending in {@code /}) to query
     * @param mapper turns a Consul entry into an SPI entry
     * @param listener the listener
     * @param wait the wait of each blocking query
     * @param onEnd called once when the watch ends (closed or reset)
     */
    public ConsulWatch(
            ConsulHttp http,
            String key,
            boolean prefix,
            String consulPath,
            Function<KvEntry, Entry> mapper,
            WatchListener listener,
            Duration wait,
            Runnable onEnd) {
        this.http = http;
        this.key = key;
        this.prefix = prefix;
        this.consulPath = consulPath;
        this.mapper = mapper;
        this.listener = listener;
        this.wait = wait;
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
     */
    public void start(List<Entry> baseline, long revision) {
        synchronized (this) {
            for (Entry e : baseline) {
                if (matches(e.key())) {
                    known.put(e.key(), e);
                    lastSeen.put(e.key(), e.version());
                }
            }
            cursor = revision;
            blockIndex = revision;
        }
        poll();
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
    public synchronized void local(WatchEvent.Type type, String k, Entry entry, long revision) {
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
            return;
        }
        deliver(List.of(new WatchEvent(type, k, entry, revision)));
    }

    @Override
    public void close() {
        CompletableFuture<KvRead> f;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            f = inFlight;
            inFlight = null;
        }
        if (f != null) {
            f.cancel(true);
        }
        onEnd.run();
    }

    /**
     * Ends the watch with {@link WatchListener#onReset(String)}, for example when the client closes or is cut off.
     *
     * @param why the reason
     */
    public void resetNow(String why) {
        CompletableFuture<KvRead> f;
        synchronized (this) {
            f = inFlight;
            if (!reset(why)) {
                return;
            }
        }
        if (f != null) {
            f.cancel(true);
        }
    }

    private void poll() {
        long index;
        synchronized (this) {
            if (ended) {
                return;
            }
            index = blockIndex;
        }
        CompletableFuture<KvRead> f;
        try {
            f = http.watch(consulPath, prefix, index, wait);
        } catch (RuntimeException e) {
            failed(e);
            return;
        }
        synchronized (this) {
            if (ended) {
                f.cancel(true);
                return;
            }
            inFlight = f;
        }
        f.whenComplete((read, failure) -> {
            if (failure != null) {
                failed(failure);
            } else {
                answered(read);
            }
        });
    }

    private void failed(Throwable failure) {
        Duration delay;
        synchronized (this) {
            if (ended || failure instanceof CancellationException) {
                return;
            }
            inFlight = null;
            failures = Math.min(failures + 1, 8);
            delay = Duration.ofMillis(Math.min(2000, 50L << failures));
        }
        LOG.debug("blocking query on {} failed ({}); resuming from index {} in {}", key, failure, blockIndex, delay);
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)
                .execute(this::poll);
    }

    private void answered(KvRead read) {
        synchronized (this) {
            if (ended) {
                return;
            }
            inFlight = null;
            failures = 0;
            if (read.index() < lastAnswerIndex) {
                // The same query answered a lower index than before: Consul's state went back (a snapshot restore)
                // or tombstones under the prefix were reaped. Keys may have vanished or come back with old indexes
                // that the comparison with what was delivered cannot order, so the watch starts over.
                reset("Consul's index for " + consulPath + " went back from " + lastAnswerIndex + " to " + read.index()
                        + " (a snapshot restore, or tombstones reaped)");
                return;
            }
            lastAnswerIndex = read.index();
            applySnapshot(read);
            if (ended) {
                return;
            }
            // Consul: an index that goes backwards means the query must start over from 0 (an answer at once).
            blockIndex = read.index() < blockIndex ? 0 : read.index();
        }
        poll();
    }

    private void applySnapshot(KvRead read) {
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
                // Gone, at an index before its own version: Consul's state went back (a snapshot restore, or the
                // tombstone that dated the delete was reaped), or this answer was read before this client's own write
                // of the key. Either way the order cannot be known.
                reset("key " + e.key() + " (version " + e.version() + ") is missing from an answer at index "
                        + read.index() + ": Consul's index went back, or the answer predates the write");
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
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("watch listener on {} failed", key, e);
            }
        }
    }

    /** Ends the watch with a reset; returns false if it had already ended. Called with the lock held. */
    private boolean reset(String why) {
        if (ended) {
            return false;
        }
        ended = true;
        CompletableFuture<KvRead> f = inFlight;
        inFlight = null;
        if (f != null) {
            f.cancel(true);
        }
        try {
            listener.onReset(why);
        } catch (RuntimeException e) {
            LOG.warn("watch listener on {} failed", key, e);
        }
        onEnd.run();
        return true;
    }
}
