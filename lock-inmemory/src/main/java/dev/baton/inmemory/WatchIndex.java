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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster's open watches, by the key or prefix they follow, so that a change reaches exactly the watches on its
 * key and on each of the key's {@code /}-separated prefixes.
 *
 * <p>Not threadsafe: the cluster calls it with its lock held.
 */
final class WatchIndex {
    private final Map<String, Set<WatchRegistration>> keyWatches = new HashMap<>();
    private final Map<String, Set<WatchRegistration>> prefixWatches = new HashMap<>();

    void add(WatchRegistration registration) {
        indexOf(registration)
                .computeIfAbsent(registration.keyOrPrefix, k -> new LinkedHashSet<>())
                .add(registration);
    }

    void remove(WatchRegistration registration) {
        Map<String, Set<WatchRegistration>> index = indexOf(registration);
        Set<WatchRegistration> registrations = index.get(registration.keyOrPrefix);
        if (registrations != null && registrations.remove(registration) && registrations.isEmpty()) {
            index.remove(registration.keyOrPrefix);
        }
    }

    /** Queues {@code event} on every watch it matches and adds those watches to {@code toDrain}. */
    void dispatch(WatchEvent event, Set<WatchRegistration> toDrain) {
        String key = event.key();
        dispatch(keyWatches.get(key), event, toDrain);
        if (prefixWatches.isEmpty()) {
            return; // no prefix to look up: spare the substring per level
        }
        for (int slash = key.indexOf('/'); slash > 0; slash = key.indexOf('/', slash + 1)) {
            dispatch(prefixWatches.get(key.substring(0, slash)), event, toDrain);
        }
    }

    /** Queues a reset on every watch, adds those that took it to {@code toDrain}, and forgets them all. */
    void resetAll(String why, Set<WatchRegistration> toDrain) {
        for (Map<String, Set<WatchRegistration>> index : List.of(keyWatches, prefixWatches)) {
            for (Set<WatchRegistration> registrations : index.values()) {
                for (WatchRegistration registration : registrations) {
                    if (registration.reset(why)) {
                        toDrain.add(registration);
                    }
                }
            }
            index.clear();
        }
    }

    private Map<String, Set<WatchRegistration>> indexOf(WatchRegistration registration) {
        return registration.prefix ? prefixWatches : keyWatches;
    }

    private static void dispatch(
            Set<WatchRegistration> registrations, WatchEvent event, Set<WatchRegistration> toDrain) {
        if (registrations != null) {
            for (WatchRegistration registration : registrations) {
                registration.enqueue(event);
                toDrain.add(registration);
            }
        }
    }
}
