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
package dev.baton.lock.internal;

import dev.baton.lock.spi.Entry;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a waiter of a {@link QueueAttempt} decides from a listing of its queue: whether its own entry holds now, and
 * which one entry ahead of it to watch while it does not. The queue, its session binding, its no-herd watch and its
 * safety rules are the same for every policy; only this decision differs.
 *
 * <p>Entries that {@code passed} accepts (the waiter entries of this coordinator's lost sessions, which never hold) are
 * ignored: they neither block nor get watched.
 */
interface QueuePolicy {
    /** The value payload of a read-write lock's read entry; every other payload (a mutex's is empty) is exclusive. */
    String READ_PAYLOAD = "read";

    /** The value payload of a read-write lock's write entry. */
    String WRITE_PAYLOAD = "write";

    /**
     * Whether the entry at {@code own} holds, given the entries ahead of it.
     *
     * @param entries the queue, in creation order
     * @param own the position of the waiter's own entry
     * @param passed the entries to ignore
     * @return whether it holds
     */
    boolean holds(List<Entry> entries, int own, Predicate<Entry> passed);

    /**
     * The position of the entry to watch while the own entry does not hold: its deletion (or a change that makes it no
     * longer block) is the only event that can let the own entry hold sooner.
     *
     * @param entries the queue, in creation order
     * @param own the position of the waiter's own entry, which does not hold
     * @param passed the entries to ignore
     * @return a position before {@code own}
     */
    int watched(List<Entry> entries, int own, Predicate<Entry> passed);

    /**
     * Whether the watched entry, whose value was replaced under the same creation sequence, still blocks the waiter.
     *
     * @param changed the entry as changed
     * @return true to keep waiting on it, false to look at the queue again
     */
    boolean stillBlocks(Entry changed);

    /**
     * The mutex's (and an election's, and a read-write lock's writer's) policy: the first entry holds; a waiter
     * watches its immediate predecessor, so a release wakes exactly one waiter.
     */
    QueuePolicy EXCLUSIVE = new QueuePolicy() {
        @Override
        public boolean holds(List<Entry> entries, int own, Predicate<Entry> passed) {
            return nearestBefore(entries, own, passed.negate()) < 0;
        }

        @Override
        public int watched(List<Entry> entries, int own, Predicate<Entry> passed) {
            return nearestBefore(entries, own, passed.negate());
        }

        @Override
        public boolean stillBlocks(Entry changed) {
            return true;
        }

        @Override
        public String toString() {
            return "EXCLUSIVE";
        }
    };

    /**
     * A read-write lock's reader: holds when no write entry (no exclusive entry) is ahead of it, whatever readers are;
     * watches the nearest write entry ahead, so a writer's release wakes the readers queued right behind it and nobody
     * else, and a reader queued behind a waiting writer waits for it (writers do not starve).
     */
    QueuePolicy SHARED = new QueuePolicy() {
        @Override
        public boolean holds(List<Entry> entries, int own, Predicate<Entry> passed) {
            return watched(entries, own, passed) < 0;
        }

        @Override
        public int watched(List<Entry> entries, int own, Predicate<Entry> passed) {
            return nearestBefore(entries, own, e -> !passed.test(e) && isExclusive(e));
        }

        @Override
        public boolean stillBlocks(Entry changed) {
            return isExclusive(changed);
        }

        @Override
        public String toString() {
            return "SHARED";
        }
    };

    /** Whether an entry excludes every other holder: any entry but a read-write lock's read entry. */
    static boolean isExclusive(Entry e) {
        return !EntryValue.decode(e.value()).payload().equals(READ_PAYLOAD);
    }

    /** The position of the nearest entry before {@code end} that {@code blocking} accepts, or -1. */
    private static int nearestBefore(List<Entry> entries, int end, Predicate<Entry> blocking) {
        for (int i = end - 1; i >= 0; i--) {
            if (blocking.test(entries.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
