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

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.baton.lock.LockException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON bodies of the Consul HTTP API that the backend sends and reads, written and read with Gson's tree model
 * (no reflection, so nothing depends on field names but the ones spelled here). A body that is not what Consul sends
 * becomes a {@link LockException} naming the agent and the request. Threadsafe (stateless).
 */
final class ConsulJson {
    private final String agent;

    ConsulJson(String agent) {
        this.agent = agent;
    }

    /**
     * The body of {@code PUT /v1/session/create}. The checks are written as empty lists: an agent given no {@code
     * Checks} ties the session to its node's {@code serfHealth} check, and a critical check destroys the session at
     * once, long before its TTL (agent/session_endpoint.go, {@code SessionCreate}). Consul 1.7 and later read {@code
     * NodeChecks} and {@code ServiceChecks} and, for compatibility, take an empty {@code Checks} as "no node checks"
     * ({@code fixupEmptySessionChecks}); older agents know only {@code Checks}, whose empty list removes the default
     * there too, and ignore the other two fields.
     */
    static String sessionBody(String name, Duration ttl, Duration lockDelay) {
        JsonObject body = new JsonObject();
        body.addProperty("Name", name);
        body.addProperty("TTL", ttl.toMillis() + "ms");
        body.addProperty("Behavior", "delete");
        // A number below 1000 is read as seconds (agent/session_endpoint.go, FixupLockDelay).
        body.addProperty("LockDelay", lockDelay.toSeconds());
        body.add("Checks", new JsonArray());
        body.add("NodeChecks", new JsonArray());
        body.add("ServiceChecks", new JsonArray());
        return body.toString();
    }

    /** The {@code ID} of a created session. */
    String sessionId(String body) {
        JsonElement id = object(body, "create a session").get("ID");
        if (id == null || !id.isJsonPrimitive()) {
            throw new LockException(null, "Consul at " + agent + " created a session but sent no ID: " + body, null);
        }
        return id.getAsString();
    }

    /** The sessions of a {@code /v1/session/list} answer. */
    List<SessionInfo> sessions(String body) {
        List<SessionInfo> out = new ArrayList<>();
        for (JsonElement e : array(body, "list sessions")) {
            JsonObject o = e.getAsJsonObject();
            out.add(new SessionInfo(string(o, "ID"), string(o, "Name")));
        }
        return out;
    }

    /** The entries of a {@code /v1/kv} answer. */
    List<KvEntry> entries(String body, String what) {
        List<KvEntry> out = new ArrayList<>();
        for (JsonElement e : array(body, what)) {
            out.add(entry(e.getAsJsonObject()));
        }
        return out;
    }

    /** The body of {@code PUT /v1/txn}: one {@code KV} operation per element. */
    static String txnBody(List<TxnOp> ops) {
        JsonArray body = new JsonArray();
        for (TxnOp op : ops) {
            JsonObject kv = new JsonObject();
            kv.addProperty("Verb", op.verb().wireName());
            kv.addProperty("Key", op.key());
            if (op.value() != null) {
                kv.addProperty("Value", Base64.getEncoder().encodeToString(op.value()));
            }
            if (op.flags() != 0) {
                kv.addProperty("Flags", op.flags());
            }
            if (op.index() != 0) {
                kv.addProperty("Index", op.index());
            }
            if (op.session() != null) {
                kv.addProperty("Session", op.session());
            }
            JsonObject wrapper = new JsonObject();
            wrapper.add("KV", kv);
            body.add(wrapper);
        }
        return body.toString();
    }

    /** The answer to {@code PUT /v1/txn}: 200 with {@code Results}, or 409 with {@code Errors}. */
    TxnResult txnResult(String body, boolean committed, boolean resent, String what) {
        JsonObject answer = object(body, what);
        List<KvEntry> results = new ArrayList<>();
        JsonElement rs = answer.get("Results");
        if (rs != null && rs.isJsonArray()) {
            for (JsonElement r : rs.getAsJsonArray()) {
                JsonElement kv = r.getAsJsonObject().get("KV");
                if (kv != null && kv.isJsonObject()) {
                    results.add(entry(kv.getAsJsonObject()));
                }
            }
        }
        List<TxnResult.TxnError> errors = new ArrayList<>();
        JsonElement es = answer.get("Errors");
        if (es != null && es.isJsonArray()) {
            for (JsonElement e : es.getAsJsonArray()) {
                JsonObject o = e.getAsJsonObject();
                errors.add(new TxnResult.TxnError((int) longOf(o, "OpIndex"), string(o, "What")));
            }
        }
        return new TxnResult(committed, results, errors, resent);
    }

    private static KvEntry entry(JsonObject o) {
        String value = string(o, "Value");
        String session = string(o, "Session");
        return new KvEntry(
                string(o, "Key"),
                value == null ? new byte[0] : Base64.getDecoder().decode(value),
                longOf(o, "Flags"),
                longOf(o, "CreateIndex"),
                longOf(o, "ModifyIndex"),
                longOf(o, "LockIndex"),
                session == null || session.isEmpty() ? null : session);
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static long longOf(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? 0 : e.getAsLong();
    }

    private JsonArray array(String body, String what) {
        JsonElement e = parse(body, what);
        if (e.isJsonNull()) {
            return new JsonArray();
        }
        if (!e.isJsonArray()) {
            throw new LockException(
                    null, "Consul at " + agent + " sent an answer to " + what + " that is not a JSON array", null);
        }
        return e.getAsJsonArray();
    }

    private JsonObject object(String body, String what) {
        JsonElement e = parse(body, what);
        if (!e.isJsonObject()) {
            throw new LockException(
                    null, "Consul at " + agent + " sent an answer to " + what + " that is not a JSON object", null);
        }
        return e.getAsJsonObject();
    }

    private JsonElement parse(String body, String what) {
        try {
            return JsonParser.parseString(body);
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new LockException(
                    null, "Consul at " + agent + " sent an answer to " + what + " that is not JSON: " + e, e);
        }
    }
}
