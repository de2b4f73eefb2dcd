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
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.util.List;

/** The watches a waiter of a {@link QueueAttempt} keeps on the queue ahead of its entry. Stateless. */
final class QueueWatches {
    /** Told what a watch saw; may be called from the backend's event thread. */
    @FunctionalInterface
    interface Waker {
        /**
         * Wakes the waiter: {@code headGone} when the entries that kept it waiting are gone, so that it holds,
         * {@code behind} when an entry may then be queued behind it.
         */
        void wake(boolean headGone, boolean behind);
    }

    private QueueWatches() {}

    /** Watches the one entry ahead that {@link QueuePolicy#watched} names. */
    static Watch ahead(
            Services services, QueuePolicy policy, List<Entry> entries, int index, long revision, Waker wake) {
        Entry watched = entries.get(policy.watched(entries, index, services::isAbandoned));
        String predecessor = watched.key();
        long predecessorSequence = watched.createSequence();
        // Whether the own entry holds once the watched one is gone: then its deletion alone settles the wait.
        boolean holdsWhenGone = policy.holds(
                entries, index, e -> services.isAbandoned(e) || e.key().equals(predecessor));
        // Entries created after the listing are unknown here: a hold that is announced assumes one may be behind.
        boolean behind = policy.announcesHold();
        return services.backend().watch(predecessor, false, revision, new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                if (!event.key().equals(predecessor)) {
                    return;
                }
                if (event.type() == WatchEvent.Type.DELETE) {
                    wake.wake(holdsWhenGone, behind);
                } else if (event.entry()
                        .map(e -> e.createSequence() != predecessorSequence || !policy.stillBlocks(e))
                        .orElse(true)) {
                    // The key was created again (a lock re-creates a freed key): the entry this waiter queued
                    // behind is gone, even if a backend reported only the new one. Or it was changed so that it
                    // no longer blocks this waiter (a write hold downgraded to a read hold). Look again.
                    wake.wake(false, false);
                }
            }

            @Override
            public void onReset(String why) {
                wake.wake(false, false);
            }
        });
    }

    /**
     * Watches the whole queue, for a waiter that the release of any of several entries ahead may let in (a semaphore's
     * first waiter), keeping a {@link QueueCopy} of the listing current from the events. Once the copy says the own
     * entry holds, the check takes it without a request, as after a deleted predecessor (see {@link QueueAttempt}).
     */
    static Watch queue(
            Services services,
            QueuePolicy policy,
            String prefix,
            String key,
            List<Entry> entries,
            long revision,
            Waker wake) {
        QueueCopy copy = new QueueCopy(entries);
        return services.backend().watch(prefix, true, revision, new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                boolean behind;
                synchronized (copy) {
                    int index = copy.apply(event) ? QueueCopy.indexOf(copy.entries(), key) : -1;
                    if (index < 0) {
                        wake.wake(false, false);
                        return;
                    }
                    if (!policy.holds(copy.entries(), index, services::isAbandoned)) {
                        return;
                    }
                    behind = QueueCopy.hasEntryBehind(copy.entries(), index, services::isAbandoned);
                }
                wake.wake(true, behind);
            }

            @Override
            public void onReset(String why) {
                wake.wake(false, false);
            }
        });
    }
}
