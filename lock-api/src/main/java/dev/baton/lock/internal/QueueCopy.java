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
import dev.baton.lock.spi.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A waiter's copy of its queue, kept current from the events of a watch on the queue's prefix that started at the
 * listing's revision ({@link QueueAttempt}): with every event applied in order, it is the queue as of that event.
 *
 * <p>Not threadsafe: the owner synchronises (a watch delivers its events one at a time, but on a client's thread).
 */
final class QueueCopy {
    private final List<Entry> entries;

    QueueCopy(List<Entry> listing) {
        this.entries = new ArrayList<>(listing);
    }

    /** The entries, in creation order. */
    List<Entry> entries() {
        return entries;
    }

    /**
     * Applies an event: a deletion removes the key; a put replaces it (a change keeps its creation sequence, a key
     * created again gets a greater one) in creation order. Returns false for a put without its entry, which the copy
     * cannot apply: the owner must list again.
     */
    boolean apply(WatchEvent event) {
        entries.removeIf(e -> e.key().equals(event.key()));
        if (event.type() != WatchEvent.Type.PUT) {
            return true;
        }
        if (event.entry().isEmpty()) {
            return false;
        }
        Entry put = event.entry().get();
        int at = entries.size();
        while (at > 0 && entries.get(at - 1).createSequence() > put.createSequence()) {
            at--;
        }
        entries.add(at, put);
        return true;
    }

    /** The position of the entry of {@code key} in {@code entries}, or -1 if it is not there. */
    static int indexOf(List<Entry> entries, String key) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether an entry that {@code passed} does not accept is queued behind the one at {@code index}. */
    static boolean hasEntryBehind(List<Entry> entries, int index, Predicate<Entry> passed) {
        for (int i = index + 1; i < entries.size(); i++) {
            if (!passed.test(entries.get(i))) {
                return true;
            }
        }
        return false;
    }
}
