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

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ConsulHttp} over the JDK's {@link HttpClient} (HTTP/1.1), with Gson for the JSON bodies: the one HTTP stack
 * of the backend. Blocking queries are sent asynchronously and aborted when their future is cancelled, so a watch
 * holds no thread while it waits. They have a client of their own: aborting one closes its connection, and the JDK
 * client (17) may close that connection after it went back to its pool and was handed to another request; with two
 * clients, that other request can only be another blocking query, which is resumed anyway.
 *
 * <p><b>Connections the agent closed.</b> An agent, or a proxy in front of it, closes keep-alive connections it finds
 * idle. The JDK client watches every pooled connection for the end of its stream and drops one the agent closed from
 * its pool as the close arrives, so a closed connection is not reused; one that closes just as it is taken fails its
 * request with no answer, although nothing is wrong with the agent. Such a request is sent once more at once: a
 * {@code GET} by the JDK client itself, a {@code PUT} by {@link RequestSender}. Every request the backend sends may be
 * sent twice:
 *
 * <ul>
 *   <li>reads ({@code GET /v1/kv}, {@code /v1/session/list}) and blocking queries change nothing;
 *   <li>{@code /v1/session/renew} and {@code /v1/session/destroy} are idempotent (destroying a destroyed session
 *       answers 200; renewing it answers 404, which is true: the session is gone);
 *   <li>{@code /v1/session/create}: if the first request was applied and only its answer was lost, the second creates
 *       a second session and the first is orphaned; it holds no key (nobody ever learnt its id) and nobody renews it,
 *       so Consul invalidates it 2 &times; TTL later. An agent that closes an idle connection does so before reading
 *       a request from it, so this needs an answer lost after the agent applied the request;
 *   <li>{@code /v1/txn}: every transaction the backend sends starts with a check ({@code check-index}, {@code
 *       check-not-exists}, or {@code cas} with index 0), so a transaction applied by the first request fails its check
 *       the second time instead of applying twice. The answer is then marked {@link TxnResult#retried()} and the
 *       backend reads the key to tell its own write from someone else's.
 * </ul>
 *
 * <p>429 and 5xx answers are sent again after a pause within the request timeout (see {@link RequestSender}); a
 * transaction sent again so is marked {@link TxnResult#retried()} too. Blocking queries are not retried here: the
 * watch resumes them.
 *
 * <p>The ACL token goes in the {@code X-Consul-Token} header, never in a URL, and is never logged. A 403 throws
 * {@link dev.baton.lock.AccessDeniedException} naming the policy rule to grant. Threadsafe.
 */
public final class ConsulApiHttp implements ConsulHttp {
    private final URI base;
    private final Duration requestTimeout;
    private final AclDenials denials;
    private final ConsulJson json;
    private final RequestSender sender;
    private final HttpClient watchClient;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * Creates a client. Nothing is sent until it is used.
     *
     * @param base the agent's address, {@code http://host:port} or {@code https://host:port}
     * @param token the ACL token, or null
     * @param datacenter the datacenter, or null for the agent's own
     * @param requestTimeout how long a non-blocking request may take
     * @param keyPrefix the key prefix of the backend, ending with {@code /}, for the rules named when access is
     *     denied; null if the client works under none
     */
    public ConsulApiHttp(URI base, String token, String datacenter, Duration requestTimeout, String keyPrefix) {
        this.base = base;
        this.requestTimeout = requestTimeout;
        this.denials = new AclDenials(base.toString(), token != null, keyPrefix);
        this.json = new ConsulJson(base.toString());
        HttpClient.Builder clients =
                HttpClient.newBuilder().connectTimeout(requestTimeout).version(HttpClient.Version.HTTP_1_1);
        this.sender = new RequestSender(clients.build(), base, token, datacenter, requestTimeout, denials);
        this.watchClient = clients.build();
    }

    /**
     * Counts the requests this client sent a second time because the first sending failed on its connection.
     *
     * @return the count since this client was created
     */
    public long resentRequests() {
        return sender.resentRequests();
    }

    /**
     * Counts the requests this client sent again after Consul answered 429 or 5xx.
     *
     * @return the count since this client was created
     */
    public long retriedRequests() {
        return sender.retriedRequests();
    }

    /**
     * {@inheritDoc}
     *
     * <p>A 500 {@code Invalid Session TTL} (the servers' {@code session_ttl_min} is higher) is an {@link
     * IllegalArgumentException}: no later attempt would succeed.
     */
    @Override
    public String createSession(String name, Duration ttl, Duration lockDelay) {
        String what = "create a session";
        HttpRequest request = sender.request("/v1/session/create", null)
                .PUT(HttpRequest.BodyPublishers.ofString(
                        ConsulJson.sessionBody(name, ttl, lockDelay), StandardCharsets.UTF_8))
                .header("Content-Type", "application/json")
                .build();
        HttpResponse<String> response = sender.send(request, what);
        if (response.statusCode() != 200 && RequestSender.permanent(response.body())) {
            throw new IllegalArgumentException("Consul at " + base + " refused the session TTL of " + ttl + " ("
                    + response.body().strip() + "): the Consul servers' session_ttl_min setting (a server"
                    + " configuration setting, 10 s by default) is higher; use a TTL at least that long (the"
                    + " coordinator's sessionTtl, or the TTL of a TTL lock or lease) or lower session_ttl_min on the"
                    + " servers");
        }
        sender.check(response, what, AclDenials.SESSION_WRITE);
        return json.sessionId(response.body());
    }

    @Override
    public boolean renewSession(String id) {
        HttpResponse<String> response = putSession("renew", id);
        if (response.statusCode() == 404) {
            return false;
        }
        sender.check(response, "renew session " + id, AclDenials.SESSION_WRITE);
        return true;
    }

    @Override
    public void destroySession(String id) {
        sender.check(putSession("destroy", id), "destroy session " + id, AclDenials.SESSION_WRITE);
    }

    /** {@code PUT /v1/session/:verb/:id}, without a body. */
    private HttpResponse<String> putSession(String verb, String id) {
        return sender.send(
                sender.request("/v1/session/" + verb + "/" + encode(id), null)
                        .PUT(HttpRequest.BodyPublishers.noBody())
                        .build(),
                verb + " session " + id);
    }

    @Override
    public List<SessionInfo> listSessions() {
        String what = "list sessions";
        HttpResponse<String> response =
                sender.send(sender.request("/v1/session/list", null).GET().build(), what);
        sender.check(response, what, AclDenials.SESSION_READ);
        return json.sessions(response.body());
    }

    @Override
    public KvRead get(String key) {
        return read(key, null, "read " + key);
    }

    @Override
    public KvRead list(String prefix) {
        return read(prefix, "recurse=true", "list " + prefix);
    }

    private KvRead read(String key, String query, String what) {
        HttpResponse<String> response =
                sender.send(sender.request("/v1/kv/" + encode(key), query).GET().build(), what);
        return kvAnswer(response, key, what);
    }

    /** A {@code /v1/kv} answer: 404 is no entry; the index is {@code X-Consul-Index} (at least 1, as Consul asks). */
    private KvRead kvAnswer(HttpResponse<String> response, String key, String what) {
        long at = Math.max(
                1, response.headers().firstValueAsLong("X-Consul-Index").orElse(1L));
        if (response.statusCode() == 404) {
            return new KvRead(List.of(), at);
        }
        sender.check(response, what, denials.keyRule(key, "read"));
        return new KvRead(json.entries(response.body(), what), at);
    }

    @Override
    public CompletableFuture<KvRead> watch(String keyOrPrefix, boolean recurse, long index, Duration wait) {
        StringBuilder query =
                new StringBuilder("index=").append(index).append("&wait=").append(wait.toSeconds());
        query.append('s');
        if (recurse) {
            query.append("&recurse=true");
        }
        // Consul adds up to wait/16 of jitter to the wait; allow for it and for the request itself.
        Duration timeout = wait.plus(wait.dividedBy(16)).plus(requestTimeout);
        HttpRequest request = sender.request("/v1/kv/" + encode(keyOrPrefix), query.toString(), timeout)
                .GET()
                .build();
        String what = "watch " + keyOrPrefix;
        CompletableFuture<KvRead> result = new CompletableFuture<>();
        if (sender.closed()) {
            result.cancel(false);
            return result;
        }
        // Not sent again here on a connection failure: the JDK client sends a GET once more itself when its reused
        // connection closed without an answer, and the watch resumes a query that failed.
        CompletableFuture<HttpResponse<String>> sent =
                watchClient.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        inFlight.add(sent);
        // Cancelling what the caller holds aborts the exchange in flight.
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                sent.cancel(true);
            }
        });
        sent.whenComplete((response, failure) -> {
            inFlight.remove(sent);
            if (result.isDone()) {
                return;
            }
            if (failure != null) {
                result.completeExceptionally(translateAsync(unwrap(failure), what));
                return;
            }
            try {
                result.complete(kvAnswer(response, keyOrPrefix, what));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public TxnResult txn(List<TxnOp> ops) {
        String what = "run a transaction on " + ops.get(0).key();
        HttpRequest request = sender.request("/v1/txn", null)
                .PUT(HttpRequest.BodyPublishers.ofString(ConsulJson.txnBody(ops), StandardCharsets.UTF_8))
                .header("Content-Type", "application/json")
                .build();
        boolean[] resent = new boolean[1];
        HttpResponse<String> response = sender.send(request, what, resent);
        int status = response.statusCode();
        if (status != 409) {
            sender.check(response, what, denials.keyRule(ops.get(0).key(), "write"));
        }
        return json.txnResult(response.body(), status == 200, resent[0], what);
    }

    @Override
    public void close() {
        sender.close();
        for (CompletableFuture<?> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
    }

    private RuntimeException translateAsync(Throwable failure, String what) {
        if (failure instanceof CancellationException) {
            return (CancellationException) failure;
        }
        if (failure instanceof RuntimeException && !(failure instanceof UncheckedIOException)) {
            return (RuntimeException) failure;
        }
        return sender.unreachable(
                what, failure instanceof Exception ? (Exception) failure : new RuntimeException(failure));
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Percent-encodes what a URL path cannot carry as is. Baton's keys hold only letters, digits and {@code . _ ~ % -
     * /}; of these only {@code %} needs encoding, but anything else a key prefix might hold is encoded too.
     */
    static String encode(String key) {
        StringBuilder out = new StringBuilder(key.length() + 8);
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '-'
                    || c == '/';
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
