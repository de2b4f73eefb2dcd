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

import java.util.concurrent.ConcurrentHashMap;
import org.apache.zookeeper.data.Stat;

/**
 * The entry this client last wrote at each key, as its write's answer gave it: what lets a compare-and-delete of that
 * very version skip its read (see {@link EntryWriter#compareAndDelete}). A hint only: a key left out, or forgotten
 * when the table is full, is read as before.
 *
 * <p>Every write of a key by this client runs under the key's {@linkplain #lockFor lock}, forgets the key first and
 * records the key after it succeeds; a compare-and-delete takes the record and sends its delete under the same lock.
 * So a delete can never act on a record older than a write of the same key this client has sent (the requests of one
 * session are applied in the order they are sent).
 *
 * <p>Threadsafe.
 */
final class OwnEntries {
    /** The most records kept; the table is emptied when it is full (keys whose entries went away some other way). */
    static final int LIMIT = 4096;

    private static final int STRIPES = 256;

    /** An entry as this client wrote it: its version (mzxid), ZooKeeper's data version, lease and ephemeral owner. */
    record Known(long version, int dataVersion, long leaseId, long ephemeralOwner) {}

    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
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

    /** Records the entry this client just wrote at {@code key}; the caller holds the key's lock. */
    void wrote(String key, Stat stat, long leaseId) {
        if (known.size() >= LIMIT) {
            known.clear();
        }
        known.put(key, new Known(stat.getMzxid(), stat.getVersion(), leaseId, stat.getEphemeralOwner()));
    }

    /** Forgets {@code key} and returns what was recorded, or null; the caller holds the key's lock. */
    Known take(String key) {
        return known.remove(key);
    }
}
