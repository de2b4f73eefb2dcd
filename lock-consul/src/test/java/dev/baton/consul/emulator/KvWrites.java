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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT} and {@code DELETE} on {@code /v1/kv/:key}, as Consul's KVS endpoint: {@code ?cas}, {@code ?acquire},
 * {@code ?release} and {@code ?flags} on a write; {@code ?cas} and {@code ?recurse} on a delete. Each answers
 * Consul's boolean. Threadsafe: each write runs under the emulator's monitor.
 */
final class KvWrites {
    private final Object monitor;
    private final KvStore store;
    private final SessionTable sessions;

    KvWrites(Object monitor, KvStore store, SessionTable sessions) {
        this.monitor = monitor;
        this.store = store;
        this.sessions = sessions;
    }

    /** {@code PUT /v1/kv/:key}: whether the write was applied. */
    boolean put(String key, Map<String, String> q, byte[] body) {
        synchronized (monitor) {
            Kv entry = new Kv(key, body, q.containsKey("flags") ? Long.parseUnsignedLong(q.get("flags")) : 0);
            // As Consul's PUT handler: ?cas sets the op, then ?acquire, then ?release override it.
            String op = "set";
            long cas = 0;
            String session = null;
            if (q.containsKey("cas")) {
                op = "cas";
                cas = Long.parseLong(q.get("cas"));
            }
            if (q.containsKey("acquire")) {
                op = "lock";
                session = q.get("acquire");
            }
            if (q.containsKey("release")) {
                op = "unlock";
                session = q.get("release");
            }
            long idx = store.nextIndex();
            boolean ok;
            switch (op) {
                case "cas" -> ok = KvStore.setCas(idx, entry, cas, store.entries());
                case "lock" -> {
                    if (store.lockDelayed(key)) {
                        return false;
                    }
                    ok = sessions.live(session) && KvStore.lock(idx, entry, session, store.entries());
                }
                case "unlock" -> ok = KvStore.unlock(idx, entry, session, store.entries());
                default -> {
                    KvStore.set(idx, entry, store.entries());
                    ok = true;
                }
            }
            if (ok) {
                store.commit(idx, List.of(key));
            }
            return ok;
        }
    }

    /** {@code DELETE /v1/kv/:key}: whether the delete was applied (a missing key counts as deleted). */
    boolean delete(String key, Map<String, String> q) {
        synchronized (monitor) {
            long idx = store.nextIndex();
            List<String> changed = new ArrayList<>();
            if (q.containsKey("recurse")) {
                for (String k : store.keys(key)) {
                    KvStore.delete(idx, k, store.entries(), store.tombstones());
                    changed.add(k);
                }
            } else if (q.containsKey("cas")) {
                long cas = Long.parseLong(q.get("cas"));
                if (cas == 0) {
                    return false;
                }
                Kv existing = store.get(key);
                // KVSDeleteCAS: a missing key counts as deleted (true); a stale index does nothing (false).
                if (existing == null) {
                    return true;
                }
                if (existing.modifyIndex != cas) {
                    return false;
                }
                KvStore.delete(idx, key, store.entries(), store.tombstones());
                changed.add(key);
            } else if (store.contains(key)) {
                KvStore.delete(idx, key, store.entries(), store.tombstones());
                changed.add(key);
            }
            if (!changed.isEmpty()) {
                store.commit(idx, changed);
            }
            return true;
        }
    }
}
