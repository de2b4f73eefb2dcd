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

import static dev.baton.consul.emulator.HttpAnswers.goDuration;
import static dev.baton.consul.emulator.HttpAnswers.parseDuration;
import static dev.baton.consul.emulator.HttpAnswers.respond;
import static dev.baton.consul.emulator.HttpAnswers.respondJson;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The emulator's sessions and the nodes they live on: the {@code /v1/session} endpoints, TTL timers that invalidate a
 * session {@link ConsulEmulator#SESSION_TTL_MULTIPLIER} &times; TTL after its last renewal, the checks a session is
 * tied to (each node's {@code serfHealth}), and invalidation, which releases or deletes the keys the session holds
 * (through the {@link KvStore}) and sets their lock-delay.
 *
 * <p>Threadsafe: every method takes the emulator's monitor, the one that guards the {@link KvStore}.
 */
final class SessionTable {
    private static final Duration MIN_TTL = Duration.ofSeconds(10);
    private static final Duration MAX_TTL = Duration.ofHours(24);
    private static final Duration MAX_LOCK_DELAY = Duration.ofSeconds(60);
    private static final Duration DEFAULT_LOCK_DELAY = Duration.ofSeconds(15);

    private final Object monitor;
    private final KvStore store;
    private final ScheduledExecutorService timers;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    /** Node name -> whether its serfHealth check is critical (the node failed by gossip). */
    private final Map<String, Boolean> nodeFailed = new HashMap<>();

    private volatile Duration sessionTtlMin = MIN_TTL;

    SessionTable(Object monitor, KvStore store, ScheduledExecutorService timers) {
        this.monitor = monitor;
        this.store = store;
        this.timers = timers;
    }

    /** Sets the server's {@code session_ttl_min}. */
    void sessionTtlMin(Duration min) {
        sessionTtlMin = min;
    }

    /** A node joins, healthy. */
    void addNode(String node) {
        synchronized (monitor) {
            nodeFailed.put(node, false);
        }
    }

    /** Whether the node's serfHealth check is critical. */
    boolean failed(String node) {
        synchronized (monitor) {
            return nodeFailed.getOrDefault(node, false);
        }
    }

    /** The node's serfHealth check turns critical: every session tied to it is destroyed. */
    void failNode(String node) {
        synchronized (monitor) {
            nodeFailed.put(node, true);
            for (Session s : new ArrayList<>(sessions.values())) {
                if (s.node.equals(node) && s.checks().contains(ConsulEmulator.SERF_CHECK)) {
                    invalidate(s.id);
                }
            }
        }
    }

    /** The node's serfHealth check passes again; requests held for it are woken. */
    void recoverNode(String node) {
        synchronized (monitor) {
            nodeFailed.put(node, false);
            monitor.notifyAll();
        }
    }

    /** Every node is healthy again (the emulator closing). */
    void recoverAllNodes() {
        synchronized (monitor) {
            nodeFailed.replaceAll((node, failed) -> false);
        }
    }

    /** The node is deregistered: every session on it is invalidated, with checks or without. */
    void nodeLeft(String node) {
        synchronized (monitor) {
            for (Session s : new ArrayList<>(sessions.values())) {
                if (s.node.equals(node)) {
                    invalidate(s.id);
                }
            }
        }
    }

    /** The checks of a live session, or null. */
    List<String> checks(String id) {
        synchronized (monitor) {
            Session s = sessions.get(id);
            return s == null ? null : s.checks();
        }
    }

    /** Whether a session exists. */
    boolean live(String id) {
        synchronized (monitor) {
            return id != null && sessions.containsKey(id);
        }
    }

    /** The number of live sessions with a name. */
    int count(String name) {
        synchronized (monitor) {
            return (int)
                    sessions.values().stream().filter(s -> s.name.equals(name)).count();
        }
    }

    /** A new leader re-arms every session's TTL timer from now. */
    void rearmAll() {
        synchronized (monitor) {
            sessions.values().forEach(this::arm);
        }
    }

    /** Copies of the live sessions, for a snapshot. */
    List<Session> snapshot() {
        synchronized (monitor) {
            List<Session> s = new ArrayList<>();
            sessions.values().forEach(x -> s.add(x.copy()));
            return s;
        }
    }

    /** Replaces the sessions by a snapshot's, with fresh TTL timers. */
    void restore(List<Session> saved) {
        synchronized (monitor) {
            for (Session s : sessions.values()) {
                if (s.timer != null) {
                    s.timer.cancel(false);
                }
            }
            sessions.clear();
            for (Session s : saved) {
                Session c = s.copy();
                sessions.put(c.id, c);
                arm(c);
            }
        }
    }

    /** {@code PUT /v1/session/create}, on the agent of {@code node}. */
    void create(HttpExchange ex, byte[] body, String node) throws IOException {
        JsonObject req = body.length == 0
                ? new JsonObject()
                : JsonParser.parseString(new String(body, StandardCharsets.UTF_8))
                        .getAsJsonObject();
        Session s = new Session();
        s.id = UUID.randomUUID().toString();
        s.node = node;
        defaultChecks(s, req);
        s.name = req.has("Name") ? req.get("Name").getAsString() : "";
        s.behavior = req.has("Behavior") ? req.get("Behavior").getAsString() : "release";
        if (!s.behavior.equals("release") && !s.behavior.equals("delete")) {
            throw new BadRequest(400, "Invalid Behavior setting '" + s.behavior + "'");
        }
        s.lockDelay = DEFAULT_LOCK_DELAY;
        if (req.has("LockDelay")) {
            JsonElement d = req.get("LockDelay");
            if (d.getAsJsonPrimitive().isNumber()) {
                // FixupLockDelay: numbers below 1000 are seconds, others nanoseconds.
                double n = d.getAsDouble();
                s.lockDelay = n < 1000 ? Duration.ofMillis((long) (n * 1000)) : Duration.ofNanos((long) n);
            } else {
                s.lockDelay = parseDuration(d.getAsString());
            }
        }
        if (s.lockDelay.compareTo(MAX_LOCK_DELAY) > 0) {
            s.lockDelay = MAX_LOCK_DELAY;
        }
        String ttl = req.has("TTL") ? req.get("TTL").getAsString() : "";
        if (!ttl.isEmpty()) {
            s.ttl = parseDuration(ttl);
            Duration min = sessionTtlMin;
            if (s.ttl.compareTo(min) < 0 || s.ttl.compareTo(MAX_TTL) > 0) {
                throw new BadRequest(
                        500,
                        "Invalid Session TTL '" + s.ttl.toNanos() + "', must be between [" + goDuration(min)
                                + "=24h0m0s]");
            }
            s.ttlText = ttl;
        }
        synchronized (monitor) {
            for (String check : s.checks()) {
                // Session.Apply validates the checks in the state store (agent/consul/state/session.go
                // sessionCreateTxn): a critical one refuses the session.
                if (!check.equals(ConsulEmulator.SERF_CHECK)) {
                    throw new BadRequest(500, "Missing check '" + check + "' registration");
                }
                if (nodeFailed.getOrDefault(node, false)) {
                    throw new BadRequest(500, "Check '" + check + "' is in critical state");
                }
            }
            s.createIndex = store.nextIndex();
            store.advance(s.createIndex);
            s.modifyIndex = s.createIndex;
            sessions.put(s.id, s);
            arm(s);
        }
        JsonObject answer = new JsonObject();
        answer.addProperty("ID", s.id);
        respondJson(ex, 200, answer.toString(), 0);
    }

    /**
     * The session's checks as Consul's agent decides them (agent/session_endpoint.go, SessionCreate and
     * fixupEmptySessionChecks, Consul 1.7 and later): {@code NodeChecks} and the deprecated {@code Checks} both
     * default to {@code [serfHealth]}; a {@code Checks} sent empty empties {@code NodeChecks} too; a {@code Checks}
     * left at the default is dropped in favour of {@code NodeChecks}; a {@code NodeChecks} sent empty drops the
     * default {@code Checks}. Before 1.7 only {@code Checks} existed, defaulted the same way and could be sent empty.
     */
    private static void defaultChecks(Session s, JsonObject req) {
        List<String> serf = List.of(ConsulEmulator.SERF_CHECK);
        List<String> nodeChecks = req.has("NodeChecks") ? strings(req.get("NodeChecks")) : serf;
        List<String> checks = req.has("Checks") ? strings(req.get("Checks")) : serf;
        List<String> serviceChecks = req.has("ServiceChecks") ? strings(req.get("ServiceChecks")) : List.of();
        if (checks.isEmpty()) {
            nodeChecks = List.of();
        } else if (checks.equals(serf) || nodeChecks.isEmpty()) {
            checks = List.of();
        }
        s.nodeChecks = nodeChecks;
        s.legacyChecks = checks;
        s.serviceChecks = serviceChecks;
    }

    private static List<String> strings(JsonElement e) {
        List<String> out = new ArrayList<>();
        if (e != null && e.isJsonArray()) {
            for (JsonElement x : e.getAsJsonArray()) {
                out.add(x.isJsonObject() ? x.getAsJsonObject().get("ID").getAsString() : x.getAsString());
            }
        }
        return out;
    }

    /** {@code PUT /v1/session/renew/:id}: re-arms the timer; 404 for a session that is gone. */
    void renew(HttpExchange ex, String id) throws IOException {
        Session s;
        synchronized (monitor) {
            s = sessions.get(id);
            if (s != null) {
                arm(s);
            }
        }
        if (s == null) {
            respond(ex, 404, "Session id '" + id + "' not found");
            return;
        }
        JsonArray out = new JsonArray();
        out.add(s.json());
        respondJson(ex, 200, out.toString(), 0);
    }

    /** {@code PUT /v1/session/destroy/:id}. */
    void destroy(HttpExchange ex, String id) throws IOException {
        invalidate(id);
        respondJson(ex, 200, "true", 0);
    }

    /** {@code GET /v1/session/info/:id}: the session, or an empty list. */
    void info(HttpExchange ex, String id) throws IOException {
        JsonArray out = new JsonArray();
        long at;
        synchronized (monitor) {
            Session s = sessions.get(id);
            if (s != null) {
                out.add(s.json());
            }
            at = store.index();
        }
        respondJson(ex, 200, out.toString(), at);
    }

    /** {@code GET /v1/session/list}. */
    void list(HttpExchange ex) throws IOException {
        JsonArray all = new JsonArray();
        long at;
        synchronized (monitor) {
            sessions.values().forEach(s -> all.add(s.json()));
            at = store.index();
        }
        respondJson(ex, 200, all.toString(), at);
    }

    /** Arms the TTL timer as Consul's resetSessionTimer does: at TTL x SESSION_TTL_MULTIPLIER from now. */
    private void arm(Session s) {
        if (s.ttl == null) {
            return;
        }
        if (s.timer != null) {
            s.timer.cancel(false);
        }
        long delay = s.ttl.toNanos() * ConsulEmulator.SESSION_TTL_MULTIPLIER;
        s.timer = timers.schedule(
                () -> {
                    synchronized (monitor) {
                        if (sessions.get(s.id) == s) {
                            invalidate(s.id);
                        }
                    }
                },
                delay,
                TimeUnit.NANOSECONDS);
    }

    /** deleteSessionTxn: releases or deletes the held keys, and sets their lock-delay. */
    private void invalidate(String id) {
        synchronized (monitor) {
            Session s = sessions.remove(id);
            if (s == null) {
                return;
            }
            if (s.timer != null) {
                s.timer.cancel(false);
            }
            store.releaseHeldBy(id, s.behavior.equals("delete"), s.lockDelay);
        }
    }
}
