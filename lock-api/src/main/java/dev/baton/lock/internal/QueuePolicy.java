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

import dev.baton.lock.LockException;
import dev.baton.lock.SemaphoreLimitMismatchException;
import dev.baton.lock.spi.Entry;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a waiter of a {@link QueueAttempt} decides from a listing of its queue: whether its own entry holds now, and
 * which one entry ahead of it to watch while it does not. The queue, its session binding, its no-herd watch and its
 * safety rules are the same for every policy; only this decision differs.
 *
 * <p>A policy may also have a waiter watch the whole queue instead of one entry ({@link #watchesQueue}), have a waiter
 * that comes to hold tell the waiter behind it ({@link #announcesHold()}), and refuse an entry outright ({@link
 * #refusal}).
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
     * Whether the waiter at {@code own}, which does not hold, should watch every entry of the queue rather than the one
     * {@link #watched} names: when any of several entries ahead going away can let it hold.
     *
     * @param entries the queue, in creation order
     * @param own the position of the waiter's own entry, which does not hold
     * @param passed the entries to ignore
     * @return whether to watch the whole queue
     */
    default boolean watchesQueue(List<Entry> entries, int own, Predicate<Entry> passed) {
        return false;
    }

    /**
     * Whether a waiter that comes to hold while another entry is queued behind it must tell that entry, by bumping its
     * own entry's version: when the entry behind may be watching it while it waited, and its starting to hold changes
     * nothing else on the server.
     *
     * @return whether holding is announced
     */
    default boolean announcesHold() {
        return false;
    }

    /**
     * A failure that refuses the own entry outright, before it can hold (the attempt then removes it), or null.
     *
     * @param lockName the name, for the exception
     * @param entries the queue, in creation order
     * @param own the position of the waiter's own entry
     * @param passed the entries to ignore
     * @return the failure, or null to go on
     */
    default LockException refusal(String lockName, List<Entry> entries, int own, Predicate<Entry> passed) {
        return null;
    }

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

    /**
     * A semaphore's acquisition: its entry's payload is {@code <permits>/<limit>} ({@link #countingPayload}), and it
     * holds when its own permits and those of every entry ahead of it, holding or waiting, add up to at most its
     * limit. So waiters are served strictly in order: a waiter never holds while one ahead of it waits. A waiter whose
     * nearest entry ahead waits too watches that entry; the first waiter (the nearest entry ahead holds) watches the
     * whole queue, since the release of any holder ahead may let it in ({@link SemaphoreRecipe} says why that costs no
     * herd). A waiter that comes to hold announces it, so that the waiter behind, which may be watching it, looks
     * again. An entry that finds an entry of another limit ahead of it is refused.
     */
    QueuePolicy COUNTING = new QueuePolicy() {
        @Override
        public boolean holds(List<Entry> entries, int own, Predicate<Entry> passed) {
            return fits(entries, own, counted(entries.get(own))[1], passed);
        }

        @Override
        public int watched(List<Entry> entries, int own, Predicate<Entry> passed) {
            return nearestBefore(entries, own, passed.negate());
        }

        @Override
        public boolean watchesQueue(List<Entry> entries, int own, Predicate<Entry> passed) {
            int ahead = watched(entries, own, passed);
            return ahead >= 0 && fits(entries, ahead, counted(entries.get(own))[1], passed);
        }

        @Override
        public boolean stillBlocks(Entry changed) {
            // A change of a waiting entry ahead is its announcement that it holds: look again.
            return false;
        }

        @Override
        public boolean announcesHold() {
            return true;
        }

        @Override
        public LockException refusal(String lockName, List<Entry> entries, int own, Predicate<Entry> passed) {
            // Only the entries ahead: the first to queue keeps its limit, and a later entry of another limit refuses
            // itself rather than the entries it finds ahead of it.
            int limit = counted(entries.get(own))[1];
            for (Entry e : entries.subList(0, own)) {
                int found = counted(e)[1];
                if (found != limit && !passed.test(e)) {
                    return new SemaphoreLimitMismatchException(lockName, limit, found);
                }
            }
            return null;
        }

        /** Whether the permits of the entries up to and including {@code last} add up to at most {@code limit}. */
        private boolean fits(List<Entry> entries, int last, int limit, Predicate<Entry> passed) {
            long sum = counted(entries.get(last))[0];
            for (int i = last - 1; i >= 0 && sum <= limit; i--) {
                Entry e = entries.get(i);
                if (!passed.test(e)) {
                    sum += counted(e)[0];
                }
            }
            return sum <= limit;
        }

        @Override
        public String toString() {
            return "COUNTING";
        }
    };

    /** The payload of a semaphore's entry: the permits it asks for and the limit it counts them against. */
    static String countingPayload(int permits, int limit) {
        return permits + "/" + limit;
    }

    /**
     * The permits and limit of a semaphore's entry, {@code {permits, limit}}. An entry whose payload is not a
     * semaphore's (never written by this library under a semaphore's prefix) counts as taking every permit of a limit
     * no semaphore has, so that it blocks and is reported rather than ignored.
     */
    static int[] counted(Entry e) {
        String payload = EntryValue.decode(e.value()).payload();
        int slash = payload.indexOf('/');
        try {
            if (slash > 0) {
                return new int[] {
                    Integer.parseInt(payload.substring(0, slash)), Integer.parseInt(payload.substring(slash + 1))
                };
            }
        } catch (NumberFormatException e2) {
            // falls through to the blocking answer
        }
        return new int[] {Integer.MAX_VALUE, 0};
    }

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
