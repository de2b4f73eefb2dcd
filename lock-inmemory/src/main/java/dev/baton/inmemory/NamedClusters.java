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
package dev.baton.inmemory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JVM-wide clusters that {@link InMemoryBackend#builder()} connects to by name. A named cluster is created by the
 * first client of its name and closed when its last client closes, so that it stops its timer thread and nothing of
 * it outlives the code that used it; a later client of the name starts a new, empty one.
 *
 * <p>Threadsafe: one lock guards the registry; a cluster is closed outside it.
 */
final class NamedClusters {
    private static final Object LOCK = new Object();
    // Guarded by LOCK.
    private static final Map<String, Shared> CLUSTERS = new HashMap<>();

    private NamedClusters() {}

    /** Returns a new client of the cluster named {@code name}, creating the cluster if it has no open client. */
    static InMemoryBackend connect(String name) {
        synchronized (LOCK) {
            Shared shared = CLUSTERS.get(name);
            // A cluster closed through InMemoryBackend.cluster().close() is replaced, not handed out closed.
            if (shared == null || shared.cluster.isClosed()) {
                shared = new Shared(name, new InMemoryCluster("in-memory cluster '" + name + "'@"));
                CLUSTERS.put(name, shared);
            }
            AtomicBoolean released = new AtomicBoolean();
            Shared client = shared;
            InMemoryBackend backend = shared.cluster.connect(() -> {
                if (released.compareAndSet(false, true)) {
                    release(client);
                }
            });
            shared.clients++;
            return backend;
        }
    }

    private static void release(Shared shared) {
        synchronized (LOCK) {
            if (--shared.clients > 0) {
                return;
            }
            CLUSTERS.remove(shared.name, shared);
        }
        // Outside the lock: closing resets watches, whose listeners must not run under the registry's lock.
        shared.cluster.close();
    }

    /** One named cluster and its number of open clients (guarded by LOCK). */
    private static final class Shared {
        final String name;
        final InMemoryCluster cluster;
        int clients;

        Shared(String name, InMemoryCluster cluster) {
            this.name = name;
            this.cluster = cluster;
        }
    }
}
