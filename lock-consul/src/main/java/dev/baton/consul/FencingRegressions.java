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
package dev.baton.consul;

import dev.baton.lock.spi.Entry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects fencing tokens going backwards: a listing whose first entry (the queue's head: the holder, whose creation
 * sequence is its fencing token) has a lower creation sequence than a head this backend listed under the same prefix
 * before. That happens only when Consul's state went back: a snapshot restore brings keys back with their old {@code
 * CreateIndex}, so a waiter whose key was restored can hold the lock with a token lower than one already handed out.
 * Each one is counted and logged as an error. Threadsafe.
 */
final class FencingRegressions {
    private static final Logger LOG = LoggerFactory.getLogger(FencingRegressions.class);

    private final String keyPrefix;
    /** Per listed prefix, the highest creation sequence seen at the head of a listing. */
    private final Map<String, HeadSeen> highestHead = WatchBaselines.lru();
    /** How many listings have been answered; orders a listing's sending against other listings' answers. */
    private final AtomicLong listingsAnswered = new AtomicLong();

    private final AtomicLong regressions = new AtomicLong();

    FencingRegressions(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    /** The highest head seen under a prefix, and the listing answer (a count of them) that first showed it. */
    private record HeadSeen(long createSequence, long answer) {}

    /** To be read just before a listing is sent, and handed to {@link #check} with its answer. */
    long beforeSending() {
        return listingsAnswered.get();
    }

    /** How many regressions were seen. */
    long count() {
        return regressions.get();
    }

    /**
     * Notes the head of a listing and reports a regression. Two listings in flight at once may be answered by Consul
     * in one order and processed here in the other, so a lower head counts only when this listing was sent after the
     * higher head's listing had been answered: then Consul itself answered with older state.
     */
    void check(String prefix, List<Entry> sorted, long answeredBeforeSending) {
        long answer = listingsAnswered.incrementAndGet();
        if (sorted.isEmpty()) {
            return;
        }
        Entry head = sorted.get(0);
        long before;
        synchronized (highestHead) {
            HeadSeen seen = highestHead.get(prefix);
            if (seen == null || head.createSequence() > seen.createSequence()) {
                highestHead.put(prefix, new HeadSeen(head.createSequence(), answer));
                return;
            }
            if (seen.answer() > answeredBeforeSending) {
                return; // the higher head was answered while this listing was in flight: no order between them
            }
            before = seen.createSequence();
        }
        if (head.createSequence() < before) {
            regressions.incrementAndGet();
            LOG.error(
                    "fencing tokens under {}/{} went backwards: the first entry, {}, has creation sequence {}, lower"
                            + " than {} seen first there before; Consul's state went back (a snapshot restore brings"
                            + " keys back with their old CreateIndex). A store that checks fencing tokens will refuse"
                            + " the holder's writes; release and acquire the lock again to get a new token",
                    keyPrefix,
                    prefix,
                    head.key(),
                    head.createSequence(),
                    before);
        }
    }
}
