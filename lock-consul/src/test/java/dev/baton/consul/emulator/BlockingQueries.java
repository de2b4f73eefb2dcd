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

import static dev.baton.consul.emulator.HttpAnswers.parseDuration;
import static dev.baton.consul.emulator.HttpAnswers.respondJson;

import com.google.gson.JsonArray;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/kv/:key[?recurse]}, blocking when it has an {@code index} (as Consul's blockingQuery): it answers
 * once the key's or prefix's index is past {@code index}, or at the end of {@code wait} (default 5 min, at most 10,
 * plus up to wait/16 of jitter) with the index it has then, or at once when the state store is replaced by a
 * restore; a prefix query woken by a change that leaves the index where it was goes on waiting. With {@link
 * #spuriousWakeups} it answers within about 100 ms with nothing changed. Counts the blocking queries held.
 *
 * <p>Threadsafe: reads the {@link KvStore} under the emulator's monitor and waits on it.
 */
final class BlockingQueries {
    private static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private final Object monitor;
    private final KvStore store;
    private final AtomicInteger blockingNow = new AtomicInteger();
    private final AtomicInteger mostBlocking = new AtomicInteger();
    private volatile boolean spuriousWakeups;

    BlockingQueries(Object monitor, KvStore store) {
        this.monitor = monitor;
        this.store = store;
    }

    void spuriousWakeups(boolean on) {
        spuriousWakeups = on;
    }

    /** The most blocking queries held at once since the start. */
    int most() {
        return mostBlocking.get();
    }

    /** The blocking queries held now. */
    int now() {
        return blockingNow.get();
    }

    /** Answers {@code GET /v1/kv/:key}. */
    void get(HttpExchange ex, String key, Map<String, String> q) throws IOException, InterruptedException {
        long minIndex = q.containsKey("index") ? Long.parseLong(q.get("index")) : 0;
        if (minIndex == 0) {
            read(ex, key, q, 0);
            return;
        }
        mostBlocking.accumulateAndGet(blockingNow.incrementAndGet(), Math::max);
        try {
            read(ex, key, q, minIndex);
        } finally {
            blockingNow.decrementAndGet();
        }
    }

    private void read(HttpExchange ex, String key, Map<String, String> q, long minIndex)
            throws IOException, InterruptedException {
        boolean recurse = q.containsKey("recurse");
        Duration wait = q.containsKey("wait") ? parseDuration(q.get("wait")) : DEFAULT_WAIT;
        if (wait.compareTo(MAX_WAIT) > 0) {
            wait = MAX_WAIT;
        }
        // Consul adds a random jitter of up to wait/16.
        long jitter = wait.toNanos() / 16 > 0 ? ThreadLocalRandom.current().nextLong(wait.toNanos() / 16) : 0;
        long deadline = System.nanoTime() + wait.toNanos() + jitter;
        long at;
        List<Kv> found;
        synchronized (monitor) {
            while (true) {
                found = recurse ? store.list(key) : store.single(key);
                at = recurse ? store.prefixIndex(key, found) : store.singleIndex(found);
                if (minIndex == 0 || at > minIndex) {
                    break;
                }
                // Sleep until what the query reads changes (as Consul's memdb watch set fires), or the wait ends.
                long touchedBefore = store.lastTouch(key, recurse);
                long abandonedBefore = store.abandoned();
                if (spuriousWakeups) {
                    deadline = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
                }
                long remaining = deadline - System.nanoTime();
                while (remaining > 0
                        && store.lastTouch(key, recurse) == touchedBefore
                        && store.abandoned() == abandonedBefore) {
                    TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
                    remaining = deadline - System.nanoTime();
                }
                if (remaining <= 0 || store.abandoned() != abandonedBefore) {
                    found = recurse ? store.list(key) : store.single(key);
                    at = recurse ? store.prefixIndex(key, found) : store.singleIndex(found);
                    break;
                }
            }
        }
        if (found.isEmpty()) {
            respondJson(ex, 404, "", at);
            return;
        }
        JsonArray out = new JsonArray();
        found.forEach(kv -> out.add(kv.json(true)));
        respondJson(ex, 200, out.toString(), at);
    }
}
