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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The emulator's own tests: one per behaviour the backend relies on, each naming the Consul documentation page (or
 * source file, where the docs are silent) whose semantics it checks. They talk raw HTTP, not through the backend.
 */
@Execution(ExecutionMode.CONCURRENT)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsulEmulatorTest {
    private static final String KV_DOC = "https://developer.hashicorp.com/consul/api-docs/kv";
    private static final String SESSION_API_DOC = "https://developer.hashicorp.com/consul/api-docs/session";
    private static final String SESSIONS_DOC =
            "https://developer.hashicorp.com/consul/docs/dynamic-app-config/sessions";
    private static final String TXN_DOC = "https://developer.hashicorp.com/consul/api-docs/txn";
    private static final String BLOCKING_DOC = "https://developer.hashicorp.com/consul/api-docs/features/blocking";
    private static final String ACL_DOC =
            "https://developer.hashicorp.com/consul/api-docs/api-structure#authentication";

    private final ConsulEmulator consul = ConsulEmulator.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        consul.close();
    }

    @Test
    @DisplayName("session create, info, list, renew, destroy (" + SESSION_API_DOC + ")")
    void session_lifecycle() throws Exception {
        String id = session("{\"Name\":\"n\",\"TTL\":\"15s\",\"Behavior\":\"delete\",\"LockDelay\":\"2s\"}");
        JsonObject info = JsonParser.parseString(
                        call("GET", "/v1/session/info/" + id, null).body())
                .getAsJsonArray()
                .get(0)
                .getAsJsonObject();
        assertThat(info.get("ID").getAsString()).isEqualTo(id);
        assertThat(info.get("Behavior").getAsString()).isEqualTo("delete");
        assertThat(info.get("TTL").getAsString()).isEqualTo("15s");
        assertThat(info.get("LockDelay").getAsLong())
                .isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(call("GET", "/v1/session/list", null).body()).contains(id);
        assertThat(call("PUT", "/v1/session/renew/" + id, "").statusCode()).isEqualTo(200);
        assertThat(call("PUT", "/v1/session/destroy/" + id, "").body()).isEqualTo("true");
        HttpResponse<String> renew = call("PUT", "/v1/session/renew/" + id, "");
        assertThat(renew.statusCode()).as("renew of a destroyed session").isEqualTo(404);
        assertThat(call("GET", "/v1/session/info/" + id, null).body()).isEqualTo("[]");
    }

    @Test
    @DisplayName("session TTL must be within 10s..24h (" + SESSION_API_DOC + ", TTL parameter)")
    void session_ttl_limits() throws Exception {
        assertThat(call("PUT", "/v1/session/create", "{\"TTL\":\"5s\"}").statusCode())
                .isEqualTo(500);
        assertThat(call("PUT", "/v1/session/create", "{\"TTL\":\"25h\"}").statusCode())
                .isEqualTo(500);
        assertThat(call("PUT", "/v1/session/create", "{\"TTL\":\"10s\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("a TTL session is invalidated no earlier than its TTL, at 2 x TTL after the last renewal ("
            + SESSIONS_DOC + ": the TTL is a lower bound; Consul's SessionTTLMultiplier)")
    void session_ttl_invalidation_between_ttl_and_twice_ttl() throws Exception {
        String id = session("{\"TTL\":\"10s\",\"Behavior\":\"delete\"}");
        assertThat(put("/v1/kv/t/k?acquire=" + id, "v")).isEqualTo("true");
        long start = System.nanoTime();
        Thread.sleep(5_000);
        assertThat(call("PUT", "/v1/session/renew/" + id, "").statusCode()).isEqualTo(200);
        long renewed = System.nanoTime();
        while (call("GET", "/v1/kv/t/k", null).statusCode() == 200) {
            Thread.sleep(100);
        }
        double afterRenewal = (System.nanoTime() - renewed) / 1e9;
        assertThat(afterRenewal)
                .as("seconds from the last renewal to invalidation (TTL 10 s)")
                .isGreaterThanOrEqualTo(10.0)
                .isLessThan(20.0 + 2.0);
        assertThat((System.nanoTime() - start) / 1e9).isGreaterThan(20.0);
        assertThat(call("PUT", "/v1/session/renew/" + id, "").statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("a session gets its node's serfHealth check unless its checks are sent empty; a critical serfHealth"
            + " destroys the sessions tied to it at once, a node that leaves destroys all of its sessions ("
            + SESSION_API_DOC + ", NodeChecks/Checks; agent/session_endpoint.go fixupEmptySessionChecks;"
            + " agent/consul/state/catalog.go ensureCheckTxn and deleteNodeTxn)")
    void session_checks_node_failure_and_node_leave() throws Exception {
        String nodeB = consul.addAgent("node-b");
        String body = "\"TTL\":\"60s\",\"Behavior\":\"delete\",\"LockDelay\":\"0s\"";
        String byDefault = sessionAt(nodeB, "{" + body + "}");
        String emptyChecks = sessionAt(nodeB, "{" + body + ",\"Checks\":[]}");
        String emptyNodeChecks = sessionAt(nodeB, "{" + body + ",\"NodeChecks\":[]}");
        String allEmpty = sessionAt(nodeB, "{" + body + ",\"Checks\":[],\"NodeChecks\":[],\"ServiceChecks\":[]}");
        String onPrimary = session("{" + body + "}");
        assertThat(consul.sessionChecks(byDefault)).containsExactly(ConsulEmulator.SERF_CHECK);
        assertThat(consul.sessionChecks(emptyChecks)).isEmpty();
        assertThat(consul.sessionChecks(emptyNodeChecks)).isEmpty();
        assertThat(consul.sessionChecks(allEmpty)).isEmpty();
        JsonObject info = JsonParser.parseString(
                        call("GET", "/v1/session/info/" + byDefault, null).body())
                .getAsJsonArray()
                .get(0)
                .getAsJsonObject();
        assertThat(info.get("Node").getAsString()).isEqualTo("node-b");
        assertThat(info.getAsJsonArray("NodeChecks").toString()).isEqualTo("[\"serfHealth\"]");
        assertThat(put("/v1/kv/n/default?acquire=" + byDefault, "1")).isEqualTo("true");
        assertThat(put("/v1/kv/n/empty?acquire=" + allEmpty, "2")).isEqualTo("true");

        consul.failNode("node-b");
        assertThat(consul.sessionChecks(byDefault))
                .as("session with serfHealth after its node failed")
                .isNull();
        assertThat(call("GET", "/v1/kv/n/default", null).statusCode())
                .as("key of that session (behaviour delete)")
                .isEqualTo(404);
        assertThat(consul.sessionChecks(emptyChecks))
                .as("session without checks")
                .isNotNull();
        assertThat(consul.sessionChecks(emptyNodeChecks)).isNotNull();
        assertThat(consul.sessionChecks(allEmpty)).isNotNull();
        assertThat(consul.sessionChecks(onPrimary))
                .as("session on another node")
                .isNotNull();
        assertThat(call("GET", "/v1/kv/n/empty", null).statusCode()).isEqualTo(200);

        consul.recoverNode("node-b");
        consul.nodeLeft("node-b");
        assertThat(consul.sessionChecks(emptyChecks))
                .as("session without checks after its node left")
                .isNull();
        assertThat(consul.sessionChecks(allEmpty)).isNull();
        assertThat(call("GET", "/v1/kv/n/empty", null).statusCode()).isEqualTo(404);
        assertThat(consul.sessionChecks(onPrimary))
                .as("session on another node")
                .isNotNull();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("a leader election re-arms every session timer from now: a session not renewed outlives 2 x TTL after"
            + " its last renewal (agent/consul/leader.go initializeSessionTimers; " + SESSIONS_DOC + ")")
    void election_resets_session_timers() throws Exception {
        String id = session("{\"TTL\":\"10s\",\"Behavior\":\"delete\",\"LockDelay\":\"0s\"}");
        long created = System.nanoTime();
        Thread.sleep(12_000);
        consul.electLeader();
        long elected = System.nanoTime();
        while ((System.nanoTime() - created) / 1e9 < 22.0) {
            Thread.sleep(200);
        }
        assertThat(consul.sessionChecks(id))
                .as("session 22 s after its creation (2 x TTL = 20 s), re-armed by an election 12 s in")
                .isNotNull();
        while (consul.sessionChecks(id) != null) {
            Thread.sleep(100);
        }
        assertThat((System.nanoTime() - elected) / 1e9)
                .as("seconds from the election to invalidation")
                .isGreaterThanOrEqualTo(20.0);
    }

    @Test
    @DisplayName("session_ttl_min is a server setting: a shorter TTL is a 500 Invalid Session TTL (" + SESSION_API_DOC
            + "; agent/consul/session_endpoint.go)")
    void session_ttl_min_server_setting() throws Exception {
        consul.sessionTtlMin(Duration.ofSeconds(30));
        HttpResponse<String> r = call("PUT", "/v1/session/create", "{\"TTL\":\"15s\"}");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("Invalid Session TTL '15000000000', must be between [30s=24h0m0s]");
        assertThat(call("PUT", "/v1/session/create", "{\"TTL\":\"30s\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("http_max_conns_per_client: past the cap a client gets 429 and its connection closed"
            + " (https://developer.hashicorp.com/consul/docs/agent/config/config-files#http_max_conns_per_client)")
    void connection_cap_per_client() throws Exception {
        put("/v1/kv/cap/k", "v");
        long index = Long.parseLong(call("GET", "/v1/kv/cap/k", null)
                .headers()
                .firstValue("X-Consul-Index")
                .orElseThrow());
        CompletableFuture<HttpResponse<String>> one = callAsync("GET", "/v1/kv/cap/k?index=" + index + "&wait=30s");
        CompletableFuture<HttpResponse<String>> two = callAsync("GET", "/v1/kv/cap/k?index=" + index + "&wait=30s");
        // Held, so each keeps its connection. The cap comes down only now: a request answered just before may still
        // count for a moment (its handler ends after the client has the answer), which must not refuse these two.
        await().atMost(Duration.ofSeconds(10)).until(() -> consul.blockingQueries() == 2);
        consul.maxConnsPerClient(2);
        HttpResponse<String> third = call("GET", "/v1/kv/cap/k", null);
        assertThat(third.statusCode()).as("a third request beside two held").isEqualTo(429);
        assertThat(third.headers().firstValue("Connection")).hasValue("close");
        assertThat(consul.refusedForConnectionCap()).isEqualTo(1);
        consul.maxConnsPerClient(ConsulEmulator.DEFAULT_MAX_CONNS_PER_CLIENT);
        assertThat(put("/v1/kv/cap/k", "w")).isEqualTo("true");
        for (CompletableFuture<HttpResponse<String>> held : List.of(one, two)) {
            HttpResponse<String> woken = held.get(10, TimeUnit.SECONDS);
            assertThat(woken.statusCode()).isEqualTo(200);
            assertThat(value(JsonParser.parseString(woken.body())
                            .getAsJsonArray()
                            .get(0)
                            .getAsJsonObject()))
                    .as("the held queries answered by the write, not by their wait")
                    .isEqualTo("w");
        }
    }

    @Test
    @DisplayName("behavior release keeps the keys and clears their session; delete removes them (" + SESSIONS_DOC + ")")
    void session_behaviors() throws Exception {
        String release = session("{\"Behavior\":\"release\",\"LockDelay\":\"0s\"}");
        String delete = session("{\"Behavior\":\"delete\",\"LockDelay\":\"0s\"}");
        put("/v1/kv/b/released?acquire=" + release, "r");
        put("/v1/kv/b/deleted?acquire=" + delete, "d");
        call("PUT", "/v1/session/destroy/" + release, "");
        call("PUT", "/v1/session/destroy/" + delete, "");
        JsonObject released = entry("/v1/kv/b/released");
        assertThat(released.has("Session")).as("session of a released key").isFalse();
        assertThat(value(released)).isEqualTo("r");
        assertThat(call("GET", "/v1/kv/b/deleted", null).statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("lock-delay: a key held by an invalidated session cannot be acquired for the delay (" + SESSIONS_DOC
            + ", lock-delay)")
    void lock_delay() throws Exception {
        String first = session("{\"Behavior\":\"release\",\"LockDelay\":\"2s\"}");
        String second = session("{\"Behavior\":\"release\",\"LockDelay\":\"0s\"}");
        put("/v1/kv/d/k?acquire=" + first, "1");
        // Taken before the destroy: Consul starts the delay while handling it.
        long invalidated = System.nanoTime();
        call("PUT", "/v1/session/destroy/" + first, "");
        assertThat(put("/v1/kv/d/k?acquire=" + second, "2"))
                .as("acquire during the lock-delay")
                .isEqualTo("false");
        String txn = "[{\"KV\":{\"Verb\":\"lock\",\"Key\":\"d/k\",\"Value\":\"\",\"Session\":\"" + second + "\"}}]";
        HttpResponse<String> locked = call("PUT", "/v1/txn", txn);
        assertThat(locked.statusCode()).isEqualTo(409);
        assertThat(locked.body()).contains("lock delay");
        while (put("/v1/kv/d/k?acquire=" + second, "2").equals("false")) {
            Thread.sleep(50);
        }
        assertThat((System.nanoTime() - invalidated) / 1e9)
                .as("seconds until acquired")
                .isGreaterThanOrEqualTo(2.0);
    }

    @Test
    @DisplayName("LockIndex, ModifyIndex, CreateIndex; ?acquire and ?release (" + KV_DOC + ")")
    void indexes_acquire_release() throws Exception {
        String a = session("{\"LockDelay\":\"0s\"}");
        String b = session("{\"LockDelay\":\"0s\"}");
        assertThat(put("/v1/kv/i/k?acquire=" + a, "1")).isEqualTo("true");
        JsonObject first = entry("/v1/kv/i/k");
        assertThat(first.get("LockIndex").getAsLong()).isEqualTo(1);
        assertThat(first.get("CreateIndex").getAsLong())
                .isEqualTo(first.get("ModifyIndex").getAsLong());
        assertThat(put("/v1/kv/i/k?acquire=" + b, "x"))
                .as("acquire of a key another session holds")
                .isEqualTo("false");
        assertThat(put("/v1/kv/i/k?acquire=" + a, "2"))
                .as("re-acquire by the holder")
                .isEqualTo("true");
        JsonObject second = entry("/v1/kv/i/k");
        assertThat(second.get("LockIndex").getAsLong())
                .as("LockIndex after re-acquire")
                .isEqualTo(1);
        assertThat(second.get("ModifyIndex").getAsLong())
                .isGreaterThan(first.get("ModifyIndex").getAsLong());
        assertThat(second.get("CreateIndex").getAsLong())
                .isEqualTo(first.get("CreateIndex").getAsLong());
        assertThat(put("/v1/kv/i/k?release=" + b, "x"))
                .as("release by a non-holder")
                .isEqualTo("false");
        assertThat(put("/v1/kv/i/k?release=" + a, "3")).isEqualTo("true");
        JsonObject released = entry("/v1/kv/i/k");
        assertThat(released.has("Session")).isFalse();
        assertThat(released.get("LockIndex").getAsLong())
                .as("LockIndex after release")
                .isEqualTo(1);
        assertThat(put("/v1/kv/i/k?acquire=" + b, "4")).isEqualTo("true");
        assertThat(entry("/v1/kv/i/k").get("LockIndex").getAsLong()).isEqualTo(2);
        assertThat(put("/v1/kv/i/unknown?acquire=" + UUIDS.NONE, "x"))
                .as("acquire with an unknown session")
                .isEqualTo("false");
    }

    @Test
    @DisplayName("?cas=0 creates only if absent; ?cas=N sets only at ModifyIndex N (" + KV_DOC + ")")
    void cas() throws Exception {
        assertThat(put("/v1/kv/c/k?cas=0", "1")).isEqualTo("true");
        assertThat(put("/v1/kv/c/k?cas=0", "2")).isEqualTo("false");
        long modify = entry("/v1/kv/c/k").get("ModifyIndex").getAsLong();
        assertThat(put("/v1/kv/c/k?cas=" + (modify - 1), "3")).isEqualTo("false");
        assertThat(put("/v1/kv/c/k?cas=" + modify, "4")).isEqualTo("true");
        assertThat(value(entry("/v1/kv/c/k"))).isEqualTo("4");
    }

    @Test
    @DisplayName(
            "DELETE ?cas: 0 does nothing, a stale index fails, an absent key answers true; ?recurse (" + KV_DOC + ")")
    void delete_cas_and_recurse() throws Exception {
        put("/v1/kv/r/a", "1");
        put("/v1/kv/r/b/c", "2");
        put("/v1/kv/rx", "3");
        assertThat(call("DELETE", "/v1/kv/r/a?cas=0", null).body()).isEqualTo("false");
        long modify = entry("/v1/kv/r/a").get("ModifyIndex").getAsLong();
        assertThat(call("DELETE", "/v1/kv/r/a?cas=" + (modify + 100), null).body())
                .isEqualTo("false");
        assertThat(call("DELETE", "/v1/kv/r/a?cas=" + modify, null).body()).isEqualTo("true");
        assertThat(call("DELETE", "/v1/kv/r/a?cas=" + modify, null).body())
                .as("DELETE ?cas of an absent key (KVSDeleteCAS treats it as deleted)")
                .isEqualTo("true");
        JsonArray listed = JsonParser.parseString(
                        call("GET", "/v1/kv/r/?recurse", null).body())
                .getAsJsonArray();
        assertThat(listed.size()).isEqualTo(1);
        call("DELETE", "/v1/kv/r/?recurse", null);
        assertThat(call("GET", "/v1/kv/r/?recurse", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/v1/kv/rx", null).statusCode())
                .as("key outside the prefix")
                .isEqualTo(200);
    }

    @Test
    @DisplayName("blocking queries: X-Consul-Index, wake on change, answer at wait, no slide back on delete ("
            + BLOCKING_DOC + ")")
    void blocking_queries() throws Exception {
        put("/v1/kv/w/a", "1");
        HttpResponse<String> first = call("GET", "/v1/kv/w/?recurse", null);
        long index = Long.parseLong(first.headers().firstValue("X-Consul-Index").orElseThrow());
        long t0 = System.nanoTime();
        HttpResponse<String> timedOut = call("GET", "/v1/kv/w/?recurse&index=" + index + "&wait=1s", null);
        assertThat((System.nanoTime() - t0) / 1e9)
                .as("seconds a query without change waited")
                .isGreaterThanOrEqualTo(1.0);
        assertThat(timedOut.headers().firstValue("X-Consul-Index").orElseThrow())
                .isEqualTo(Long.toString(index));
        CompletableFuture<HttpResponse<String>> blocked =
                callAsync("GET", "/v1/kv/w/?recurse&index=" + index + "&wait=30s");
        CompletableFuture<HttpResponse<String>> other =
                callAsync("GET", "/v1/kv/elsewhere?index=" + index + "&wait=2s");
        Thread.sleep(200);
        assertThat(blocked).as("query before any change").isNotDone();
        put("/v1/kv/w/b", "2");
        HttpResponse<String> woken = blocked.get(5, TimeUnit.SECONDS);
        long after = Long.parseLong(woken.headers().firstValue("X-Consul-Index").orElseThrow());
        assertThat(after).isGreaterThan(index);
        assertThat(other.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
        call("DELETE", "/v1/kv/w/b", null);
        long afterDelete = Long.parseLong(call("GET", "/v1/kv/w/?recurse", null)
                .headers()
                .firstValue("X-Consul-Index")
                .orElseThrow());
        assertThat(afterDelete).as("prefix index after a delete (tombstone)").isGreaterThan(after);
    }

    @Test
    @DisplayName("txn: operations apply atomically; a failed one rolls all back with 409 and Errors (" + TXN_DOC + ")")
    void txn_atomic() throws Exception {
        String s = session("{\"LockDelay\":\"0s\"}");
        String create = "[{\"KV\":{\"Verb\":\"check-not-exists\",\"Key\":\"x/k\"}},"
                + "{\"KV\":{\"Verb\":\"lock\",\"Key\":\"x/k\",\"Value\":\"" + b64("v") + "\",\"Session\":\"" + s
                + "\"}}]";
        HttpResponse<String> ok = call("PUT", "/v1/txn", create);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonObject kv = JsonParser.parseString(ok.body())
                .getAsJsonObject()
                .getAsJsonArray("Results")
                .get(0)
                .getAsJsonObject()
                .getAsJsonObject("KV");
        assertThat(kv.get("LockIndex").getAsLong()).isEqualTo(1);
        HttpResponse<String> again = call("PUT", "/v1/txn", create);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JsonParser.parseString(again.body())
                        .getAsJsonObject()
                        .getAsJsonArray("Errors")
                        .get(0)
                        .getAsJsonObject()
                        .get("OpIndex")
                        .getAsInt())
                .isEqualTo(0);
        String partial = "[{\"KV\":{\"Verb\":\"set\",\"Key\":\"x/other\",\"Value\":\"\"}},"
                + "{\"KV\":{\"Verb\":\"check-index\",\"Key\":\"x/k\",\"Index\":1}}]";
        assertThat(call("PUT", "/v1/txn", partial).statusCode()).isEqualTo(409);
        assertThat(call("GET", "/v1/kv/x/other", null).statusCode())
                .as("write of a rolled-back txn")
                .isEqualTo(404);
        String badSession =
                "[{\"KV\":{\"Verb\":\"lock\",\"Key\":\"x/n\",\"Value\":\"\",\"Session\":\"" + UUIDS.NONE + "\"}}]";
        HttpResponse<String> invalid = call("PUT", "/v1/txn", badSession);
        assertThat(invalid.statusCode()).isEqualTo(409);
        assertThat(invalid.body()).contains("invalid session");
    }

    @Test
    @DisplayName("ACLs on: 403 for a missing or unknown token, 200 with the right one (" + ACL_DOC + ")")
    void acl_tokens() throws Exception {
        consul.requireToken("secret-token");
        HttpResponse<String> missing = call("GET", "/v1/kv/a", null);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.body()).contains("Permission denied");
        HttpResponse<String> wrong = send(request("GET", "/v1/kv/a", null).header("X-Consul-Token", "nope"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("ACL not found");
        HttpResponse<String> right = send(request("GET", "/v1/kv/a", null).header("X-Consul-Token", "secret-token"));
        assertThat(right.statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName(
            "ACL policies: per-prefix key rules for limited and anonymous tokens; a txn op the token may not run is"
                    + " a 409 with a Permission denied error per op, from a pre-check before any op applies; 403 only for an"
                    + " unknown token or outside /v1/txn (" + TXN_DOC + "; agent/consul/txn_endpoint.go preCheck;"
                    + " https://developer.hashicorp.com/consul/docs/security/acl/acl-rules)")
    void acl_policies_and_txn_denials() throws Exception {
        consul.addToken(
                "limited",
                AclPolicy.denyAll()
                        .session(Access.WRITE)
                        .key("app/", Access.READ)
                        .key("app/mine/", Access.WRITE));
        consul.anonymousPolicy(AclPolicy.denyAll().key("public/", Access.READ));
        HttpResponse<String> created = send(
                request("PUT", "/v1/session/create", "{\"LockDelay\":\"0s\"}").header("X-Consul-Token", "limited"));
        assertThat(created.statusCode()).isEqualTo(200);
        String s = JsonParser.parseString(created.body())
                .getAsJsonObject()
                .get("ID")
                .getAsString();
        String txn = "[{\"KV\":{\"Verb\":\"set\",\"Key\":\"app/mine/a\",\"Value\":\"\"}},"
                + "{\"KV\":{\"Verb\":\"check-not-exists\",\"Key\":\"app/other\"}},"
                + "{\"KV\":{\"Verb\":\"lock\",\"Key\":\"app/other\",\"Value\":\"\",\"Session\":\"" + s + "\"}}]";
        HttpResponse<String> denied = send(request("PUT", "/v1/txn", txn).header("X-Consul-Token", "limited"));
        assertThat(denied.statusCode())
                .as("txn with an op the token may not run")
                .isEqualTo(409);
        JsonArray errors =
                JsonParser.parseString(denied.body()).getAsJsonObject().getAsJsonArray("Errors");
        assertThat(errors.size()).as("errors: %s", errors).isEqualTo(1);
        assertThat(errors.get(0).getAsJsonObject().get("OpIndex").getAsInt()).isEqualTo(2);
        assertThat(errors.get(0).getAsJsonObject().get("What").getAsString())
                .startsWith("Permission denied")
                .contains("key:write")
                .doesNotContain("limited");
        consul.requireToken(null);
        assertThat(call("GET", "/v1/kv/app/mine/a", null).statusCode())
                .as("the allowed op of the denied txn (nothing applied)")
                .isEqualTo(404);
        consul.addToken("limited", AclPolicy.denyAll().session(Access.WRITE).key("app/mine/", Access.WRITE));
        consul.anonymousPolicy(AclPolicy.denyAll().key("public/", Access.READ));
        HttpResponse<String> unknown = send(request("PUT", "/v1/txn", txn).header("X-Consul-Token", "unknown"));
        assertThat(unknown.statusCode()).as("txn with an unknown token").isEqualTo(403);
        assertThat(unknown.body()).contains("ACL not found");
        assertThat(call("GET", "/v1/kv/public/x", null).statusCode())
                .as("anonymous read allowed")
                .isEqualTo(404);
        HttpResponse<String> write = call("PUT", "/v1/kv/public/x", "v");
        assertThat(write.statusCode())
                .as("anonymous write outside the txn endpoint")
                .isEqualTo(403);
        assertThat(write.body()).contains("Permission denied: anonymous token lacks permission 'key:write'");
        assertThat(send(request("PUT", "/v1/kv/app/mine/b", "v").header("X-Consul-Token", "limited"))
                        .statusCode())
                .isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------------------------------

    private static final class UUIDS {
        static final String NONE = "00000000-0000-0000-0000-000000000000";
    }

    private String session(String body) throws Exception {
        HttpResponse<String> r = call("PUT", "/v1/session/create", body);
        assertThat(r.statusCode()).as("session create: %s", r.body()).isEqualTo(200);
        return JsonParser.parseString(r.body()).getAsJsonObject().get("ID").getAsString();
    }

    private String sessionAt(String agent, String body) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(agent + "/v1/session/create"))
                        .timeout(Duration.ofSeconds(10))
                        .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("session create: %s", r.body()).isEqualTo(200);
        return JsonParser.parseString(r.body()).getAsJsonObject().get("ID").getAsString();
    }

    private String put(String path, String value) throws Exception {
        return call("PUT", path, value).body();
    }

    private JsonObject entry(String path) throws Exception {
        HttpResponse<String> r = call("GET", path, null);
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return JsonParser.parseString(r.body()).getAsJsonArray().get(0).getAsJsonObject();
    }

    private static String value(JsonObject entry) {
        return new String(Base64.getDecoder().decode(entry.get("Value").getAsString()), StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(consul.address() + path))
                .timeout(Duration.ofSeconds(45))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return send(request(method, path, body));
    }

    private CompletableFuture<HttpResponse<String>> callAsync(String method, String path) {
        return http.sendAsync(request(method, path, null).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends a request, up to twice more if the emulator closed the connection before a byte of answer: the build runs the
     * JDK server with a 1 s idle interval, and under load it can close a connection as idle before reading the request
     * on it (nothing was applied then); the backend resends in that case too.
     */
    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        HttpRequest request = b.build();
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException closedUnanswered) {
                if (attempt >= 3
                        || !String.valueOf(closedUnanswered.getMessage()).contains("received no bytes")) {
                    throw closedUnanswered;
                }
            }
        }
    }
}
