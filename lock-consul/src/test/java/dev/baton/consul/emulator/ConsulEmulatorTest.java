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
        JsonObject info = new JsonParser()
                .parse(call("GET", "/v1/session/info/" + id, null).body())
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
        JsonArray listed = new JsonParser()
                .parse(call("GET", "/v1/kv/r/?recurse", null).body())
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
        JsonObject kv = new JsonParser()
                .parse(ok.body())
                .getAsJsonObject()
                .getAsJsonArray("Results")
                .get(0)
                .getAsJsonObject()
                .getAsJsonObject("KV");
        assertThat(kv.get("LockIndex").getAsLong()).isEqualTo(1);
        HttpResponse<String> again = call("PUT", "/v1/txn", create);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(new JsonParser()
                        .parse(again.body())
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

    // ------------------------------------------------------------------------------------------------------------

    private static final class UUIDS {
        static final String NONE = "00000000-0000-0000-0000-000000000000";
    }

    private String session(String body) throws Exception {
        HttpResponse<String> r = call("PUT", "/v1/session/create", body);
        assertThat(r.statusCode()).as("session create: %s", r.body()).isEqualTo(200);
        return new JsonParser().parse(r.body()).getAsJsonObject().get("ID").getAsString();
    }

    private String put(String path, String value) throws Exception {
        return call("PUT", path, value).body();
    }

    private JsonObject entry(String path) throws Exception {
        HttpResponse<String> r = call("GET", path, null);
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return new JsonParser().parse(r.body()).getAsJsonArray().get(0).getAsJsonObject();
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

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
