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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.zookeeper.data.Stat;

/**
 * The entry this client last wrote at each key, as its write's answer gave it: what lets a compare-and-delete or a
 * compare-and-set of that very version skip its read (see {@link EntryWriter#compareAndDelete}). A hint only: a key
 * left out, or forgotten when the table is full, is read as before.
 *
 * <p>Every write of a key by this client runs under the key's {@linkplain #lockFor lock}, forgets the key first and
 * records the key after it succeeds; a compare-and-delete (or compare-and-set) takes the record and sends its request
 * under the same lock. So a delete can never act on a record older than a write of the same key this client has sent
 * (the requests of one session are applied in the order they are sent).
 *
 * <p>The records are also indexed by lease, so that a revoke of a lease this client granted can delete the entries it
 * attached to it without listing the lease first ({@link LeaseReaper#revoke(long, Map)}). A revoke reads them without
 * the keys' locks: an entry it deletes must still have its reference under the lease, so is attached to the lease
 * whichever write made it, and a record too old to match fails the revoke's multi-operation, which deletes nothing.
 *
 * <p>Threadsafe.
 */
final class OwnEntries {
    /** The most records kept; the table is emptied when it is full (keys whose entries went away some other way). */
    static final int LIMIT = 4096;

    private static final int STRIPES = 256;

    /**
     * An entry as this client wrote it: its version (mzxid), ZooKeeper's data version, lease, ephemeral owner, and
     * creation sequence (its fencing token) with the origin sequence its data holds (0 when that is the node's czxid).
     */
    record Known(
            long version, int dataVersion, long leaseId, long ephemeralOwner, long sequence, long originSequence) {}

    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
    /** The keys of the records, by the lease each record names; may name keys whose record went (a hint too). */
    private final ConcurrentHashMap<Long, Set<String>> byLease = new ConcurrentHashMap<>();

    private final Object[] locks = new Object[STRIPES];

    OwnEntries() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** The lock that writes and compare-and-deletes of {@code key} by this client hold (shared with other keys). */
    Object lockFor(String key) {
        return locks[Math.floorMod(key.hashCode(), STRIPES)];
    }

    /**
     * Records the entry this client just wrote at {@code key}, whose creation sequence is {@code sequence}; the caller
     * holds the key's lock.
     */
    void wrote(String key, Stat stat, long leaseId, long sequence) {
        if (known.size() >= LIMIT) {
            known.clear();
            byLease.clear();
        }
        long origin = sequence == stat.getCzxid() ? 0 : sequence;
        known.put(
                key,
                new Known(stat.getMzxid(), stat.getVersion(), leaseId, stat.getEphemeralOwner(), sequence, origin));
        if (leaseId != Entry.NO_LEASE) {
            byLease.compute(leaseId, (id, keys) -> {
                Set<String> set = keys != null ? keys : ConcurrentHashMap.newKeySet();
                set.add(key);
                return set;
            });
        }
    }

    /** What is recorded for {@code key}, or null; the caller holds the key's lock. */
    Known get(String key) {
        return known.get(key);
    }

    /** Forgets {@code key} and returns what was recorded, or null; the caller holds the key's lock. */
    Known take(String key) {
        Known k = known.remove(key);
        if (k != null) {
            unindex(key, k.leaseId());
        }
        return k;
    }

    /** The records of the entries this client attached to {@code leaseId}, by key (a snapshot). */
    Map<String, Known> attachedTo(long leaseId) {
        Set<String> keys = byLease.get(leaseId);
        Map<String, Known> out = new HashMap<>();
        if (keys != null) {
            for (String key : keys) {
                Known k = known.get(key);
                if (k != null && k.leaseId() == leaseId) {
                    out.put(key, k);
                }
            }
        }
        return out;
    }

    /** Forgets {@code key} if its record is still {@code k} (the entry went with its lease); no lock needed. */
    void forget(String key, Known k) {
        if (known.remove(key, k)) {
            unindex(key, k.leaseId());
        }
    }

    private void unindex(String key, long leaseId) {
        byLease.computeIfPresent(leaseId, (id, keys) -> {
            keys.remove(key);
            return keys.isEmpty() ? null : keys;
        });
    }
}
