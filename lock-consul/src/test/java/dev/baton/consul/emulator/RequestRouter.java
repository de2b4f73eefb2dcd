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

import static dev.baton.consul.emulator.HttpAnswers.respond;
import static dev.baton.consul.emulator.HttpAnswers.respondJson;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP front of every agent of the emulator: the per-client connection cap (429), the agent-wide faults (held
 * requests, a forwarding delay, no leader, a write applied and then answered 500), the ACL checks of each endpoint,
 * the datacenter, and the routing of each request to the KV, transaction and session endpoints. Threadsafe: its
 * settings are volatile or atomic, and the held requests wait on the emulator's monitor.
 */
final class RequestRouter {
    private static final String DATACENTER = "dc1";

    private final Object monitor;
    private final Acls acls;
    private final SessionTable sessions;
    private final BlockingQueries reads;
    private final KvWrites writes;
    private final Transactions txns;

    private volatile boolean answering = true;
    /** A path prefix held unanswered, or null; guarded by the monitor. */
    private String silenced;

    private volatile int maxConnsPerClient = ConsulEmulator.DEFAULT_MAX_CONNS_PER_CLIENT;
    private final Map<String, AtomicInteger> inFlightPerClient = new ConcurrentHashMap<>();
    private final AtomicInteger refusedConnections = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();

    private final AtomicInteger applyThenFail = new AtomicInteger();
    private volatile long noLeaderUntil;
    private volatile Duration forwardingDelay = Duration.ZERO;

    RequestRouter(
            Object monitor,
            Acls acls,
            SessionTable sessions,
            BlockingQueries reads,
            KvWrites writes,
            Transactions txns) {
        this.monitor = monitor;
        this.acls = acls;
        this.sessions = sessions;
        this.reads = reads;
        this.writes = writes;
        this.txns = txns;
    }

    void maxConnsPerClient(int max) {
        maxConnsPerClient = max;
    }

    int mostInFlightPerClient() {
        return mostInFlight.get();
    }

    int refusedForConnectionCap() {
        return refusedConnections.get();
    }

    void applyThenFail(int count) {
        applyThenFail.set(count);
    }

    void noLeaderFor(Duration duration) {
        noLeaderUntil = System.nanoTime() + duration.toNanos();
    }

    void forwardingDelay(Duration delay) {
        forwardingDelay = delay;
    }

    void stopAnswering() {
        answering = false;
    }

    void stopAnswering(String pathPrefix) {
        synchronized (monitor) {
            silenced = pathPrefix;
        }
    }

    void resumeAnswering() {
        synchronized (monitor) {
            answering = true;
            silenced = null;
            monitor.notifyAll();
        }
    }

    /** Serves one request to the agent of {@code node}. */
    void handle(HttpExchange ex, String node) throws IOException {
        AtomicInteger inFlight = inFlightPerClient.computeIfAbsent(
                ex.getRemoteAddress().getAddress().getHostAddress(), ip -> new AtomicInteger());
        int now = inFlight.incrementAndGet();
        try (ex) {
            if (now > maxConnsPerClient) {
                refusedConnections.incrementAndGet();
                ex.getResponseHeaders().set("Connection", "close");
                respond(ex, 429, "Your IP is issuing too many concurrent connections, please rate limit your calls");
                return;
            }
            mostInFlight.accumulateAndGet(now, Math::max);
            route(ex, node);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void route(HttpExchange ex, String node) throws IOException {
        try {
            waitUntilAnswering(ex.getRequestURI().getPath(), node);
            Duration hold = forwardingDelay;
            if (!hold.isZero()) {
                Thread.sleep(hold.toMillis());
            }
            if (noLeaderUntil - System.nanoTime() > 0) {
                respond(ex, 500, "No cluster leader");
                return;
            }
            Map<String, String> q = HttpAnswers.query(ex.getRequestURI().getRawQuery());
            Acls.Caller caller = acls.caller(ex, q);
            if (caller == null) {
                respond(ex, 403, "ACL not found");
                return;
            }
            String denied = Acls.denial(
                    caller, ex.getRequestMethod(), ex.getRequestURI().getPath());
            if (denied != null) {
                respond(ex, 403, denied);
                return;
            }
            if (q.containsKey("dc") && !q.get("dc").equals(DATACENTER)) {
                respond(ex, 500, "No path to datacenter");
                return;
            }
            String path = ex.getRequestURI().getPath(); // decoded, as Go's net/http gives Consul
            String method = ex.getRequestMethod();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (path.startsWith("/v1/kv/")) {
                String key = path.substring("/v1/kv/".length());
                switch (method) {
                    case "GET" -> reads.get(ex, key, q);
                    case "PUT" -> respondWrite(ex, String.valueOf(writes.put(key, q, body)));
                    case "DELETE" -> respondWrite(ex, String.valueOf(writes.delete(key, q)));
                    default -> respond(ex, 405, "method not allowed");
                }
            } else if (path.equals("/v1/txn") && method.equals("PUT")) {
                Transactions.Outcome outcome = txns.apply(body, caller);
                if (outcome.applied()) {
                    respondWrite(ex, outcome.json());
                } else {
                    respondJson(ex, 409, outcome.json(), 0);
                }
            } else if (path.equals("/v1/session/create") && method.equals("PUT")) {
                sessions.create(ex, body, node);
            } else if (path.startsWith("/v1/session/renew/") && method.equals("PUT")) {
                sessions.renew(ex, path.substring("/v1/session/renew/".length()));
            } else if (path.startsWith("/v1/session/destroy/") && method.equals("PUT")) {
                sessions.destroy(ex, path.substring("/v1/session/destroy/".length()));
            } else if (path.startsWith("/v1/session/info/") && method.equals("GET")) {
                sessions.info(ex, path.substring("/v1/session/info/".length()));
            } else if (path.equals("/v1/session/list") && method.equals("GET")) {
                sessions.list(ex);
            } else {
                respond(ex, 404, "no such endpoint in the emulator: " + method + " " + path);
            }
        } catch (BadRequest e) {
            respond(ex, e.status, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            respond(ex, 500, e.toString());
        }
    }

    /** Answers an applied write: 200, or 500 after all if {@link #applyThenFail} is armed. */
    private void respondWrite(HttpExchange ex, String json) throws IOException {
        if (applyThenFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            respond(ex, 500, "leadership lost while committing log");
            return;
        }
        respondJson(ex, 200, json, 0);
    }

    private void waitUntilAnswering(String path, String node) throws InterruptedException {
        synchronized (monitor) {
            while (!answering || (silenced != null && path.startsWith(silenced)) || sessions.failed(node)) {
                monitor.wait();
            }
        }
    }
}
