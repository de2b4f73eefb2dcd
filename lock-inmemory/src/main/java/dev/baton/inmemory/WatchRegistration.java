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

import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch on the cluster: a queue filled in global revision order by writers holding the cluster lock, and drained
 * after that lock is released by whichever thread gets to it first.
 *
 * <p>Threadsafe. Lock order: the cluster lock may be held when this object's monitor is taken, never the reverse; no
 * lock is held while the listener runs.
 */
final class WatchRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(WatchRegistration.class);

    final String keyOrPrefix;
    final boolean prefix;
    private final long afterRevision;
    private final WatchListener listener;

    // Guarded by this.
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean draining;
    /** No more items are accepted (closed or reset queued). */
    private boolean terminated;
    /** Nothing more is delivered. Read without the monitor by the draining thread between deliveries. */
    private volatile boolean closed;

    WatchRegistration(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        this.keyOrPrefix = keyOrPrefix;
        this.prefix = prefix;
        this.afterRevision = afterRevision;
        this.listener = listener;
    }

    boolean matches(String key) {
        if (!prefix) {
            return key.equals(keyOrPrefix);
        }
        return key.length() > keyOrPrefix.length()
                && key.startsWith(keyOrPrefix)
                && key.charAt(keyOrPrefix.length()) == '/';
    }

    /** Queues an event; called with the cluster lock held, so queues fill in global revision order. */
    synchronized void enqueue(WatchEvent event) {
        if (!terminated && event.revision() > afterRevision) {
            queue.add(event);
        }
    }

    /**
     * Replaces whatever is pending with a reset: the watch delivers the reset and nothing more. Idempotent.
     *
     * @return whether this call queued the reset
     */
    synchronized boolean reset(String why) {
        if (terminated) {
            return false;
        }
        terminated = true;
        queue.clear();
        queue.add(new Reset(why));
        return true;
    }

    /** Stops delivery; an event being delivered may still finish. Idempotent. */
    synchronized void close() {
        terminated = true;
        closed = true;
        queue.clear();
    }

    /**
     * Delivers queued items on the calling thread until the queue is empty, unless another thread (or an outer frame
     * of this one, when a listener writes to the cluster) is already delivering: then that one will deliver what was
     * queued, after the item it is delivering, which keeps the per-watch order.
     */
    void drain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            Object item;
            synchronized (this) {
                item = closed ? null : queue.poll();
                if (item == null) {
                    draining = false;
                    return;
                }
            }
            deliver(item);
        }
    }

    private void deliver(Object item) {
        try {
            if (item instanceof Reset) {
                closed = true;
                listener.onReset(((Reset) item).why);
            } else {
                listener.onEvent((WatchEvent) item);
            }
        } catch (RuntimeException e) {
            LOG.warn("Watch listener on '{}' threw; the watch continues", keyOrPrefix, e);
        }
    }

    private static final class Reset {
        final String why;

        Reset(String why) {
            this.why = why;
        }
    }
}
