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

import dev.baton.lock.spi.Listing;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The listings this backend answered lately, by prefix and revision: a watch starts from one of them, since Consul keeps
 * no history to replay from an index (the SPI asks a watch to start at a revision of a listing). Keeps the {@value
 * #KEPT} used last. Threadsafe.
 */
final class WatchBaselines {
    /** How many listings are kept. */
    static final int KEPT = 256;

    private final Map<String, Listing> listings = lru();

    /** Keeps a listing of {@code prefix}. */
    void remember(String prefix, Listing listing) {
        synchronized (listings) {
            listings.put(prefix + "@" + listing.revision(), listing);
        }
    }

    /** The listing at {@code revision} of the key or prefix, or of a prefix that covers it; null if none is kept. */
    Listing covering(String keyOrPrefix, long revision) {
        synchronized (listings) {
            for (Map.Entry<String, Listing> e : listings.entrySet()) {
                String k = e.getKey();
                String p = k.substring(0, k.lastIndexOf('@'));
                if (e.getValue().revision() == revision && (keyOrPrefix.equals(p) || keyOrPrefix.startsWith(p + "/"))) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    /** A map that keeps the {@link #KEPT} entries used last. Not threadsafe. */
    static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > KEPT;
            }
        };
    }
}
