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

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code PUT /v1/txn} with the KV verbs the backend sends, as Consul's Txn.Apply: at most 128 operations; an ACL
 * pre-check of every operation first; then all operations on a draft of the store at one index, applied together only
 * if none failed. A failed transaction answers 409 with one error per failed operation and applies nothing.
 * Threadsafe: a transaction runs under the emulator's monitor.
 */
final class Transactions {
    private final Object monitor;
    private final KvStore store;
    private final SessionTable sessions;

    /**
     * What a transaction answers: applied (200, {@code Results}) or not (409, {@code Errors}), and the JSON body.
     *
     * @param applied whether it was applied (or only read)
     * @param json the body
     */
    record Outcome(boolean applied, String json) {}

    Transactions(Object monitor, KvStore store, SessionTable sessions) {
        this.monitor = monitor;
        this.store = store;
        this.sessions = sessions;
    }

    /** Runs a transaction for a caller; throws {@link BadRequest} for one the emulator refuses whole. */
    Outcome apply(byte[] body, Acls.Caller caller) {
        JsonArray ops =
                JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonArray();
        if (ops.size() > 128) {
            throw new BadRequest(413, "Transaction contains too many operations (" + ops.size() + " > 128)");
        }
        JsonArray denials = Acls.txnPreCheck(ops, caller);
        if (denials.size() > 0) {
            return failed(denials);
        }
        JsonArray results = new JsonArray();
        JsonArray errors = new JsonArray();
        synchronized (monitor) {
            TreeMap<String, Kv> draft = store.copyEntries();
            TreeMap<String, Long> draftTombs = new TreeMap<>(store.tombstones());
            long idx = store.nextIndex();
            List<String> changed = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                JsonObject kv = ops.get(i).getAsJsonObject().getAsJsonObject("KV");
                if (kv == null) {
                    throw new BadRequest(400, "the emulator supports only KV operations in a transaction");
                }
                String verb = kv.get("Verb").getAsString();
                String key = kv.get("Key").getAsString();
                byte[] value = kv.has("Value") && !kv.get("Value").isJsonNull()
                        ? Base64.getDecoder().decode(kv.get("Value").getAsString())
                        : new byte[0];
                long flags = kv.has("Flags") ? kv.get("Flags").getAsLong() : 0;
                long opIndex = kv.has("Index") ? kv.get("Index").getAsLong() : 0;
                String session = kv.has("Session") ? kv.get("Session").getAsString() : null;
                Kv entry = new Kv(key, value, flags);
                String error = null;
                Kv result = null;
                switch (verb) {
                    case "set" -> {
                        result = KvStore.set(idx, entry, draft);
                        changed.add(key);
                    }
                    case "cas" -> {
                        if (KvStore.setCas(idx, entry, opIndex, draft)) {
                            result = draft.get(key);
                            changed.add(key);
                        } else {
                            error = "failed to set key \"" + key + "\", index is stale";
                        }
                    }
                    case "lock" -> {
                        if (store.lockDelayed(key)) {
                            error = "failed to lock key \"" + key + "\" due to lock delay";
                        } else if (!sessions.live(session)) {
                            error = "invalid session \"" + session + "\"";
                        } else if (KvStore.lock(idx, entry, session, draft)) {
                            result = draft.get(key);
                            changed.add(key);
                        } else {
                            error = "failed to lock key \"" + key + "\", lock is already held";
                        }
                    }
                    case "unlock" -> {
                        if (KvStore.unlock(idx, entry, session, draft)) {
                            result = draft.get(key);
                            changed.add(key);
                        } else {
                            error = "failed to unlock key \"" + key
                                    + "\", lock isn't held, or is held by another session";
                        }
                    }
                    case "get" -> {
                        result = draft.get(key);
                        if (result == null) {
                            error = "key \"" + key + "\" doesn't exist";
                        }
                    }
                    case "check-index" -> {
                        Kv e = draft.get(key);
                        if (e == null) {
                            error = "failed to check index, key \"" + key + "\" doesn't exist";
                        } else if (e.modifyIndex != opIndex) {
                            error = "failed index check for key \"" + key + "\", current modify index " + e.modifyIndex
                                    + " != " + opIndex;
                        } else {
                            result = e;
                        }
                    }
                    case "check-session" -> {
                        Kv e = draft.get(key);
                        if (e == null || session == null || !session.equals(e.session)) {
                            error = "failed session check for key \"" + key + "\"";
                        } else {
                            result = e;
                        }
                    }
                    case "check-not-exists" -> {
                        if (draft.containsKey(key)) {
                            error = "key \"" + key + "\" exists";
                        }
                    }
                    case "delete" -> {
                        if (draft.containsKey(key)) {
                            KvStore.delete(idx, key, draft, draftTombs);
                            changed.add(key);
                        }
                    }
                    case "delete-cas" -> {
                        Kv e = draft.get(key);
                        if (e != null && e.modifyIndex != opIndex) {
                            error = "failed to delete key \"" + key + "\", index is stale";
                        } else if (e != null) {
                            KvStore.delete(idx, key, draft, draftTombs);
                            changed.add(key);
                        }
                    }
                    default -> throw new BadRequest(400, "unknown KV verb \"" + verb + "\"");
                }
                if (error != null) {
                    JsonObject err = new JsonObject();
                    err.addProperty("OpIndex", i);
                    err.addProperty("What", error);
                    errors.add(err);
                } else if (result != null) {
                    JsonObject r = new JsonObject();
                    r.add("KV", result.json(verb.equals("get")));
                    results.add(r);
                }
            }
            if (errors.size() > 0) {
                return failed(errors);
            }
            if (!changed.isEmpty()) {
                store.replace(draft, draftTombs);
                store.commit(idx, changed);
            }
        }
        JsonObject answer = new JsonObject();
        answer.add("Results", results);
        answer.add("Errors", null);
        return new Outcome(true, answer.toString());
    }

    /** A transaction that failed: no results, its errors (agent/txn_endpoint.go). */
    private static Outcome failed(JsonArray errors) {
        JsonObject answer = new JsonObject();
        answer.add("Results", null);
        answer.add("Errors", errors);
        return new Outcome(false, answer.toString());
    }
}
