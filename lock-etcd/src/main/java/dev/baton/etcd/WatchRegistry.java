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
package dev.baton.etcd;

import dev.baton.etcd.internal.EtcdCalls;
import dev.baton.etcd.internal.EtcdKeys;
import dev.baton.etcd.internal.ResumableWatch;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchListener;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The backend's open watches: opens each as a {@link ResumableWatch} (with the scheduler that resumes broken streams)
 * and stops them all when the backend closes.
 *
 * <p>Threadsafe.
 */
final class WatchRegistry {
    private final Client client;
    private final EtcdKeys keys;
    private final EtcdCalls calls;
    private final Duration requestTimeout;
    private final Duration attemptTimeout;
    private final ScheduledExecutorService scheduler;
    private final Set<ResumableWatch> watches = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    WatchRegistry(Client client, EtcdKeys keys, EtcdCalls calls, Duration requestTimeout, Duration attemptTimeout) {
        this.client = client;
        this.keys = keys;
        this.calls = calls;
        this.requestTimeout = requestTimeout;
        this.attemptTimeout = attemptTimeout;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "baton-etcd-watch-resume");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens a watch from {@code afterRevision + 1}; a watch opened while closing is stopped at once. */
    Watch open(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        ResumableWatch watch = new ResumableWatch(
                client.getWatchClient(),
                client.getKVClient(),
                keys,
                keyOrPrefix,
                prefix,
                afterRevision,
                listener,
                scheduler,
                requestTimeout,
                attemptTimeout);
        watches.add(watch);
        try {
            watch.start();
        } catch (RuntimeException e) {
            watches.remove(watch);
            watch.stop();
            throw calls.translate(e, "a watch of " + keyOrPrefix);
        }
        if (closed) {
            watch.stop();
        }
        return new Opened(watch);
    }

    /** The handle {@link #open} returns: closing it stops the watch and forgets it. */
    final class Opened implements Watch {
        private final ResumableWatch watch;

        private Opened(ResumableWatch watch) {
            this.watch = watch;
        }

        /** For tests: whether the watch's first stream started and nothing was missed before it. */
        boolean startChecked() {
            return watch.startChecked();
        }

        @Override
        public void close() {
            watches.remove(watch);
            watch.close();
        }
    }

    /** Stops every watch and the scheduler. Idempotent. */
    void close() {
        closed = true;
        for (ResumableWatch watch : watches) {
            watch.stop();
        }
        watches.clear();
        scheduler.shutdownNow();
    }
}
