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

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.LockException;
import java.io.IOException;
import java.io.InterruptedIOException;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the backend's non-blocking requests to one agent through the JDK's {@link HttpClient}, again when that is
 * safe and time is left, and turns what cannot be served into the backend's exceptions. See {@link ConsulApiHttp} for
 * why every request the backend sends may be sent twice.
 *
 * <p><b>A request that fails on its connection is sent once more, at once</b>, and only once. For a {@code GET} the
 * JDK client does that itself: it sends a {@code GET} once more when the pooled connection it reused closed without an
 * answer (its {@code ConnectionExpiredException}), which is the case this is for, so a {@code GET} is not sent again
 * here (that would make up to four sendings). A {@code PUT} the JDK client never sends again; it is sent once more here
 * after an {@link IOException} other than a failure to connect, a timeout or a TLS handshake failure (the client does
 * not say whether the connection came from its pool, so any failure on an established one counts). <b>429 and 5xx are sent again after a pause</b> of 50 ms,
 * doubling to 1 s, with jitter, while the request timeout leaves time for it; the last answer counts. Consul answers
 * 500 while it has no leader ({@code No cluster leader}), when a Raft apply fails on leadership loss or timeout
 * (possibly after the entry committed), and on RPC errors while forwarding; 429 when the agent's rate or connection
 * limits are hit. A 500 {@code Invalid Session TTL} is permanent and not sent again.
 *
 * <p>Counts its resent and retried requests, for tests and diagnostics. Threadsafe.
 */
final class RequestSender {
    /** At most this many sendings after failures on the connection: the first, and one more. */
    static final int ATTEMPTS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RequestSender.class);
    private static final String TOKEN_HEADER = "X-Consul-Token";
    private static final String INVALID_TTL = "Invalid Session TTL";
    /** No sending is started with less than this left of the request timeout. */
    private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final HttpClient client;
    private final URI base;
    private final String token;
    private final String datacenter;
    private final Duration requestTimeout;
    private final AclDenials denials;
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private volatile boolean closed;

    RequestSender(
            HttpClient client, URI base, String token, String datacenter, Duration requestTimeout, AclDenials denials) {
        this.client = client;
        this.base = base;
        this.token = token;
        this.datacenter = datacenter;
        this.requestTimeout = requestTimeout;
        this.denials = denials;
    }

    /**
     * Tells whether a request that failed with {@code failure} is sent again: a failure on an established connection,
     * not a failure to connect, a timeout or a TLS handshake failure.
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

    /** A request to the agent, with the datacenter and the token (a header, never in the URL). */
    HttpRequest.Builder request(String path, String query, Duration timeout) {
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

    /** A non-blocking request: {@link #request} with the request timeout. */
    HttpRequest.Builder request(String path, String query) {
        return request(path, query, requestTimeout);
    }

    /**
     * Sends a request, and again while time is left of the request timeout: once more at once if it failed on its
     * connection, and after a growing pause while Consul answers 429 or 5xx; sets {@code resentOut[0]} when it sent
     * the request more than once (the first sending may have been applied). Returns the last answer, whatever its
     * status, when no time is left for another sending, or when a sending after a 429 or 5xx fails on its connection
     * or times out.
     *
     * @throws BackendUnavailableException if no answer came
     * @throws IllegalStateException if closed
     */
    HttpResponse<String> send(HttpRequest request, String what, boolean[] resentOut) {
        if (closed) {
            throw new IllegalStateException("the Consul client is closed");
        }
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        // The JDK client has sent a GET once more already when it met a closed pooled connection.
        boolean resentByClient = "GET".equals(request.method());
        HttpRequest attempt = request;
        IOException first = null;
        HttpResponse<String> lastAnswer = null;
        int connectionFailures = 0;
        for (int n = 1; ; n++) {
            try {
                HttpResponse<String> answer =
                        client.send(attempt, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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
                resentOut[0] = true;
                attempt = HttpRequest.newBuilder(request, (name, value) -> true)
                        .timeout(Duration.ofNanos(left))
                        .build();
            } catch (IOException e) {
                long left = deadline - System.nanoTime();
                if (++connectionFailures >= ATTEMPTS || resentByClient || closed || left <= 0 || !resendable(e)) {
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
                resentOut[0] = true;
                attempt = HttpRequest.newBuilder(request, (name, value) -> true)
                        .timeout(Duration.ofNanos(left))
                        .build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendUnavailableException(null, "interrupted while waiting for Consul to " + what, e);
            }
        }
    }

    /** {@link #send(HttpRequest, String, boolean[])} where sending twice needs no further check. */
    HttpResponse<String> send(HttpRequest request, String what) {
        return send(request, what, new boolean[1]);
    }

    /**
     * Throws what an answer other than 200 means: {@link dev.baton.lock.AccessDeniedException} for 403 (naming
     * {@code rule}), {@link BackendUnavailableException} for 429 and 5xx, {@link LockException} otherwise.
     */
    void check(HttpResponse<String> answer, String what, String rule) {
        int status = answer.statusCode();
        if (status == 200) {
            return;
        }
        String text = answer.body() == null ? "" : answer.body().strip();
        if (status == 403) {
            throw denials.denied(what, "HTTP 403: " + text, rule);
        }
        if (retryableStatus(status)) {
            throw new BackendUnavailableException(
                    null, "Consul at " + base + " could not " + what + ": HTTP " + status + " " + text, null);
        }
        throw new LockException(
                null, "Consul at " + base + " refused to " + what + ": HTTP " + status + " " + text, null);
    }

    BackendUnavailableException unreachable(String what, Exception cause) {
        return new BackendUnavailableException(
                null, "could not reach Consul at " + base + " to " + what + ": " + cause, cause);
    }

    private void resending(String what, Throwable failure) {
        resent.incrementAndGet();
        LOG.debug("the request to {} failed on its connection ({}); sending it once more", what, failure.toString());
    }

    long resentRequests() {
        return resent.get();
    }

    long retriedRequests() {
        return retried.get();
    }

    boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
    }

    private void retrying(String what, int status, String body, long pauseNanos) {
        retried.incrementAndGet();
        LOG.debug(
                "Consul answered {} to {} ({}); sending it again in {} ms",
                status,
                what,
                body == null ? "" : body.strip(),
                TimeUnit.NANOSECONDS.toMillis(pauseNanos));
    }

    private static void pause(long nanos, String what) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException(null, "interrupted while waiting to " + what + " again", e);
        }
    }
}
