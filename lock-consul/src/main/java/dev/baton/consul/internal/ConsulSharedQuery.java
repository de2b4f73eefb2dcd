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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chain of blocking queries ({@code ?index=&wait=}) on one Consul key or prefix, shared by every {@link ConsulWatch}
 * of a backend that watches it, so that N watches on one prefix hold one connection, not N. Each answer is a full
 * snapshot of the key or prefix; every subscriber turns it into its own events from its own state, so sharing changes
 * no watch's events or resets. The query starts with its first subscriber and stops (its request cancelled) when the
 * last one leaves; it then takes no more subscribers, and the owner starts a new one.
 *
 * <p>A subscriber that joins while the query runs gets the query's last answer at once if that answer is newer than
 * the subscriber's baseline, and otherwise the next one. An answer to a request sent before a subscriber joined may be
 * older than that subscriber's baseline; the subscriber skips it (see {@link ConsulWatch#answered}), and the query,
 * whose next request then blocks on an index below Consul's current one, answers at once.
 *
 * <p>Threadsafe: answers are handed to the subscribers under the query's lock, one answer at a time, in the order
 * they arrive; subscribers only compute their events there and call their listeners on their own delivery tasks, so
 * a listener that blocks or throws holds up neither the query nor the other subscribers.
 */
public final class ConsulSharedQuery {
    private static final Logger LOG = LoggerFactory.getLogger(ConsulSharedQuery.class);

    private final ConsulHttp http;
    private final String consulPath;
    private final boolean recurse;
    private final Duration wait;
    private final Consumer<ConsulSharedQuery> onIdle;
    private final List<ConsulWatch> subscribers = new ArrayList<>();
    private KvRead last;
    private long blockIndex;
    /** The number of requests sent; written under the query's lock, read by watches without it (see {@link #sent()}). */
    private final AtomicLong sent = new AtomicLong();

    private boolean started;
    private boolean ended;
    private int failures;
    private CompletableFuture<KvRead> inFlight;

    /**
     * Creates a query; it sends nothing until its first subscriber.
     *
     * @param http the client
     * @param consulPath the Consul key, or prefix ending in {@code /}
     * @param recurse whether {@code consulPath} is a prefix
     * @param wait the wait of each blocking query
     * @param onIdle called once, when the last subscriber left and the query stopped
     */
    public ConsulSharedQuery(
            ConsulHttp http, String consulPath, boolean recurse, Duration wait, Consumer<ConsulSharedQuery> onIdle) {
        this.http = http;
        this.consulPath = consulPath;
        this.recurse = recurse;
        this.wait = wait;
        this.onIdle = onIdle;
    }

    /**
     * Adds a subscriber whose baseline was read at {@code afterRevision}, and starts the query if it is the first.
     *
     * @param watch the subscriber
     * @param afterRevision the index of the subscriber's baseline
     * @return false if the query has stopped (the caller starts a new one)
     */
    public boolean subscribe(ConsulWatch watch, long afterRevision) {
        synchronized (this) {
            if (ended) {
                return false;
            }
            subscribers.add(watch);
            watch.joined(sent.get());
            if (last != null && last.index() > afterRevision) {
                watch.answered(last, sent.get());
            }
            if (started) {
                return true;
            }
            started = true;
            blockIndex = afterRevision;
        }
        poll();
        return true;
    }

    /**
     * Removes a subscriber; the last one to leave stops the query.
     *
     * @param watch the subscriber
     */
    public void unsubscribe(ConsulWatch watch) {
        synchronized (this) {
            if (!subscribers.remove(watch) || !subscribers.isEmpty()) {
                return;
            }
        }
        stop();
    }

    /** Stops the query (its request cancelled) whatever its subscribers, as when its backend closes. Idempotent. */
    public void stop() {
        CompletableFuture<KvRead> f;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            subscribers.clear();
            f = inFlight;
            inFlight = null;
        }
        if (f != null) {
            f.cancel(true);
        }
        onIdle.accept(this);
    }

    /**
     * The number of subscribers, for tests and diagnostics.
     *
     * @return the number of subscribers
     */
    public synchronized int subscribers() {
        return subscribers.size();
    }

    /**
     * The number of requests sent so far: every answer the query hands on later with a higher request number belongs
     * to a request sent after this call. Reads no lock, so that a watch may call it under its own lock (the query calls
     * its watches under the query's lock).
     *
     * @return the number of the last request sent (0 before the first)
     */
    long sent() {
        return sent.get();
    }

    private void poll() {
        long index;
        long seq;
        synchronized (this) {
            if (ended) {
                return;
            }
            index = blockIndex;
            seq = sent.incrementAndGet();
        }
        CompletableFuture<KvRead> f;
        try {
            f = http.watch(consulPath, recurse, index, wait);
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
                answered(read, seq);
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
        LOG.debug(
                "blocking query on {} failed ({}); resuming from index {} in {}",
                consulPath,
                failure,
                blockIndex,
                delay);
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)
                .execute(this::poll);
    }

    private void answered(KvRead read, long seq) {
        synchronized (this) {
            if (ended) {
                return;
            }
            inFlight = null;
            failures = 0;
            last = read;
            for (ConsulWatch w : List.copyOf(subscribers)) {
                w.answered(read, seq);
            }
            if (ended) {
                return;
            }
            // Consul: an index that goes backwards means the query must start over from 0 (an answer at once).
            blockIndex = read.index() < blockIndex ? 0 : read.index();
        }
        poll();
    }
}
