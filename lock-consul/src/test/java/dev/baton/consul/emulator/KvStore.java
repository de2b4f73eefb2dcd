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
package dev.baton.consul.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The emulator's state store for KV: the keys, the tombstones of deleted keys (so that a prefix's index never slides
 * back on delete), lock-delays, and one Raft-like index that {@code CreateIndex}, {@code ModifyIndex} and {@code
 * X-Consul-Index} come from. Each write wakes the blocking queries on what it changed.
 *
 * <p>Not threadsafe by itself: every method must be called holding the emulator's monitor (the one given to the
 * constructor), which {@link #commit} notifies.
 */
final class KvStore {
    private final Object monitor;
    private final TreeMap<String, Kv> kvs = new TreeMap<>();
    private final TreeMap<String, Long> tombstones = new TreeMap<>();
    /** Key -> a number that changes whenever the key is written or its tombstone reaped (memdb's watch channels). */
    private final Map<String, Long> touched = new HashMap<>();

    private final Map<String, Long> lockDelays = new HashMap<>();
    private long index = 10;
    /** The highest index ever used; above {@link #index} after a snapshot restore took the state back. */
    private long raftIndex;
    /** Bumped when the state store is replaced (snapshot restore): every blocking query answers at once. */
    private long abandoned;

    /** What a snapshot keeps of the KV store. */
    record State(TreeMap<String, Kv> kvs, TreeMap<String, Long> tombstones, long index) {}

    KvStore(Object monitor) {
        this.monitor = monitor;
    }

    /** The index of the last write. */
    long index() {
        return index;
    }

    /** How many times the state store was replaced; a blocking query answers at once when it changes. */
    long abandoned() {
        return abandoned;
    }

    /** The index of the next write: after the highest ever used, as Raft's log index never goes back. */
    long nextIndex() {
        return Math.max(index, raftIndex) + 1;
    }

    /** A write at {@code idx} that changes no key (a session created): the index moves, no query wakes. */
    void advance(long idx) {
        index = idx;
    }

    /** Applies a write at {@code idx}: advances the index and wakes the blocking queries on what changed. */
    void commit(long idx, List<String> changedKeys) {
        index = idx;
        for (String k : changedKeys) {
            touched.put(k, idx);
        }
        monitor.notifyAll();
    }

    /** The entry of a key, copied, or none. */
    List<Kv> single(String key) {
        Kv kv = kvs.get(key);
        return kv == null ? List.of() : List.of(kv.copy());
    }

    /** The entries under a prefix, copied, in key order. */
    List<Kv> list(String prefix) {
        List<Kv> out = new ArrayList<>();
        kvs.subMap(prefix, true, prefix + Character.MAX_VALUE, false).values().forEach(kv -> out.add(kv.copy()));
        return out;
    }

    /** KVS.Get: the key's ModifyIndex, or the table index when the key is absent. */
    long singleIndex(List<Kv> found) {
        return found.isEmpty() ? Math.max(1, index) : found.get(0).modifyIndex;
    }

    /** KVS.List: the highest ModifyIndex or tombstone under the prefix, else the table index. */
    long prefixIndex(String prefix, List<Kv> found) {
        long max = 0;
        for (Kv kv : found) {
            max = Math.max(max, kv.modifyIndex);
        }
        for (long t : tombstones
                .subMap(prefix, true, prefix + Character.MAX_VALUE, false)
                .values()) {
            max = Math.max(max, t);
        }
        return max == 0 ? Math.max(1, index) : max;
    }

    /** A number that changes whenever the key, or a key under the prefix, is written or its tombstone reaped. */
    long lastTouch(String key, boolean recurse) {
        if (!recurse) {
            return touched.getOrDefault(key, 0L);
        }
        long max = 0;
        for (Map.Entry<String, Long> e : touched.entrySet()) {
            if (e.getKey().startsWith(key)) {
                max = Math.max(max, e.getValue());
            }
        }
        return max;
    }

    /** The keys stored under a prefix, in key order. */
    List<String> keys(String prefix) {
        return new ArrayList<>(
                kvs.subMap(prefix, true, prefix + Character.MAX_VALUE, false).keySet());
    }

    /** Whether the key exists. */
    boolean contains(String key) {
        return kvs.containsKey(key);
    }

    /** The stored entry itself (not a copy), or null. */
    Kv get(String key) {
        return kvs.get(key);
    }

    /** The live entries, for an operation that changes several of them. */
    TreeMap<String, Kv> entries() {
        return kvs;
    }

    /** The live tombstones, for an operation that changes several of them. */
    TreeMap<String, Long> tombstones() {
        return tombstones;
    }

    /** Copies of the entries, for a transaction to change before it commits. */
    TreeMap<String, Kv> copyEntries() {
        TreeMap<String, Kv> draft = new TreeMap<>();
        kvs.forEach((k, v) -> draft.put(k, v.copy()));
        return draft;
    }

    /** Replaces the entries and tombstones by a transaction's drafts. */
    void replace(TreeMap<String, Kv> draft, TreeMap<String, Long> draftTombstones) {
        kvs.clear();
        kvs.putAll(draft);
        tombstones.clear();
        tombstones.putAll(draftTombstones);
    }

    /** Whether an acquisition of the key is refused by a lock-delay still running. */
    boolean lockDelayed(String key) {
        Long until = lockDelays.get(key);
        return until != null && until - System.nanoTime() > 0;
    }

    /**
     * deleteSessionTxn's part in KV: the keys a session holds are released (behaviour {@code release}) or deleted
     * ({@code delete}) at the next index, and get the session's lock-delay.
     */
    void releaseHeldBy(String sessionId, boolean deleteKeys, Duration lockDelay) {
        long idx = nextIndex();
        List<String> changed = new ArrayList<>();
        for (Kv kv : new ArrayList<>(kvs.values())) {
            if (!sessionId.equals(kv.session)) {
                continue;
            }
            if (deleteKeys) {
                delete(idx, kv.key, kvs, tombstones);
            } else {
                kv.session = null;
                kv.modifyIndex = idx;
            }
            changed.add(kv.key);
            if (!lockDelay.isZero()) {
                lockDelays.put(kv.key, System.nanoTime() + lockDelay.toNanos());
            }
        }
        commit(idx, changed);
    }

    /** Forgets every tombstone and wakes the blocking queries that watched them. */
    void reapTombstones() {
        for (String k : tombstones.keySet()) {
            touched.put(k, touched.getOrDefault(k, 0L) + 1);
        }
        tombstones.clear();
        monitor.notifyAll();
    }

    State snapshot() {
        TreeMap<String, Kv> k = new TreeMap<>();
        kvs.forEach((key, v) -> k.put(key, v.copy()));
        return new State(k, new TreeMap<>(tombstones), index);
    }

    /** Puts back a snapshot's KV state; the next write still comes after the highest index ever used. */
    void restore(State state) {
        raftIndex = Math.max(raftIndex, index);
        kvs.clear();
        state.kvs().forEach((k, v) -> kvs.put(k, v.copy()));
        tombstones.clear();
        tombstones.putAll(state.tombstones());
        index = state.index();
        abandoned++;
        monitor.notifyAll();
    }

    /** kvsSetTxn: keeps CreateIndex and the existing session. */
    static Kv set(long idx, Kv entry, TreeMap<String, Kv> store) {
        Kv existing = store.get(entry.key);
        entry.createIndex = existing == null ? idx : existing.createIndex;
        entry.lockIndex = existing == null ? 0 : existing.lockIndex;
        entry.session = existing == null ? null : existing.session;
        entry.modifyIndex = idx;
        store.put(entry.key, entry);
        return entry;
    }

    /** kvsSetCASTxn: index 0 means create only if absent; otherwise ModifyIndex must match. */
    static boolean setCas(long idx, Kv entry, long cas, TreeMap<String, Kv> store) {
        Kv existing = store.get(entry.key);
        if (cas == 0 && existing != null) {
            return false;
        }
        if (cas != 0 && (existing == null || existing.modifyIndex != cas)) {
            return false;
        }
        set(idx, entry, store);
        return true;
    }

    /** kvsLockTxn for a live session (the caller checks that): a key held by another session is refused. */
    static boolean lock(long idx, Kv entry, String session, TreeMap<String, Kv> store) {
        Kv existing = store.get(entry.key);
        if (existing != null && existing.session != null && !existing.session.equals(session)) {
            return false;
        }
        entry.createIndex = existing == null ? idx : existing.createIndex;
        entry.lockIndex =
                existing == null ? 1 : (session.equals(existing.session) ? existing.lockIndex : existing.lockIndex + 1);
        entry.session = session;
        entry.modifyIndex = idx;
        store.put(entry.key, entry);
        return true;
    }

    /** kvsUnlockTxn: only the holder unlocks; LockIndex is kept, the session cleared, the value written. */
    static boolean unlock(long idx, Kv entry, String session, TreeMap<String, Kv> store) {
        Kv existing = store.get(entry.key);
        if (existing == null || session == null || !session.equals(existing.session)) {
            return false;
        }
        entry.createIndex = existing.createIndex;
        entry.lockIndex = existing.lockIndex;
        entry.session = null;
        entry.modifyIndex = idx;
        store.put(entry.key, entry);
        return true;
    }

    /** Deletes a key, leaving a tombstone at {@code idx}. */
    static void delete(long idx, String key, TreeMap<String, Kv> store, TreeMap<String, Long> graveyard) {
        if (store.remove(key) != null) {
            graveyard.put(key, idx);
        }
    }
}
