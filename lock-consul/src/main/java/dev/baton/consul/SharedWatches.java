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

import dev.baton.consul.internal.ConsulHttp;
import dev.baton.consul.internal.ConsulSharedQuery;
import dev.baton.consul.internal.ConsulWatch;
import dev.baton.consul.internal.KvEntry;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The watches of one backend, over blocking queries they share: one query per queried Consul path, started with its
 * first watch and stopped when its last one leaves. A key is queried through its parent prefix (a waiter watches its
 * predecessor's entry, so the waiters of one lock name share one query and one connection), and each watch reports
 * only its own key, so a release still wakes one waiter, not all. Listeners run on daemon threads of its own.
 * Threadsafe.
 */
final class SharedWatches {
    private static final Duration WATCH_WAIT = Duration.ofSeconds(30);

    private final ConsulHttp http;
    private final Function<KvEntry, Entry> mapper;
    private final Set<ConsulWatch> watches = ConcurrentHashMap.newKeySet();
    /** The blocking queries the watches share, by Consul path. */
    private final Map<String, ConsulSharedQuery> queries = new ConcurrentHashMap<>();

    private final ExecutorService delivery = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "baton-consul-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    SharedWatches(ConsulHttp http, Function<KvEntry, Entry> mapper) {
        this.http = http;
        this.mapper = mapper;
    }

    /**
     * Starts a watch of {@code keyOrPrefix} from a listing at {@code afterRevision}, on the query of {@code path}.
     *
     * @param path the Consul path queried: the prefix (ending with {@code /}) or the key
     * @param recurse whether {@code path} is a prefix
     */
    Watch start(
            String keyOrPrefix,
            boolean prefix,
            String path,
            boolean recurse,
            List<Entry> baseline,
            long afterRevision,
            WatchListener listener) {
        while (true) {
            ConsulSharedQuery query = queries.computeIfAbsent(
                    path, p -> new ConsulSharedQuery(http, p, recurse, WATCH_WAIT, q -> queries.remove(p, q)));
            ConsulWatch[] self = new ConsulWatch[1];
            ConsulWatch w = new ConsulWatch(
                    query, keyOrPrefix, prefix, mapper, listener, delivery, () -> watches.remove(self[0]));
            self[0] = w;
            watches.add(w);
            if (!w.start(baseline, afterRevision)) {
                // The query stopped as its last watch left; start on a new one.
                watches.remove(w);
                queries.remove(path, query);
                continue;
            }
            if (closed) {
                w.close();
            }
            return w;
        }
    }

    /** Whether a watch reports this key. */
    boolean anyMatches(String key) {
        return watches.stream().anyMatch(w -> w.matches(key));
    }

    /** Tells every watch of a change this backend made, with its exact index. */
    void publish(WatchEvent.Type type, String key, Entry entry, long revision) {
        for (ConsulWatch w : watches) {
            w.local(type, key, entry, revision);
        }
    }

    /** Closes every watch and stops every query. Idempotent. */
    void close() {
        closed = true;
        for (ConsulWatch w : List.copyOf(watches)) {
            w.close();
        }
        List.copyOf(queries.values()).forEach(ConsulSharedQuery::stop);
        delivery.shutdown();
    }
}
