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

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.baton.lock.LeaderInfo;
import dev.baton.lock.LeaderObserver;
import dev.baton.lock.Participant;
import dev.baton.lock.Subscription;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Feeds a {@link LeaderObserver}: watches the election's prefix from the revision of its last listing and, on any
 * change, re-reads the leader and reports it if it differs. Refreshes are serialised and coalesced; a lost watch is
 * re-established from a fresh listing, so no change of leader is missed, only intermediate states may be skipped.
 */
final class LeaderWatch implements Subscription {
    private final Services services;
    private final String prefix;
    private final LeaderObserver observer;
    private final CoalescingRunner refreshes;
    private final Backoff backoff;
    private final Object lock = new Object();

    @GuardedBy("lock")
    private Optional<LeaderInfo> last;

    @GuardedBy("lock")
    private Watch watch;

    @GuardedBy("lock")
    private boolean closed;

    LeaderWatch(Services services, String prefix, LeaderObserver observer) {
        this.services = services;
        this.prefix = prefix;
        this.observer = observer;
        this.refreshes = new CoalescingRunner(services.blocking(), this::refresh);
        this.backoff = new Backoff(services.keeper().retryCap());
    }

    /** Reads the current leader on the calling thread (failing if the server cannot be reached), then watches. */
    void start() {
        Listing listing = services.backend().list(prefix);
        publishAndWatch(listing);
    }

    static Optional<LeaderInfo> leaderOf(Listing listing) {
        if (listing.entries().isEmpty()) {
            return Optional.empty();
        }
        var first = listing.entries().get(0);
        EntryValue v = EntryValue.decode(first.value());
        return Optional.of(new LeaderInfo(v.owner(), first.createSequence(), v.payload()));
    }

    /** The candidates of a listing of an election's prefix, in queue order: the first leads. */
    static List<Participant> participantsOf(Listing listing) {
        List<Participant> out = new ArrayList<>(listing.entries().size());
        for (Entry e : listing.entries()) {
            out.add(new Participant(EntryValue.decode(e.value()).owner(), out.isEmpty()));
        }
        return List.copyOf(out);
    }

    private void publishAndWatch(Listing listing) {
        Optional<LeaderInfo> now = leaderOf(listing);
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (!now.equals(last)) {
                last = now;
                services.callbacks().execute(() -> {
                    if (!isClosed()) {
                        observer.onLeaderChanged(now);
                    }
                });
            }
            if (watch != null) {
                watch.close();
                watch = null;
            }
        }
        Watch w = services.backend().watch(prefix, true, listing.revision(), new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                request();
            }

            @Override
            public void onReset(String why) {
                request();
            }
        });
        synchronized (lock) {
            if (!closed && watch == null) {
                watch = w;
                backoff.reset();
                return;
            }
        }
        w.close();
    }

    private void request() {
        refreshes.request();
    }

    private void refresh() {
        if (isClosed()) {
            return;
        }
        try {
            publishAndWatch(services.backend().list(prefix));
        } catch (RuntimeException e) {
            Duration delay;
            synchronized (lock) {
                delay = backoff.next();
            }
            services.log().debug("observing {}: refresh failed ({}), retrying in {}", prefix, e.toString(), delay);
            services.time().schedule(delay, this::request);
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (watch != null) {
                watch.close();
                watch = null;
            }
        }
    }
}
