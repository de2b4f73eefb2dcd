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

import com.ecwid.consul.transport.TransportException;
import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.ConsulRawClient;
import com.ecwid.consul.v1.OperationException;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.kv.model.GetBinaryValue;
import com.ecwid.consul.v1.session.model.Session;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.baton.consul.ConsulAccessDeniedException;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.LockException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.message.BasicHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConsulHttp} over the Ecwid consul-api client (session renewals, destroys, listings and plain reads), with the
 * JDK's {@link HttpClient} for the calls consul-api 1.4.5 cannot make as needed: session creation with empty checks
 * (its {@code NewSession} has no {@code NodeChecks}), {@code /v1/txn} (it has no transaction API), and blocking queries,
 * which it can only run synchronously with no way to abort them (a thread blocked per watch for the whole wait);
 * the JDK client sends them asynchronously and aborts them when the future is cancelled. Blocking queries have a JDK
 * client of their own: aborting one closes its connection, and the JDK client (17) may close that connection after it
 * went back to its pool and was handed to another request; with two clients, that other request can only be another
 * blocking query, which is resumed anyway.
 *
 * <p><b>A request that fails on its connection is sent once more, at once.</b> An agent, or a proxy in front of it,
 * closes keep-alive connections it finds idle, and a client may pick such a connection from its pool just as it
 * closes: the request then fails with no answer (or with an answer cut short), although nothing is wrong with the
 * agent. Neither client says whether the connection came from its pool, so any failure on an established connection
 * counts: an {@link IOException} other than a failure to connect (nothing was sent; the agent is down), a timeout (the
 * request timeout bounds the call) or a TLS handshake failure. Every request the backend sends may be sent twice:
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
 *       backend reads the key to tell its own write from someone else's (see {@code ConsulBackend}).
 * </ul>
 *
 * <p><b>429 and 5xx are sent again after a pause, within the request timeout.</b> Consul answers 500 while it has no
 * leader ({@code No cluster leader}), when a Raft apply fails on leadership loss or timeout (possibly after the entry
 * committed), and on RPC errors while forwarding; 429 when the agent's rate or connection limits are hit. Such a
 * request is sent again after 50 ms, doubling to 1 s, with jitter, while the request timeout leaves time for it; the
 * last answer counts. The same reasoning as above makes every request safe to repeat, and a transaction sent again so
 * is marked {@link TxnResult#retried()}. Blocking queries are not retried here: the watch resumes them.
 *
 * <p>The ACL token goes in the {@code X-Consul-Token} header of both clients, never in a URL, and is never logged.
 * Threadsafe.
 */
public final class ConsulApiHttp implements ConsulHttp {
    /** At most this many sendings of one request: the first, and one more when it failed on its connection. */
    static final int ATTEMPTS = 2;

    /**
     * How long a pooled connection may sit idle before it is checked when taken from the pool: below the shortest
     * idle timeout an agent or proxy in front of it is likely to use (the emulator's is 1 s), at the cost of a
     * sub-millisecond read on reuse.
     */
    static final int VALIDATE_AFTER_IDLE_MILLIS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(ConsulApiHttp.class);
    private static final String TOKEN_HEADER = "X-Consul-Token";
    private static final AtomicLong RESENT = new AtomicLong();
    private static final AtomicLong RETRIED = new AtomicLong();
    private static final String INVALID_TTL = "Invalid Session TTL";
    /** No sending is started with less than this left of the request timeout. */
    private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final URI base;
    private final String token;
    private final String datacenter;
    private final Duration requestTimeout;
    private final CloseableHttpClient apache;
    private final ConsulClient consul;
    private final HttpClient jdk;
    private final HttpClient jdkWatch;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Creates a client.
     *
     * @param base the agent's address, {@code http://host:port} or {@code https://host:port}
     * @param token the ACL token, or null
     * @param datacenter the datacenter, or null for the agent's own
     * @param requestTimeout how long a non-blocking request may take
     * @param executor runs the JDK client's work and the callbacks of blocking queries, or null for the client's own
     */
    public ConsulApiHttp(URI base, String token, String datacenter, Duration requestTimeout, Executor executor) {
        this.base = base;
        this.token = token;
        this.datacenter = datacenter;
        this.requestTimeout = requestTimeout;
        int millis = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
        pool.setMaxTotal(64);
        pool.setDefaultMaxPerRoute(64);
        // A pooled connection idle for longer than this is checked before it is used again, so that one the agent
        // closed as idle is dropped instead of failing a request. Without it, several threads reusing connections
        // that went idle together could each meet a closed one on the first sending and on the resend.
        pool.setValidateAfterInactivity(VALIDATE_AFTER_IDLE_MILLIS);
        HttpClientBuilder apacheBuilder = HttpClientBuilder.create()
                .setConnectionManager(pool)
                .disableAutomaticRetries()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(millis)
                        .setConnectionRequestTimeout(millis)
                        .setSocketTimeout(millis)
                        .build());
        if (token != null) {
            apacheBuilder.setDefaultHeaders(List.of(new BasicHeader(TOKEN_HEADER, token)));
        }
        this.apache = apacheBuilder.build();
        int port = base.getPort() > 0 ? base.getPort() : ("https".equals(base.getScheme()) ? 443 : 80);
        this.consul = new ConsulClient(ConsulRawClient.Builder.builder()
                .setHost(base.getScheme() + "://" + base.getHost())
                .setPort(port)
                .setHttpClient(apache)
                .build());
        HttpClient.Builder jdkBuilder =
                HttpClient.newBuilder().connectTimeout(requestTimeout).version(HttpClient.Version.HTTP_1_1);
        if (executor != null) {
            jdkBuilder.executor(executor);
        }
        this.jdk = jdkBuilder.build();
        this.jdkWatch = jdkBuilder.build();
    }

    /**
     * Counts the requests that every client of this JVM sent a second time because the first sending failed on its
     * connection; for tests and diagnostics.
     *
     * @return the count since the JVM started
     */
    public static long resentRequests() {
        return RESENT.get();
    }

    /**
     * Counts the requests that every client of this JVM sent again after Consul answered 429 or 5xx; for tests and
     * diagnostics.
     *
     * @return the count since the JVM started
     */
    public static long retriedRequests() {
        return RETRIED.get();
    }

    /**
     * Tells whether a request that failed with {@code failure} is sent again: a failure on an established connection,
     * not a failure to connect, a timeout or a TLS handshake failure.
     *
     * @param failure what the client threw (the cause of consul-api's {@code TransportException})
     * @return whether to send the request again
     */
    static boolean resendable(Throwable failure) {
        return failure instanceof IOException
                && !(failure instanceof ConnectException)
                && !(failure instanceof NoRouteToHostException)
                && !(failure instanceof UnknownHostException)
                && !(failure instanceof InterruptedIOException)
                && !(failure instanceof HttpTimeoutException)
                && !(failure instanceof SSLHandshakeException)
                && !(failure instanceof SSLPeerUnverifiedException);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The body is written here, not by consul-api, because it must carry the checks as empty lists: an agent
     * given no {@code Checks} ties the session to its node's {@code serfHealth} check, and a critical check destroys
     * the session at once, long before its TTL (agent/session_endpoint.go, {@code SessionCreate}). Consul 1.7 and
     * later read {@code NodeChecks} and {@code ServiceChecks} and, for compatibility, take an empty {@code Checks} as
     * "no node checks" ({@code fixupEmptySessionChecks}); older agents know only {@code Checks}, whose empty list
     * removes the default there too, and ignore the other two fields. consul-api 1.4.5's {@code NewSession} has no
     * {@code NodeChecks} or {@code ServiceChecks}.
     */
    @Override
    public String createSession(String name, Duration ttl, Duration lockDelay) {
        JsonObject body = new JsonObject();
        body.addProperty("Name", name);
        body.addProperty("TTL", ttl.toMillis() + "ms");
        body.addProperty("Behavior", "delete");
        // A number below 1000 is read as seconds (agent/session_endpoint.go, FixupLockDelay).
        body.addProperty("LockDelay", lockDelay.toSeconds());
        body.add("Checks", new JsonArray());
        body.add("NodeChecks", new JsonArray());
        body.add("ServiceChecks", new JsonArray());
        String what = "create a session";
        HttpRequest request = request("/v1/session/create", null, requestTimeout)
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .header("Content-Type", "application/json")
                .build();
        HttpResponse<String> response = send(request, what, new boolean[1]);
        if (response.statusCode() != 200 && permanent(response.body())) {
            throw new IllegalArgumentException("Consul at " + base + " refused the session TTL of " + ttl + " ("
                    + response.body().strip() + "): the Consul servers' session_ttl_min setting (a server"
                    + " configuration setting, 10 s by default) is higher; use a TTL at least that long (sessionTtl,"
                    + " or the TTL of a TTL lock or lease) or lower session_ttl_min on the servers");
        }
        check(response.statusCode(), response.body(), what);
        JsonElement id = parseObject(response.body(), what).get("ID");
        if (id == null || !id.isJsonPrimitive()) {
            throw new LockException(
                    null, "Consul at " + base + " created a session but sent no ID: " + response.body(), null);
        }
        return id.getAsString();
    }

    @Override
    public boolean renewSession(String id) {
        try {
            call("renew session " + id, () -> consul.renewSession(id, params(), null));
            return true;
        } catch (NotFound gone) {
            return false;
        }
    }

    @Override
    public void destroySession(String id) {
        call("destroy session " + id, () -> consul.sessionDestroy(id, params(), null));
    }

    @Override
    public List<SessionInfo> listSessions() {
        List<Session> sessions = call("list sessions", () -> consul.getSessionList(params(), null))
                .getValue();
        List<SessionInfo> out = new ArrayList<>();
        if (sessions != null) {
            for (Session s : sessions) {
                out.add(new SessionInfo(s.getId(), s.getName()));
            }
        }
        return out;
    }

    @Override
    public KvRead get(String key) {
        Response<GetBinaryValue> r = call("read " + key, () -> consul.getKVBinaryValue(encode(key), null, params()));
        List<KvEntry> entries = new ArrayList<>();
        if (r.getValue() != null) {
            entries.add(toEntry(r.getValue()));
        }
        return new KvRead(entries, index(r.getConsulIndex()));
    }

    @Override
    public KvRead list(String prefix) {
        Response<List<GetBinaryValue>> r =
                call("list " + prefix, () -> consul.getKVBinaryValues(encode(prefix), null, params()));
        List<KvEntry> entries = new ArrayList<>();
        if (r.getValue() != null) {
            for (GetBinaryValue v : r.getValue()) {
                entries.add(toEntry(v));
            }
        }
        return new KvRead(entries, index(r.getConsulIndex()));
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
        HttpRequest request = request("/v1/kv/" + encode(keyOrPrefix), query.toString(), timeout)
                .GET()
                .build();
        String what = "watch " + keyOrPrefix;
        CompletableFuture<KvRead> result = new CompletableFuture<>();
        AtomicReference<CompletableFuture<?>> current = new AtomicReference<>();
        // Cancelling what the caller holds aborts the exchange in flight.
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                CompletableFuture<?> c = current.get();
                if (c != null) {
                    c.cancel(true);
                }
            }
        });
        sendWatch(request, 1, what, result, current);
        return result;
    }

    private void sendWatch(
            HttpRequest request,
            int attempt,
            String what,
            CompletableFuture<KvRead> result,
            AtomicReference<CompletableFuture<?>> current) {
        if (closed) {
            result.cancel(false);
            return;
        }
        CompletableFuture<HttpResponse<String>> sent =
                jdkWatch.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        inFlight.add(sent);
        current.set(sent);
        if (result.isDone()) {
            sent.cancel(true);
        }
        sent.whenComplete((response, failure) -> {
            inFlight.remove(sent);
            if (result.isDone()) {
                return;
            }
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (attempt < ATTEMPTS && !closed && resendable(cause)) {
                    resending(what, cause);
                    sendWatch(request, attempt + 1, what, result, current);
                } else {
                    result.completeExceptionally(translateAsync(cause, what));
                }
                return;
            }
            try {
                result.complete(watchAnswer(response, what));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    private KvRead watchAnswer(HttpResponse<String> response, String what) {
        int status = response.statusCode();
        long at = index(response.headers().firstValueAsLong("X-Consul-Index").orElse(1L));
        if (status == 404) {
            return new KvRead(List.of(), at);
        }
        check(status, response.body(), what);
        List<KvEntry> entries = new ArrayList<>();
        for (JsonElement e : parseArray(response.body())) {
            entries.add(toEntry(e.getAsJsonObject()));
        }
        return new KvRead(entries, at);
    }

    @Override
    public TxnResult txn(List<TxnOp> ops) {
        JsonArray body = new JsonArray();
        for (TxnOp op : ops) {
            JsonObject kv = new JsonObject();
            kv.addProperty("Verb", op.verb());
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
        HttpRequest request = request("/v1/txn", null, requestTimeout)
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .header("Content-Type", "application/json")
                .build();
        boolean[] resent = new boolean[1];
        HttpResponse<String> response =
                send(request, "run a transaction on " + ops.get(0).key(), resent);
        int status = response.statusCode();
        if (status != 200 && status != 409) {
            check(status, response.body(), "run a transaction on " + ops.get(0).key());
        }
        JsonObject answer = parseObject(
                response.body(), "run a transaction on " + ops.get(0).key());
        List<KvEntry> results = new ArrayList<>();
        JsonElement rs = answer.get("Results");
        if (rs != null && rs.isJsonArray()) {
            for (JsonElement r : rs.getAsJsonArray()) {
                JsonElement kv = r.getAsJsonObject().get("KV");
                if (kv != null && kv.isJsonObject()) {
                    results.add(toEntry(kv.getAsJsonObject()));
                }
            }
        }
        List<TxnResult.TxnError> errors = new ArrayList<>();
        JsonElement es = answer.get("Errors");
        if (es != null && es.isJsonArray()) {
            for (JsonElement e : es.getAsJsonArray()) {
                JsonObject o = e.getAsJsonObject();
                errors.add(new TxnResult.TxnError(
                        o.get("OpIndex").getAsInt(), o.get("What").getAsString()));
            }
        }
        return new TxnResult(status == 200, results, errors, resent[0]);
    }

    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<?> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
        try {
            apache.close();
        } catch (IOException e) {
            // Connections are being torn down anyway; nothing to report to a caller who is closing.
        }
    }

    private HttpRequest.Builder request(String path, String query, Duration timeout) {
        String q = query == null ? "" : query;
        if (datacenter != null) {
            q = q.isEmpty() ? "dc=" + datacenter : q + "&dc=" + datacenter;
        }
        URI uri = URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + (q.isEmpty() ? "" : "?" + q));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        if (token != null) {
            b.header(TOKEN_HEADER, token);
        }
        return b;
    }

    /**
     * Sends a request, and again while time is left of the request timeout: once more at once if it failed on its
     * connection, and after a growing pause while Consul answers 429 or 5xx (see {@link #retryableStatus}); sets
     * {@code resent[0]} when it sent the request more than once (the first sending may have been applied). Returns the
     * last answer, whatever its status, when no time is left for another sending, or when a sending after a 429 or 5xx
     * fails on its connection or times out.
     */
    private HttpResponse<String> send(HttpRequest request, String what, boolean[] resent) {
        if (closed) {
            throw new IllegalStateException("the Consul client is closed");
        }
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        HttpRequest attempt = request;
        IOException first = null;
        HttpResponse<String> lastAnswer = null;
        int connectionFailures = 0;
        for (int n = 1; ; n++) {
            try {
                HttpResponse<String> answer =
                        jdk.send(attempt, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                long pause = backoff(n);
                long left = deadline - System.nanoTime() - pause;
                if (!retryableStatus(answer.statusCode())
                        || permanent(answer.body())
                        || closed
                        || left <= MIN_ATTEMPT_NANOS) {
                    return answer;
                }
                lastAnswer = answer;
                retrying(what, answer.statusCode(), answer.body(), pause);
                pause(pause, what);
                resent[0] = true;
                attempt = HttpRequest.newBuilder(request, (name, value) -> true)
                        .timeout(Duration.ofNanos(left))
                        .build();
            } catch (IOException e) {
                long left = deadline - System.nanoTime();
                if (++connectionFailures >= ATTEMPTS || closed || left <= 0 || !resendable(e)) {
                    if (lastAnswer != null) {
                        // Consul answered before (429 or 5xx) and the sending after it found no time or connection:
                        // its answer says more than the timeout that ended the wait.
                        LOG.debug("the request to {} failed after Consul answered {} ({})", what, lastAnswer, e);
                        return lastAnswer;
                    }
                    if (first != null) {
                        e.addSuppressed(first);
                    }
                    throw unreachable(what, e);
                }
                first = e;
                resending(what, e);
                resent[0] = true;
                attempt = HttpRequest.newBuilder(request, (name, value) -> true)
                        .timeout(Duration.ofNanos(left))
                        .build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendUnavailableException(null, "interrupted while waiting for Consul to " + what, e);
            }
        }
    }

    /**
     * Whether an answer with this status is worth sending again after a pause: 429 (the agent's rate or connection
     * limits) and 5xx (no cluster leader, a Raft apply that failed on leadership loss or timeout, an RPC error while
     * forwarding to the servers): the server may serve it a moment later.
     */
    static boolean retryableStatus(int status) {
        return status == 429 || status >= 500;
    }

    /**
     * Whether a 5xx answer reports a request the server will never accept, so that sending it again is pointless:
     * Consul answers a session TTL outside its limits with 500 {@code Invalid Session TTL}.
     */
    static boolean permanent(String body) {
        return body != null && body.contains(INVALID_TTL);
    }

    /** The pause before the n-th sending's successor: 50 ms doubling to at most 1 s, with up to half of it jitter. */
    static long backoff(int n) {
        long base = TimeUnit.MILLISECONDS.toNanos(Math.min(1000, 50L << Math.min(n - 1, 5)));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private void pause(long nanos, String what) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException(null, "interrupted while waiting to " + what + " again", e);
        }
    }

    private void retrying(String what, int status, String body, long pauseNanos) {
        RETRIED.incrementAndGet();
        LOG.debug(
                "Consul answered {} to {} ({}); sending it again in {} ms",
                status,
                what,
                body == null ? "" : body.strip(),
                TimeUnit.NANOSECONDS.toMillis(pauseNanos));
    }

    private void resending(String what, Throwable failure) {
        RESENT.incrementAndGet();
        LOG.debug("the request to {} failed on its connection ({}); sending it once more", what, failure.toString());
    }

    private void check(int status, String body, String what) {
        if (status == 200) {
            return;
        }
        String text = body == null ? "" : body.strip();
        if (status == 403) {
            throw accessDenied(what, text);
        }
        if (retryableStatus(status)) {
            throw new BackendUnavailableException(
                    null, "Consul at " + base + " could not " + what + ": HTTP " + status + " " + text, null);
        }
        throw new LockException(
                null, "Consul at " + base + " refused to " + what + ": HTTP " + status + " " + text, null);
    }

    private ConsulAccessDeniedException accessDenied(String what, String text) {
        return new ConsulAccessDeniedException("Consul at " + base + " refused to " + what + " (HTTP 403: " + text
                + "): "
                + (token == null ? "ACLs are enabled and no token was given; set one with" : "check the token set with")
                + " ConsulBackend.builder().aclToken(...): it needs session:write and key:write on the backend's key"
                + " prefix");
    }

    private BackendUnavailableException unreachable(String what, Exception cause) {
        return new BackendUnavailableException(
                null, "could not reach Consul at " + base + " to " + what + ": " + cause, cause);
    }

    private RuntimeException translateAsync(Throwable failure, String what) {
        if (failure instanceof CancellationException) {
            return (CancellationException) failure;
        }
        if (failure instanceof RuntimeException && !(failure instanceof UncheckedIOException)) {
            return (RuntimeException) failure;
        }
        return unreachable(what, failure instanceof Exception ? (Exception) failure : new RuntimeException(failure));
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private <T> Response<T> call(String what, Supplier<Response<T>> request) {
        if (closed) {
            throw new IllegalStateException("the Consul client is closed");
        }
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        int connectionFailures = 0;
        OperationException lastRefusal = null;
        for (int n = 1; ; n++) {
            try {
                return request.get();
            } catch (TransportException e) {
                if (++connectionFailures < ATTEMPTS && !closed && resendable(e.getCause())) {
                    resending(what, e.getCause());
                    continue;
                }
                if (lastRefusal != null) {
                    // As in send: Consul's earlier 429 or 5xx says more than the failure that ended the wait.
                    throw refused(what, lastRefusal);
                }
                throw unreachable(what, e);
            } catch (OperationException e) {
                long pause = backoff(n);
                if (retryableStatus(e.getStatusCode())
                        && !closed
                        && deadline - System.nanoTime() - pause > MIN_ATTEMPT_NANOS) {
                    lastRefusal = e;
                    retrying(what, e.getStatusCode(), e.getStatusContent(), pause);
                    pause(pause, what);
                    continue;
                }
                throw refused(what, e);
            }
        }
    }

    private RuntimeException refused(String what, OperationException e) {
        String text = e.getStatusContent() == null ? "" : e.getStatusContent().strip();
        if (e.getStatusCode() == 404) {
            return new NotFound();
        }
        if (e.getStatusCode() == 403) {
            return accessDenied(what, text);
        }
        if (retryableStatus(e.getStatusCode())) {
            return new BackendUnavailableException(
                    null,
                    "Consul at " + base + " could not " + what + ": HTTP " + e.getStatusCode() + " " + text,
                    null);
        }
        return new LockException(
                null, "Consul at " + base + " refused to " + what + ": HTTP " + e.getStatusCode() + " " + text, null);
    }

    private QueryParams params() {
        return datacenter == null ? QueryParams.DEFAULT : new QueryParams(datacenter);
    }

    private static long index(Long index) {
        return index == null || index < 1 ? 1 : index;
    }

    private static KvEntry toEntry(GetBinaryValue v) {
        byte[] value = v.getValue() == null ? new byte[0] : v.getValue();
        String session = v.getSession() == null || v.getSession().isEmpty() ? null : v.getSession();
        return new KvEntry(
                v.getKey(),
                value,
                v.getFlags(),
                v.getCreateIndex(),
                v.getModifyIndex(),
                v.getLockIndex() == null ? 0 : v.getLockIndex(),
                session);
    }

    private static KvEntry toEntry(JsonObject o) {
        JsonElement value = o.get("Value");
        byte[] bytes = value == null || value.isJsonNull()
                ? new byte[0]
                : Base64.getDecoder().decode(value.getAsString());
        JsonElement session = o.get("Session");
        String s =
                session == null || session.isJsonNull() || session.getAsString().isEmpty()
                        ? null
                        : session.getAsString();
        return new KvEntry(
                o.get("Key").getAsString(),
                bytes,
                longOf(o, "Flags"),
                longOf(o, "CreateIndex"),
                longOf(o, "ModifyIndex"),
                longOf(o, "LockIndex"),
                s);
    }

    private static long longOf(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? 0 : e.getAsLong();
    }

    private JsonArray parseArray(String body) {
        try {
            JsonElement e = new JsonParser().parse(body);
            return e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
        } catch (JsonParseException | IllegalStateException e) {
            throw new LockException(null, "Consul at " + base + " sent a KV answer that is not JSON: " + e, e);
        }
    }

    private JsonObject parseObject(String body, String what) {
        try {
            return new JsonParser().parse(body).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new LockException(
                    null, "Consul at " + base + " sent an answer to " + what + " that is not a JSON object: " + e, e);
        }
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

    /** A 404 from consul-api, which the callers that expect it turn into a result. */
    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound() {
            super("404", null, false, false);
        }
    }
}
