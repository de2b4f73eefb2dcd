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
import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulator's ACL system: tokens with their policies, the anonymous token's policy, and the checks Consul makes
 * with them on the HTTP endpoints and in a transaction's pre-check. Threadsafe (concurrent map, volatile settings).
 */
final class Acls {
    private final Map<String, AclPolicy> tokens = new ConcurrentHashMap<>();
    private volatile AclPolicy anonymous = AclPolicy.denyAll();
    private volatile boolean enabled;

    /** ACLs on with one token that may do everything and an anonymous token that may do nothing, or off with null. */
    void requireToken(String token) {
        tokens.clear();
        anonymous = AclPolicy.denyAll();
        if (token != null) {
            tokens.put(token, AclPolicy.denyAll().key("", Access.WRITE).session(Access.WRITE));
        }
        enabled = token != null;
    }

    /** ACLs on (if they were not), and one more token. */
    void addToken(String token, AclPolicy policy) {
        tokens.put(token, policy);
        enabled = true;
    }

    void anonymousPolicy(AclPolicy policy) {
        anonymous = policy;
    }

    /** Who sent a request, by its token: null for a token the emulator does not know ("ACL not found"). */
    Caller caller(HttpExchange ex, Map<String, String> q) {
        if (!enabled) {
            return new Caller("", null);
        }
        String token = ex.getRequestHeaders().getFirst("X-Consul-Token");
        if (token == null) {
            token = q.get("token");
        }
        if (token == null || token.isEmpty()) {
            return new Caller(null, anonymous);
        }
        AclPolicy policy = tokens.get(token);
        return policy == null ? null : new Caller(accessorOf(token), policy);
    }

    /** An accessor id for a token: Consul shows it, never the secret, in a denial. */
    private static String accessorOf(String token) {
        return UUID.nameUUIDFromBytes(token.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The HTTP endpoints' ACL checks: 403 with Consul's {@code acl.PermissionDeniedByACL} text when the caller lacks
     * {@code key:read} (KV reads), {@code key:write} (KV writes), {@code session:write} (session create, renew,
     * destroy) or {@code session:read} (session info, list). Transactions are checked per operation by {@link
     * #txnPreCheck} instead. Returns the denial, or null.
     */
    static String denial(Caller caller, String method, String path) {
        if (caller.policy() == null) {
            return null;
        }
        if (path.startsWith("/v1/kv/")) {
            String key = path.substring("/v1/kv/".length());
            Access need = method.equals("GET") ? Access.READ : Access.WRITE;
            return caller.policy().key(key).allows(need) ? null : caller.denied("key", need, key);
        }
        if (path.startsWith("/v1/session/")) {
            boolean read = path.startsWith("/v1/session/info/") || path.startsWith("/v1/session/list");
            Access need = read ? Access.READ : Access.WRITE;
            return caller.policy().session().allows(need) ? null : caller.denied("session", need, "emulator");
        }
        return null;
    }

    /**
     * Txn.Apply's preCheck (agent/consul/txn_endpoint.go, with kvsPreApply of kvs_endpoint.go): before any state
     * operation, every KV operation is checked against the token, {@code key:write} for writes and {@code key:read}
     * for reads and checks; each refused one becomes an error of its own ({@code OpIndex}, {@code What}) and the
     * transaction answers 409 with them, applying nothing. A 403 comes only from resolving the token (unknown:
     * {@code ACL not found}).
     */
    static JsonArray txnPreCheck(JsonArray ops, Caller caller) {
        JsonArray errors = new JsonArray();
        if (caller.policy() == null) {
            return errors;
        }
        for (int i = 0; i < ops.size(); i++) {
            JsonObject kv = ops.get(i).getAsJsonObject().getAsJsonObject("KV");
            if (kv == null) {
                continue;
            }
            String verb = kv.get("Verb").getAsString();
            String key = kv.get("Key").getAsString();
            Access need = verb.equals("get") || verb.equals("get-tree") || verb.startsWith("check-")
                    ? Access.READ
                    : Access.WRITE;
            if (!caller.policy().key(key).allows(need)) {
                JsonObject err = new JsonObject();
                err.addProperty("OpIndex", i);
                err.addProperty("What", caller.denied("key", need, key));
                errors.add(err);
            }
        }
        return errors;
    }

    /** A request's token: its accessor id (null: anonymous) and policy (null: ACLs off). */
    record Caller(String accessor, AclPolicy policy) {
        /** acl.PermissionDeniedByACL's text (acl/errors.go). */
        String denied(String resource, Access need, String on) {
            String who = accessor == null ? "anonymous token" : "token with AccessorID '" + accessor + "'";
            return "Permission denied: " + who + " lacks permission '" + resource + ":"
                    + need.name().toLowerCase(Locale.ROOT) + "' on \"" + on + "\"";
        }
    }
}
