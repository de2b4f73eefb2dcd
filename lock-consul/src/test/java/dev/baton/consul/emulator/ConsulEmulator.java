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
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process emulator of the part of the Consul HTTP API that the Consul backend uses, with Consul's documented
 * semantics: sessions (create, renew, destroy, info, list) with TTL invalidation at 2 &times; TTL after the last
 * renewal, behaviours {@code release} and {@code delete}, lock-delay; KV reads with {@code ?recurse} and blocking
 * queries ({@code ?index=}, {@code ?wait=}, {@code X-Consul-Index}); writes with {@code ?cas}, {@code ?acquire},
 * {@code ?release}; {@code DELETE} with {@code ?cas} and {@code ?recurse}; {@code /v1/txn} with the KV verbs the backend
 * sends; {@code CreateIndex}, {@code ModifyIndex} and {@code LockIndex} from one Raft-like index; tombstones so that a
 * prefix's index never slides back on delete; 403 when ACLs are on and the token is missing or wrong. Each behaviour has
 * a test in {@code ConsulEmulatorTest} that names the Consul documentation page it follows.
 *
 * <p>Test code only. It listens on 127.0.0.1 on a free port and uses daemon threads; {@link #close()} stops it.
 * Threadsafe: one monitor guards the state and wakes blocking queries.
 */
public final class ConsulEmulator implements AutoCloseable {
    /** Consul's {@code structs.SessionTTLMultiplier}: a session is invalidated 2 x TTL after its last renewal. */
    public static final int SESSION_TTL_MULTIPLIER = 2;

    private static final Duration MIN_TTL = Duration.ofSeconds(10);
    private static final Duration MAX_TTL = Duration.ofHours(24);
    private static final Duration MAX_LOCK_DELAY = Duration.ofSeconds(60);
    private static final Duration DEFAULT_LOCK_DELAY = Duration.ofSeconds(15);
    private static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)");
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final Object monitor = new Object();
    private final TreeMap<String, Kv> kvs = new TreeMap<>();
    private final TreeMap<String, Long> tombstones = new TreeMap<>();
    private final Map<String, Long> touched = new HashMap<>();
    private final Map<String, Long> lockDelays = new HashMap<>();
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService timers;
    private final String datacenter = "dc1";
    private long index = 10;
    private volatile String aclToken;
    private volatile boolean answering = true;
    private String silenced;

    private ConsulEmulator() throws IOException {
        int id = SERVERS.incrementAndGet();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "consul-emulator-" + id + "-http");
            t.setDaemon(true);
            return t;
        });
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consul-emulator-" + id + "-ttl");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Runs an emulator in a JVM of its own until that JVM is stopped, printing its address, so that the real-agent kit
     * can be pointed at it with {@code CONSUL_HTTP_ADDR} (a check of that path where no Consul can be installed; the
     * kit then proves nothing about Consul itself).
     *
     * @param args none
     * @throws InterruptedException never, in practice
     */
    public static void main(String[] args) throws InterruptedException {
        ConsulEmulator emulator = start();
        System.out.println(emulator.address());
        Thread.currentThread().join();
    }

    /**
     * Starts an emulator on 127.0.0.1 and a free port.
     *
     * @return the running emulator
     */
    public static ConsulEmulator start() {
        try {
            return new ConsulEmulator();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the Consul emulator", e);
        }
    }

    /**
     * Returns the address to give a client, {@code http://127.0.0.1:port}.
     *
     * @return the address
     */
    public String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Turns ACLs on with one token that may do everything (default policy deny), or off with null.
     *
     * @param token the token, or null
     */
    public void requireToken(String token) {
        this.aclToken = token;
    }

    /** Stops answering: requests are accepted and then held without an answer until {@link #resumeAnswering()}. */
    public void stopAnswering() {
        answering = false;
    }

    /**
     * Stops answering the requests whose path starts with {@code pathPrefix} (for example one session's renewals),
     * until {@link #resumeAnswering()}.
     *
     * @param pathPrefix the path prefix, such as {@code /v1/session/renew/<id>}
     */
    public void stopAnswering(String pathPrefix) {
        synchronized (monitor) {
            silenced = pathPrefix;
        }
    }

    /**
     * Returns the session holding the oldest key (lowest {@code CreateIndex}) under a prefix: a queue's head.
     *
     * @param prefix the prefix
     * @return the session id, or null
     */
    public String oldestHolder(String prefix) {
        synchronized (monitor) {
            return list(prefix).stream()
                    .min((x, y) -> Long.compare(x.createIndex, y.createIndex))
                    .map(kv -> kv.session)
                    .orElse(null);
        }
    }

    /** Answers again; held requests are answered now. */
    public void resumeAnswering() {
        synchronized (monitor) {
            answering = true;
            silenced = null;
            monitor.notifyAll();
        }
    }

    /**
     * Returns the keys stored under a prefix.
     *
     * @param prefix the prefix
     * @return the keys, in key order
     */
    public List<String> keys(String prefix) {
        synchronized (monitor) {
            return new ArrayList<>(kvs.subMap(prefix, true, prefix + Character.MAX_VALUE, false)
                    .keySet());
        }
    }

    /**
     * Counts live sessions with a name.
     *
     * @param name the name
     * @return the count
     */
    public int sessions(String name) {
        synchronized (monitor) {
            return (int)
                    sessions.values().stream().filter(s -> s.name.equals(name)).count();
        }
    }

    @Override
    public void close() {
        resumeAnswering();
        server.stop(0);
        timers.shutdownNow();
        handlers.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // HTTP

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            route(ex);
        }
    }

    private void route(HttpExchange ex) throws IOException {
        try {
            waitUntilAnswering(ex.getRequestURI().getPath());
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String required = aclToken;
            if (required != null) {
                String token = ex.getRequestHeaders().getFirst("X-Consul-Token");
                if (token == null) {
                    token = q.get("token");
                }
                if (token == null || token.isEmpty()) {
                    respond(ex, 403, "Permission denied: anonymous token lacks permission");
                    return;
                }
                if (!token.equals(required)) {
                    respond(ex, 403, "ACL not found");
                    return;
                }
            }
            if (q.containsKey("dc") && !q.get("dc").equals(datacenter)) {
                respond(ex, 500, "No path to datacenter");
                return;
            }
            String path = ex.getRequestURI().getPath(); // decoded, as Go's net/http gives Consul
            String method = ex.getRequestMethod();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (path.startsWith("/v1/kv/")) {
                String key = path.substring("/v1/kv/".length());
                switch (method) {
                    case "GET" -> kvGet(ex, key, q);
                    case "PUT" -> respondJson(ex, 200, String.valueOf(kvPut(key, q, body)), 0);
                    case "DELETE" -> respondJson(ex, 200, String.valueOf(kvDelete(key, q)), 0);
                    default -> respond(ex, 405, "method not allowed");
                }
            } else if (path.equals("/v1/txn") && method.equals("PUT")) {
                txn(ex, body);
            } else if (path.equals("/v1/session/create") && method.equals("PUT")) {
                sessionCreate(ex, body);
            } else if (path.startsWith("/v1/session/renew/") && method.equals("PUT")) {
                sessionRenew(ex, path.substring("/v1/session/renew/".length()));
            } else if (path.startsWith("/v1/session/destroy/") && method.equals("PUT")) {
                synchronized (monitor) {
                    invalidate(path.substring("/v1/session/destroy/".length()));
                }
                respondJson(ex, 200, "true", 0);
            } else if (path.startsWith("/v1/session/info/") && method.equals("GET")) {
                sessionInfo(ex, path.substring("/v1/session/info/".length()));
            } else if (path.equals("/v1/session/list") && method.equals("GET")) {
                JsonArray all = new JsonArray();
                long at;
                synchronized (monitor) {
                    sessions.values().forEach(s -> all.add(s.json()));
                    at = index;
                }
                respondJson(ex, 200, all.toString(), at);
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

    private void waitUntilAnswering(String path) throws InterruptedException {
        synchronized (monitor) {
            while (!answering || (silenced != null && path.startsWith(silenced))) {
                monitor.wait();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // KV

    private void kvGet(HttpExchange ex, String key, Map<String, String> q) throws IOException, InterruptedException {
        boolean recurse = q.containsKey("recurse");
        long minIndex = q.containsKey("index") ? Long.parseLong(q.get("index")) : 0;
        Duration wait = q.containsKey("wait") ? parseDuration(q.get("wait")) : DEFAULT_WAIT;
        if (wait.compareTo(MAX_WAIT) > 0) {
            wait = MAX_WAIT;
        }
        // Consul adds a random jitter of up to wait/16.
        long jitter = wait.toNanos() / 16 > 0 ? ThreadLocalRandom.current().nextLong(wait.toNanos() / 16) : 0;
        long deadline = System.nanoTime() + wait.toNanos() + jitter;
        long at;
        List<Kv> found;
        synchronized (monitor) {
            while (true) {
                found = recurse ? list(key) : single(key);
                at = recurse ? prefixIndex(key, found) : singleIndex(found);
                if (minIndex == 0 || at > minIndex) {
                    break;
                }
                // Sleep until what the query reads changes (as Consul's memdb watch set fires), or the wait ends.
                long touchedBefore = lastTouch(key, recurse);
                long remaining = deadline - System.nanoTime();
                while (remaining > 0 && lastTouch(key, recurse) == touchedBefore) {
                    TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
                    remaining = deadline - System.nanoTime();
                }
                if (remaining <= 0) {
                    found = recurse ? list(key) : single(key);
                    at = recurse ? prefixIndex(key, found) : singleIndex(found);
                    break;
                }
            }
        }
        if (found.isEmpty()) {
            respondJson(ex, 404, "", at);
            return;
        }
        JsonArray out = new JsonArray();
        found.forEach(kv -> out.add(kv.json(true)));
        respondJson(ex, 200, out.toString(), at);
    }

    private List<Kv> single(String key) {
        Kv kv = kvs.get(key);
        return kv == null ? List.of() : List.of(kv.copy());
    }

    private List<Kv> list(String prefix) {
        List<Kv> out = new ArrayList<>();
        kvs.subMap(prefix, true, prefix + Character.MAX_VALUE, false).values().forEach(kv -> out.add(kv.copy()));
        return out;
    }

    /** KVS.Get: the key's ModifyIndex, or the table index when the key is absent. */
    private long singleIndex(List<Kv> found) {
        return found.isEmpty() ? Math.max(1, index) : found.get(0).modifyIndex;
    }

    /** KVS.List: the highest ModifyIndex or tombstone under the prefix, else the table index. */
    private long prefixIndex(String prefix, List<Kv> found) {
        long max = 0;
        for (Kv kv : found) {
            max = Math.max(max, kv.modifyIndex);
        }
        for (long t : tombstones
                .subMap(prefix, true, prefix + Character.MAX_VALUE, false)
                .values()) {
            max = Math.max(max, t);
        }
        return max == 0 ? Math.max(1, index) : max;
    }

    private long lastTouch(String key, boolean recurse) {
        if (!recurse) {
            return touched.getOrDefault(key, 0L);
        }
        long max = 0;
        for (Map.Entry<String, Long> e : touched.entrySet()) {
            if (e.getKey().startsWith(key)) {
                max = Math.max(max, e.getValue());
            }
        }
        return max;
    }

    private boolean kvPut(String key, Map<String, String> q, byte[] body) {
        synchronized (monitor) {
            Kv entry = new Kv(key, body, q.containsKey("flags") ? Long.parseUnsignedLong(q.get("flags")) : 0);
            // As Consul's PUT handler: ?cas sets the op, then ?acquire, then ?release override it.
            String op = "set";
            long cas = 0;
            String session = null;
            if (q.containsKey("cas")) {
                op = "cas";
                cas = Long.parseLong(q.get("cas"));
            }
            if (q.containsKey("acquire")) {
                op = "lock";
                session = q.get("acquire");
            }
            if (q.containsKey("release")) {
                op = "unlock";
                session = q.get("release");
            }
            long idx = index + 1;
            boolean ok;
            switch (op) {
                case "cas" -> ok = setCas(idx, entry, cas, kvs);
                case "lock" -> {
                    if (lockDelayed(key)) {
                        return false;
                    }
                    ok = lock(idx, entry, session, kvs);
                }
                case "unlock" -> ok = unlock(idx, entry, session, kvs);
                default -> {
                    set(idx, entry, kvs);
                    ok = true;
                }
            }
            if (ok) {
                commit(idx, List.of(key));
            }
            return ok;
        }
    }

    private boolean kvDelete(String key, Map<String, String> q) {
        synchronized (monitor) {
            long idx = index + 1;
            List<String> changed = new ArrayList<>();
            if (q.containsKey("recurse")) {
                for (String k : new ArrayList<>(
                        kvs.subMap(key, true, key + Character.MAX_VALUE, false).keySet())) {
                    delete(idx, k, kvs, tombstones);
                    changed.add(k);
                }
            } else if (q.containsKey("cas")) {
                long cas = Long.parseLong(q.get("cas"));
                if (cas == 0) {
                    return false;
                }
                Kv existing = kvs.get(key);
                // KVSDeleteCAS: a missing key counts as deleted (true); a stale index does nothing (false).
                if (existing == null) {
                    return true;
                }
                if (existing.modifyIndex != cas) {
                    return false;
                }
                delete(idx, key, kvs, tombstones);
                changed.add(key);
            } else if (kvs.containsKey(key)) {
                delete(idx, key, kvs, tombstones);
                changed.add(key);
            }
            if (!changed.isEmpty()) {
                commit(idx, changed);
            }
            return true;
        }
    }

    private void txn(HttpExchange ex, byte[] body) throws IOException {
        JsonArray ops =
                new JsonParser().parse(new String(body, StandardCharsets.UTF_8)).getAsJsonArray();
        if (ops.size() > 128) {
            throw new BadRequest(413, "Transaction contains too many operations (" + ops.size() + " > 128)");
        }
        JsonArray results = new JsonArray();
        JsonArray errors = new JsonArray();
        synchronized (monitor) {
            TreeMap<String, Kv> draft = new TreeMap<>();
            kvs.forEach((k, v) -> draft.put(k, v.copy()));
            TreeMap<String, Long> draftTombs = new TreeMap<>(tombstones);
            long idx = index + 1;
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
                        result = set(idx, entry, draft);
                        changed.add(key);
                    }
                    case "cas" -> {
                        if (setCas(idx, entry, opIndex, draft)) {
                            result = draft.get(key);
                            changed.add(key);
                        } else {
                            error = "failed to set key \"" + key + "\", index is stale";
                        }
                    }
                    case "lock" -> {
                        if (lockDelayed(key)) {
                            error = "failed to lock key \"" + key + "\" due to lock delay";
                        } else if (session == null || !sessions.containsKey(session)) {
                            error = "invalid session \"" + session + "\"";
                        } else if (lock(idx, entry, session, draft)) {
                            result = draft.get(key);
                            changed.add(key);
                        } else {
                            error = "failed to lock key \"" + key + "\", lock is already held";
                        }
                    }
                    case "unlock" -> {
                        if (unlock(idx, entry, session, draft)) {
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
                            delete(idx, key, draft, draftTombs);
                            changed.add(key);
                        }
                    }
                    case "delete-cas" -> {
                        Kv e = draft.get(key);
                        if (e != null && e.modifyIndex != opIndex) {
                            error = "failed to delete key \"" + key + "\", index is stale";
                        } else if (e != null) {
                            delete(idx, key, draft, draftTombs);
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
                JsonObject answer = new JsonObject();
                answer.add("Results", null);
                answer.add("Errors", errors);
                respondJson(ex, 409, answer.toString(), 0);
                return;
            }
            if (!changed.isEmpty()) {
                kvs.clear();
                kvs.putAll(draft);
                tombstones.clear();
                tombstones.putAll(draftTombs);
                commit(idx, changed);
            }
        }
        JsonObject answer = new JsonObject();
        answer.add("Results", results);
        answer.add("Errors", null);
        respondJson(ex, 200, answer.toString(), 0);
    }

    /** kvsSetTxn: keeps CreateIndex and the existing session. */
    private static Kv set(long idx, Kv entry, TreeMap<String, Kv> store) {
        Kv existing = store.get(entry.key);
        entry.createIndex = existing == null ? idx : existing.createIndex;
        entry.lockIndex = existing == null ? 0 : existing.lockIndex;
        entry.session = existing == null ? null : existing.session;
        entry.modifyIndex = idx;
        store.put(entry.key, entry);
        return entry;
    }

    /** kvsSetCASTxn: index 0 means create only if absent; otherwise ModifyIndex must match. */
    private static boolean setCas(long idx, Kv entry, long cas, TreeMap<String, Kv> store) {
        Kv existing = store.get(entry.key);
        if (cas == 0 && existing != null) {
            return false;
        }
        if (cas != 0 && (existing == null || existing.modifyIndex != cas)) {
            return false;
        }
        set(idx, entry, store);
        return true;
    }

    /** kvsLockTxn: the session must exist; a key held by another session is refused. */
    private boolean lock(long idx, Kv entry, String session, TreeMap<String, Kv> store) {
        if (session == null || !sessions.containsKey(session)) {
            return false;
        }
        Kv existing = store.get(entry.key);
        if (existing != null && existing.session != null && !existing.session.equals(session)) {
            return false;
        }
        entry.createIndex = existing == null ? idx : existing.createIndex;
        entry.lockIndex =
                existing == null ? 1 : (session.equals(existing.session) ? existing.lockIndex : existing.lockIndex + 1);
        entry.session = session;
        entry.modifyIndex = idx;
        store.put(entry.key, entry);
        return true;
    }

    /** kvsUnlockTxn: only the holder unlocks; LockIndex is kept, the session cleared, the value written. */
    private static boolean unlock(long idx, Kv entry, String session, TreeMap<String, Kv> store) {
        Kv existing = store.get(entry.key);
        if (existing == null || session == null || !session.equals(existing.session)) {
            return false;
        }
        entry.createIndex = existing.createIndex;
        entry.lockIndex = existing.lockIndex;
        entry.session = null;
        entry.modifyIndex = idx;
        store.put(entry.key, entry);
        return true;
    }

    private static void delete(long idx, String key, TreeMap<String, Kv> store, TreeMap<String, Long> graveyard) {
        if (store.remove(key) != null) {
            graveyard.put(key, idx);
        }
    }

    private boolean lockDelayed(String key) {
        Long until = lockDelays.get(key);
        return until != null && until - System.nanoTime() > 0;
    }

    /** Applies a write at {@code idx}: advances the index and wakes the blocking queries on what changed. */
    private void commit(long idx, List<String> changedKeys) {
        index = idx;
        for (String k : changedKeys) {
            touched.put(k, idx);
        }
        monitor.notifyAll();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sessions

    private void sessionCreate(HttpExchange ex, byte[] body) throws IOException {
        JsonObject req = body.length == 0
                ? new JsonObject()
                : new JsonParser()
                        .parse(new String(body, StandardCharsets.UTF_8))
                        .getAsJsonObject();
        Session s = new Session();
        s.id = UUID.randomUUID().toString();
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
            if (s.ttl.compareTo(MIN_TTL) < 0 || s.ttl.compareTo(MAX_TTL) > 0) {
                throw new BadRequest(
                        500, "Invalid Session TTL '" + s.ttl.toNanos() + "', must be between [10s=24h0m0s]");
            }
            s.ttlText = ttl;
        }
        synchronized (monitor) {
            s.createIndex = ++index;
            s.modifyIndex = s.createIndex;
            sessions.put(s.id, s);
            arm(s);
        }
        JsonObject answer = new JsonObject();
        answer.addProperty("ID", s.id);
        respondJson(ex, 200, answer.toString(), 0);
    }

    private void sessionRenew(HttpExchange ex, String id) throws IOException {
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

    private void sessionInfo(HttpExchange ex, String id) throws IOException {
        JsonArray out = new JsonArray();
        long at;
        synchronized (monitor) {
            Session s = sessions.get(id);
            if (s != null) {
                out.add(s.json());
            }
            at = index;
        }
        respondJson(ex, 200, out.toString(), at);
    }

    /** Arms the TTL timer as Consul's resetSessionTimer does: at TTL x SESSION_TTL_MULTIPLIER from now. */
    private void arm(Session s) {
        if (s.ttl == null) {
            return;
        }
        if (s.timer != null) {
            s.timer.cancel(false);
        }
        long delay = s.ttl.toNanos() * SESSION_TTL_MULTIPLIER;
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

    /** deleteSessionTxn: releases or deletes the held keys, and sets their lock-delay. Caller holds the monitor. */
    private void invalidate(String id) {
        Session s = sessions.remove(id);
        if (s == null) {
            return;
        }
        if (s.timer != null) {
            s.timer.cancel(false);
        }
        long idx = index + 1;
        List<String> changed = new ArrayList<>();
        for (Kv kv : new ArrayList<>(kvs.values())) {
            if (!id.equals(kv.session)) {
                continue;
            }
            if (s.behavior.equals("delete")) {
                delete(idx, kv.key, kvs, tombstones);
            } else {
                kv.session = null;
                kv.modifyIndex = idx;
            }
            changed.add(kv.key);
            if (!s.lockDelay.isZero()) {
                lockDelays.put(kv.key, System.nanoTime() + s.lockDelay.toNanos());
            }
        }
        commit(idx, changed);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            double unit =
                    switch (m.group(2)) {
                        case "ns" -> 1;
                        case "us" -> 1e3;
                        case "ms" -> 1e6;
                        case "s" -> 1e9;
                        case "m" -> 60e9;
                        default -> 3600e9;
                    };
            nanos += (long) (n * unit);
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw new BadRequest(400, "invalid duration \"" + text + "\"");
        }
        return Duration.ofNanos(nanos);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    private static void respond(HttpExchange ex, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void respondJson(HttpExchange ex, int status, String json, long index) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (index > 0) {
            ex.getResponseHeaders().set("X-Consul-Index", Long.toString(index));
            ex.getResponseHeaders().set("X-Consul-KnownLeader", "true");
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class Kv {
        final String key;
        final byte[] value;
        final long flags;
        long createIndex;
        long modifyIndex;
        long lockIndex;
        String session;

        Kv(String key, byte[] value, long flags) {
            this.key = key;
            this.value = value;
            this.flags = flags;
        }

        Kv copy() {
            Kv c = new Kv(key, value, flags);
            c.createIndex = createIndex;
            c.modifyIndex = modifyIndex;
            c.lockIndex = lockIndex;
            c.session = session;
            return c;
        }

        JsonObject json(boolean withValue) {
            JsonObject o = new JsonObject();
            o.addProperty("LockIndex", lockIndex);
            o.addProperty("Key", key);
            o.addProperty("Flags", flags);
            if (withValue && value.length > 0) {
                o.addProperty("Value", Base64.getEncoder().encodeToString(value));
            } else {
                o.add("Value", null);
            }
            if (session != null) {
                o.addProperty("Session", session);
            }
            o.addProperty("CreateIndex", createIndex);
            o.addProperty("ModifyIndex", modifyIndex);
            return o;
        }
    }

    private static final class Session {
        String id;
        String name;
        String behavior;
        Duration lockDelay;
        Duration ttl;
        String ttlText = "";
        long createIndex;
        long modifyIndex;
        ScheduledFuture<?> timer;

        JsonObject json() {
            JsonObject o = new JsonObject();
            o.addProperty("ID", id);
            o.addProperty("Name", name);
            o.addProperty("Node", "emulator");
            o.addProperty("LockDelay", lockDelay.toNanos());
            o.addProperty("Behavior", behavior);
            o.addProperty("TTL", ttlText);
            o.add("NodeChecks", new JsonArray());
            o.addProperty("CreateIndex", createIndex);
            o.addProperty("ModifyIndex", modifyIndex);
            return o;
        }
    }

    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
