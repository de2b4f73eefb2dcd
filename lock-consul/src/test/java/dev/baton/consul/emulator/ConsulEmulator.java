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
 * prefix's index never slides back on delete; sessions tied to their node's {@code serfHealth} check unless created
 * with empty checks, on agents of several nodes; per-prefix ACL policies with 409 per-operation denials in
 * transactions. Modes as unkind as Consul, each documented on its method with the Consul page or source file it
 * follows: {@link #failNode}, {@link #nodeLeft}, {@link #addToken}, {@link #applyThenFail}, {@link #noLeaderFor},
 * {@link #forwardingDelay}, {@link #reapTombstones}, {@link #restore}, {@link #spuriousWakeups}, {@link
 * #sessionTtlMin}, {@link #maxConnsPerClient}, {@link #electLeader}. Each behaviour has a test in {@code
 * ConsulEmulatorTest} that names the Consul documentation page it follows.
 *
 * <p>Test code only. It listens on 127.0.0.1 on a free port and uses daemon threads; {@link #close()} stops it.
 * Threadsafe: one monitor guards the state and wakes blocking queries.
 */
public final class ConsulEmulator implements AutoCloseable {
    /** Consul's {@code structs.SessionTTLMultiplier}: a session is invalidated 2 x TTL after its last renewal. */
    public static final int SESSION_TTL_MULTIPLIER = 2;

    private static final Duration MIN_TTL = Duration.ofSeconds(10);
    /** Consul's {@code http_max_conns_per_client} default (limits stanza of the agent configuration). */
    public static final int DEFAULT_MAX_CONNS_PER_CLIENT = 200;

    private static final Duration MAX_TTL = Duration.ofHours(24);
    private static final Duration MAX_LOCK_DELAY = Duration.ofSeconds(60);
    private static final Duration DEFAULT_LOCK_DELAY = Duration.ofSeconds(15);
    private static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)");
    private static final AtomicInteger SERVERS = new AtomicInteger();
    /** The node of the agent at {@link #address()}. */
    public static final String PRIMARY_NODE = "emulator";
    /** Consul's {@code structs.SerfCheckID}: the node's gossip health check, every session's default check. */
    public static final String SERF_CHECK = "serfHealth";

    private final Object monitor = new Object();
    private final TreeMap<String, Kv> kvs = new TreeMap<>();
    private final TreeMap<String, Long> tombstones = new TreeMap<>();
    private final Map<String, Long> touched = new HashMap<>();
    private final Map<String, Long> lockDelays = new HashMap<>();
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final HttpServer server;
    private final List<HttpServer> otherAgents = new ArrayList<>();
    /** Node name -> whether its serfHealth check is critical (the node failed by gossip). */
    private final Map<String, Boolean> nodeFailed = new HashMap<>();

    private final ExecutorService handlers;
    private final ScheduledExecutorService timers;
    private final String datacenter = "dc1";
    private long index = 10;
    /** The highest index ever used; above {@link #index} after a snapshot restore took the state back. */
    private long raftIndex;

    private volatile boolean aclsEnabled;
    private final Map<String, AclPolicy> tokens = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile AclPolicy anonymous = AclPolicy.denyAll();
    private volatile boolean answering = true;
    private volatile boolean spuriousWakeups;
    private volatile Duration sessionTtlMin = MIN_TTL;
    private volatile int maxConnsPerClient = DEFAULT_MAX_CONNS_PER_CLIENT;
    private final Map<String, AtomicInteger> inFlightPerClient = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger refusedConnections = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicInteger blockingNow = new AtomicInteger();
    private final AtomicInteger mostBlocking = new AtomicInteger();
    /** Bumped when the state store is replaced (snapshot restore): every blocking query answers at once. */
    private long abandoned;

    private final AtomicInteger applyThenFail = new AtomicInteger();
    private volatile long noLeaderUntil;
    private volatile Duration forwardingDelay = Duration.ZERO;
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
        server.createContext("/", ex -> handle(ex, PRIMARY_NODE));
        server.start();
        nodeFailed.put(PRIMARY_NODE, false);
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
     * Starts one more agent of the same cluster, on a node of its own, and returns its address. Sessions created
     * through an agent belong to its node (Consul's {@code SessionCreate} defaults {@code Node} to the agent's node),
     * so {@link #failNode} and {@link #nodeLeft} can end one client's sessions and not another's.
     *
     * @param node the node's name
     * @return the agent's address, {@code http://127.0.0.1:port}
     */
    public String addAgent(String node) {
        try {
            HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            agent.setExecutor(handlers);
            agent.createContext("/", ex -> handle(ex, node));
            agent.start();
            synchronized (monitor) {
                otherAgents.add(agent);
                nodeFailed.put(node, false);
            }
            return "http://127.0.0.1:" + agent.getAddress().getPort();
        } catch (IOException e) {
            throw new IllegalStateException("could not start another agent of the Consul emulator", e);
        }
    }

    /**
     * A node fails by gossip: its {@code serfHealth} check turns critical, which destroys at once every session that
     * has that check (Consul's state store, {@code agent/consul/state/catalog.go} {@code ensureCheckTxn}: "Delete any
     * sessions for this check if the health is critical"), whatever their TTL; sessions created with no checks are
     * kept. New sessions with that check are refused ({@code Check 'serfHealth' is in critical state}) until {@link
     * #recoverNode}. The node's agent is down with it: requests to it are held unanswered, as by a dead host, until
     * {@link #recoverNode}.
     *
     * @param node the node, {@link #PRIMARY_NODE} or one of {@link #addAgent}
     */
    public void failNode(String node) {
        synchronized (monitor) {
            nodeFailed.put(node, true);
            for (Session s : new ArrayList<>(sessions.values())) {
                if (s.node.equals(node) && s.checks().contains(SERF_CHECK)) {
                    invalidate(s.id);
                }
            }
        }
    }

    /**
     * The node is healthy again: its {@code serfHealth} check passes and its agent answers (held requests too).
     *
     * @param node the node
     */
    public void recoverNode(String node) {
        synchronized (monitor) {
            nodeFailed.put(node, false);
            monitor.notifyAll();
        }
    }

    /**
     * A node leaves the cluster (an agent's {@code consul leave}, or a failed node reaped): the catalog deregisters it,
     * which invalidates every session on it, with checks or without (Consul's {@code agent/consul/state/catalog.go}
     * {@code deleteNodeTxn}: "Invalidate any sessions for this node"). The agent then joins again at once, as one that
     * restarted, and creates new sessions.
     *
     * @param node the node
     */
    public void nodeLeft(String node) {
        synchronized (monitor) {
            for (Session s : new ArrayList<>(sessions.values())) {
                if (s.node.equals(node)) {
                    invalidate(s.id);
                }
            }
        }
    }

    /**
     * Returns the checks a live session is tied to ({@code NodeChecks}, {@code ServiceChecks} and the deprecated
     * {@code Checks}, after Consul's defaults), or null for no such session.
     *
     * @param id the session
     * @return the check ids
     */
    public List<String> sessionChecks(String id) {
        synchronized (monitor) {
            Session s = sessions.get(id);
            return s == null ? null : s.checks();
        }
    }

    /**
     * Turns ACLs on with one token that may do everything and an anonymous token that may do nothing (default policy
     * deny), or off with null.
     *
     * @param token the token, or null
     */
    public void requireToken(String token) {
        tokens.clear();
        anonymous = AclPolicy.denyAll();
        if (token != null) {
            tokens.put(token, AclPolicy.denyAll().key("", Access.WRITE).session(Access.WRITE));
        }
        aclsEnabled = token != null;
    }

    /**
     * Turns ACLs on (if they were not) and adds a token with a policy of its own.
     *
     * @param token the token's secret
     * @param policy what it may do
     */
    public void addToken(String token, AclPolicy policy) {
        tokens.put(token, policy);
        aclsEnabled = true;
    }

    /**
     * Sets what a request without a token may do while ACLs are on (the anonymous token's policy; default: nothing).
     *
     * @param policy the anonymous token's policy
     */
    public void anonymousPolicy(AclPolicy policy) {
        anonymous = policy;
    }

    /**
     * Leader loss during a write: the next {@code writes} writes ({@code /v1/txn} and KV {@code PUT}/{@code DELETE})
     * are applied and then answered 500 {@code leadership lost while committing log}, as when the leader's Raft apply
     * returns {@code raft.ErrLeadershipLost} after the entry was committed (agent/consul/rpc.go raftApply; the HTTP
     * layer turns any RPC error into a 500): the client cannot tell whether its write happened.
     *
     * @param writes how many writes fail so
     */
    public void applyThenFail(int writes) {
        applyThenFail.set(writes);
    }

    /**
     * No leader for a while: every request, on every endpoint, answers 500 {@code No cluster leader} (structs.ErrNoLeader)
     * for {@code duration}, as during an election that takes that long.
     *
     * @param duration how long
     */
    public void noLeaderFor(Duration duration) {
        noLeaderUntil = System.nanoTime() + duration.toNanos();
    }

    /**
     * A forwarding delay: every request is held this long before it is served, as an agent or follower holds an RPC
     * while no leader is known, for up to {@code rpc_hold_timeout} (7 s by default; agent/consul/rpc.go
     * canRetry/forward, https://developer.hashicorp.com/consul/docs/agent/config/config-files#rpc_hold_timeout). A
     * request held longer than the client waits is still applied when it is served. Zero turns it off.
     *
     * @param delay the delay
     */
    public void forwardingDelay(Duration delay) {
        forwardingDelay = delay;
    }

    /**
     * Tombstone reaping: forgets the tombstones of deleted keys, as Consul's leader does after {@code
     * tombstone_ttl}-like GC (agent/consul/state/tombstone_gc.go, kvs.go ReapTombstones). A prefix's index
     * (KVS.List: the highest ModifyIndex or tombstone under it) can then go backwards; the blocking queries on it wake
     * (the tombstones they watch changed) and, as in Consul's blockingQuery, go on waiting while the index is not past
     * theirs, then answer the lower index at the end of their wait
     * (https://developer.hashicorp.com/consul/api-docs/features/blocking: "reset the index if it goes backwards").
     */
    public void reapTombstones() {
        synchronized (monitor) {
            for (String k : tombstones.keySet()) {
                touched.put(k, touched.getOrDefault(k, 0L) + 1);
            }
            tombstones.clear();
            monitor.notifyAll();
        }
    }

    /**
     * Takes a snapshot of the state (KV, tombstones, sessions, index), as {@code consul snapshot save}.
     *
     * @return the snapshot
     */
    public Object snapshot() {
        synchronized (monitor) {
            TreeMap<String, Kv> k = new TreeMap<>();
            kvs.forEach((key, v) -> k.put(key, v.copy()));
            List<Session> s = new ArrayList<>();
            sessions.values().forEach(x -> s.add(x.copy()));
            return new Snapshot(k, new TreeMap<>(tombstones), s, index);
        }
    }

    /**
     * Restores a snapshot, as {@code consul snapshot restore}: the KV store, tombstones, sessions and their indexes go
     * back to what they were, so {@code X-Consul-Index} goes backwards and keys come back with their old {@code
     * CreateIndex}; sessions created since are gone, restored sessions get fresh TTL timers (the leader re-arms every
     * session's timer, agent/consul/leader.go initializeSessionTimers). Every blocking query answers at once with the
     * restored state (the state store abandons its watches on restore, agent/consul/state/state_store.go Abandon).
     * New writes continue from the highest index ever used: Raft's log index does not go back
     * (agent/consul/fsm/fsm.go Restore; https://developer.hashicorp.com/consul/commands/snapshot/restore).
     *
     * @param snapshot what {@link #snapshot} returned
     */
    public void restore(Object snapshot) {
        Snapshot snap = (Snapshot) snapshot;
        synchronized (monitor) {
            for (Session s : sessions.values()) {
                if (s.timer != null) {
                    s.timer.cancel(false);
                }
            }
            raftIndex = Math.max(raftIndex, index);
            kvs.clear();
            snap.kvs.forEach((k, v) -> kvs.put(k, v.copy()));
            tombstones.clear();
            tombstones.putAll(snap.tombstones);
            sessions.clear();
            for (Session s : snap.sessions) {
                Session c = s.copy();
                sessions.put(c.id, c);
                arm(c);
            }
            index = snap.index;
            abandoned++;
            monitor.notifyAll();
        }
    }

    /**
     * Spurious wake-ups: blocking queries answer within about 100 ms with nothing changed, at the same index, as Consul
     * allows (https://developer.hashicorp.com/consul/api-docs/features/blocking: "a blocking query may return before
     * the wait time with no change; clients must handle that").
     *
     * @param on whether to wake queries early
     */
    public void spuriousWakeups(boolean on) {
        spuriousWakeups = on;
    }

    /**
     * Sets the server's {@code session_ttl_min} (default 10 s; a server configuration setting,
     * https://developer.hashicorp.com/consul/docs/agent/config/config-files#session_ttl_min). A session with a shorter
     * TTL is refused with 500 {@code Invalid Session TTL '<ns>', must be between [<min>=24h0m0s]}, as Session.Apply
     * does (agent/consul/session_endpoint.go).
     *
     * @param min the minimum
     */
    public void sessionTtlMin(Duration min) {
        sessionTtlMin = min;
    }

    /**
     * Sets the per-client connection cap, {@code limits.http_max_conns_per_client} (default 200,
     * https://developer.hashicorp.com/consul/docs/agent/config/config-files#http_max_conns_per_client): a client IP
     * that would exceed it is answered 429 and its connection closed. The JDK server does not show connections, so the
     * emulator counts a client's requests in flight (blocking queries included): each holds one connection of its own
     * (HTTP/1.1, no pipelining); idle keep-alive connections, which Consul also counts, are not counted here.
     *
     * @param max the cap
     */
    public void maxConnsPerClient(int max) {
        maxConnsPerClient = max;
    }

    /**
     * Returns the most requests one client had in flight at once since the emulator started (a lower bound on the
     * connections it held).
     *
     * @return the count
     */
    public int mostInFlightPerClient() {
        return mostInFlight.get();
    }

    /**
     * Returns the most blocking queries ({@code GET /v1/kv} with an {@code index}) held at once since the emulator
     * started, all clients together. A query the client aborts counts until its wait ends, as the emulator does not
     * see the abort.
     *
     * @return the count
     */
    public int mostBlockingQueries() {
        return mostBlocking.get();
    }

    /**
     * Returns the blocking queries held now, all clients together (counted as in {@link #mostBlockingQueries()}).
     *
     * @return the count
     */
    public int blockingQueries() {
        return blockingNow.get();
    }

    /**
     * Returns how many requests were refused with 429 for exceeding the per-client connection cap.
     *
     * @return the count
     */
    public int refusedForConnectionCap() {
        return refusedConnections.get();
    }

    /**
     * A leader election: the new leader re-arms every session's TTL timer from now (agent/consul/leader.go
     * establishLeadership, initializeSessionTimers; session timers live only on the leader), so a session not renewed
     * since lives up to 2 x TTL after the election, not after its last renewal.
     */
    public void electLeader() {
        synchronized (monitor) {
            sessions.values().forEach(this::arm);
        }
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
        synchronized (monitor) {
            nodeFailed.replaceAll((node, failed) -> false);
        }
        resumeAnswering();
        server.stop(0);
        synchronized (monitor) {
            otherAgents.forEach(a -> a.stop(0));
        }
        timers.shutdownNow();
        handlers.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // HTTP

    private void handle(HttpExchange ex, String node) throws IOException {
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
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            Caller caller = caller(ex, q);
            if (caller == null) {
                respond(ex, 403, "ACL not found");
                return;
            }
            String denied =
                    denial(caller, ex.getRequestMethod(), ex.getRequestURI().getPath(), q);
            if (denied != null) {
                respond(ex, 403, denied);
                return;
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
                    case "PUT" -> respondWrite(ex, String.valueOf(kvPut(key, q, body)));
                    case "DELETE" -> respondWrite(ex, String.valueOf(kvDelete(key, q)));
                    default -> respond(ex, 405, "method not allowed");
                }
            } else if (path.equals("/v1/txn") && method.equals("PUT")) {
                txn(ex, body, caller);
            } else if (path.equals("/v1/session/create") && method.equals("PUT")) {
                sessionCreate(ex, body, node);
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

    // ---------------------------------------------------------------------------------------------------------------
    // ACLs

    /** Who sent a request, by its token: null for a token the emulator does not know ("ACL not found"). */
    private Caller caller(HttpExchange ex, Map<String, String> q) {
        if (!aclsEnabled) {
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
    private static String denial(Caller caller, String method, String path, Map<String, String> q) {
        if (caller.policy == null) {
            return null;
        }
        if (path.startsWith("/v1/kv/")) {
            String key = path.substring("/v1/kv/".length());
            Access need = method.equals("GET") ? Access.READ : Access.WRITE;
            return caller.policy.key(key).allows(need) ? null : caller.denied("key", need, key);
        }
        if (path.startsWith("/v1/session/")) {
            boolean read = path.startsWith("/v1/session/info/") || path.startsWith("/v1/session/list");
            Access need = read ? Access.READ : Access.WRITE;
            return caller.policy.session.allows(need) ? null : caller.denied("session", need, "emulator");
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
    private static JsonArray txnPreCheck(JsonArray ops, Caller caller) {
        JsonArray errors = new JsonArray();
        if (caller.policy == null) {
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
            if (!caller.policy.key(key).allows(need)) {
                JsonObject err = new JsonObject();
                err.addProperty("OpIndex", i);
                err.addProperty("What", caller.denied("key", need, key));
                errors.add(err);
            }
        }
        return errors;
    }

    /** What a policy grants: nothing, reading, or reading and writing. */
    public enum Access {
        /** Nothing. */
        DENY,
        /** Read (and list). */
        READ,
        /** Read and write. */
        WRITE;

        boolean allows(Access need) {
            return compareTo(need) >= 0;
        }
    }

    /**
     * An ACL policy: {@code key_prefix} rules (the longest matching prefix decides, as in Consul's radix-tree
     * policy lookup; no rule: deny, the default policy) and one {@code session_prefix ""} rule. Immutable.
     */
    public static final class AclPolicy {
        private final TreeMap<String, Access> keyPrefixes;
        private final Access session;

        private AclPolicy(TreeMap<String, Access> keyPrefixes, Access session) {
            this.keyPrefixes = keyPrefixes;
            this.session = session;
        }

        /**
         * A policy that allows nothing.
         *
         * @return the policy
         */
        public static AclPolicy denyAll() {
            return new AclPolicy(new TreeMap<>(), Access.DENY);
        }

        /**
         * Adds {@code key_prefix "<prefix>" { policy = "<access>" }}.
         *
         * @param prefix the key prefix ("" for every key)
         * @param access the access
         * @return a new policy
         */
        public AclPolicy key(String prefix, Access access) {
            TreeMap<String, Access> k = new TreeMap<>(keyPrefixes);
            k.put(prefix, access);
            return new AclPolicy(k, session);
        }

        /**
         * Sets {@code session_prefix "" { policy = "<access>" }}.
         *
         * @param access the access
         * @return a new policy
         */
        public AclPolicy session(Access access) {
            return new AclPolicy(keyPrefixes, access);
        }

        Access key(String key) {
            Access best = Access.DENY;
            int bestLength = -1;
            for (Map.Entry<String, Access> e : keyPrefixes.entrySet()) {
                if (key.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
                    best = e.getValue();
                    bestLength = e.getKey().length();
                }
            }
            return best;
        }
    }

    /** A request's token: its accessor id (null: anonymous) and policy (null: ACLs off). */
    private record Caller(String accessor, AclPolicy policy) {
        /** acl.PermissionDeniedByACL's text (acl/errors.go). */
        String denied(String resource, Access need, String on) {
            String who = accessor == null ? "anonymous token" : "token with AccessorID '" + accessor + "'";
            return "Permission denied: " + who + " lacks permission '" + resource + ":"
                    + need.name().toLowerCase(java.util.Locale.ROOT) + "' on \"" + on + "\"";
        }
    }

    private void waitUntilAnswering(String path, String node) throws InterruptedException {
        synchronized (monitor) {
            while (!answering
                    || (silenced != null && path.startsWith(silenced))
                    || nodeFailed.getOrDefault(node, false)) {
                monitor.wait();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // KV

    private void kvGet(HttpExchange ex, String key, Map<String, String> q) throws IOException, InterruptedException {
        long minIndex = q.containsKey("index") ? Long.parseLong(q.get("index")) : 0;
        if (minIndex == 0) {
            kvRead(ex, key, q, 0);
            return;
        }
        mostBlocking.accumulateAndGet(blockingNow.incrementAndGet(), Math::max);
        try {
            kvRead(ex, key, q, minIndex);
        } finally {
            blockingNow.decrementAndGet();
        }
    }

    private void kvRead(HttpExchange ex, String key, Map<String, String> q, long minIndex)
            throws IOException, InterruptedException {
        boolean recurse = q.containsKey("recurse");
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
                long abandonedBefore = abandoned;
                if (spuriousWakeups) {
                    deadline = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
                }
                long remaining = deadline - System.nanoTime();
                while (remaining > 0 && lastTouch(key, recurse) == touchedBefore && abandoned == abandonedBefore) {
                    TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
                    remaining = deadline - System.nanoTime();
                }
                if (remaining <= 0 || abandoned != abandonedBefore) {
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
            long idx = nextIndex();
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
            long idx = nextIndex();
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

    private void txn(HttpExchange ex, byte[] body, Caller caller) throws IOException {
        JsonArray ops =
                JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonArray();
        if (ops.size() > 128) {
            throw new BadRequest(413, "Transaction contains too many operations (" + ops.size() + " > 128)");
        }
        JsonArray denials = txnPreCheck(ops, caller);
        if (denials.size() > 0) {
            respondTxnErrors(ex, denials);
            return;
        }
        JsonArray results = new JsonArray();
        JsonArray errors = new JsonArray();
        synchronized (monitor) {
            TreeMap<String, Kv> draft = new TreeMap<>();
            kvs.forEach((k, v) -> draft.put(k, v.copy()));
            TreeMap<String, Long> draftTombs = new TreeMap<>(tombstones);
            long idx = nextIndex();
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
                respondTxnErrors(ex, errors);
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
        respondWrite(ex, answer.toString());
    }

    /** Answers an applied write: 200, or 500 after all if {@link #applyThenFail} is armed. */
    private void respondWrite(HttpExchange ex, String json) throws IOException {
        if (applyThenFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            respond(ex, 500, "leadership lost while committing log");
            return;
        }
        respondJson(ex, 200, json, 0);
    }

    /** A transaction that failed: 409, no results, its errors (agent/txn_endpoint.go). */
    private static void respondTxnErrors(HttpExchange ex, JsonArray errors) throws IOException {
        JsonObject answer = new JsonObject();
        answer.add("Results", null);
        answer.add("Errors", errors);
        respondJson(ex, 409, answer.toString(), 0);
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

    /** The index of the next write: after the highest ever used, as Raft's log index never goes back. */
    private long nextIndex() {
        return Math.max(index, raftIndex) + 1;
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

    private void sessionCreate(HttpExchange ex, byte[] body, String node) throws IOException {
        JsonObject req = body.length == 0
                ? new JsonObject()
                : JsonParser.parseString(new String(body, StandardCharsets.UTF_8))
                        .getAsJsonObject();
        Session s = new Session();
        s.id = UUID.randomUUID().toString();
        s.node = node;
        sessionChecks(s, req);
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
                if (!check.equals(SERF_CHECK)) {
                    throw new BadRequest(500, "Missing check '" + check + "' registration");
                }
                if (nodeFailed.getOrDefault(node, false)) {
                    throw new BadRequest(500, "Check '" + check + "' is in critical state");
                }
            }
            s.createIndex = nextIndex();
            index = s.createIndex;
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
    private static void sessionChecks(Session s, JsonObject req) {
        List<String> nodeChecks = req.has("NodeChecks") ? strings(req.get("NodeChecks")) : List.of(SERF_CHECK);
        List<String> checks = req.has("Checks") ? strings(req.get("Checks")) : List.of(SERF_CHECK);
        List<String> serviceChecks = req.has("ServiceChecks") ? strings(req.get("ServiceChecks")) : List.of();
        if (checks.isEmpty()) {
            nodeChecks = List.of();
        } else if (checks.equals(List.of(SERF_CHECK)) || nodeChecks.isEmpty()) {
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
        long idx = nextIndex();
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

    /** Go's time.Duration String() for whole seconds, minutes and hours, as in Consul's messages. */
    private static String goDuration(Duration d) {
        long h = d.toHours();
        long m = d.toMinutesPart();
        long sec = d.toSecondsPart();
        return h > 0 ? h + "h" + m + "m" + sec + "s" : m > 0 ? m + "m" + sec + "s" : sec + "s";
    }

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
        String node;
        List<String> nodeChecks = List.of();
        List<String> legacyChecks = List.of();
        List<String> serviceChecks = List.of();
        String behavior;
        Duration lockDelay;
        Duration ttl;
        String ttlText = "";
        long createIndex;
        long modifyIndex;
        ScheduledFuture<?> timer;

        Session copy() {
            Session c = new Session();
            c.id = id;
            c.name = name;
            c.node = node;
            c.nodeChecks = nodeChecks;
            c.legacyChecks = legacyChecks;
            c.serviceChecks = serviceChecks;
            c.behavior = behavior;
            c.lockDelay = lockDelay;
            c.ttl = ttl;
            c.ttlText = ttlText;
            c.createIndex = createIndex;
            c.modifyIndex = modifyIndex;
            return c;
        }

        List<String> checks() {
            List<String> all = new ArrayList<>(nodeChecks);
            all.addAll(serviceChecks);
            legacyChecks.stream().filter(c -> !all.contains(c)).forEach(all::add);
            return all;
        }

        private static JsonArray array(List<String> ids) {
            JsonArray a = new JsonArray();
            ids.forEach(a::add);
            return a;
        }

        JsonObject json() {
            JsonObject o = new JsonObject();
            o.addProperty("ID", id);
            o.addProperty("Name", name);
            o.addProperty("Node", node);
            o.addProperty("LockDelay", lockDelay.toNanos());
            o.addProperty("Behavior", behavior);
            o.addProperty("TTL", ttlText);
            o.add("NodeChecks", array(nodeChecks));
            o.add("ServiceChecks", array(serviceChecks));
            o.add("Checks", array(legacyChecks));
            o.addProperty("CreateIndex", createIndex);
            o.addProperty("ModifyIndex", modifyIndex);
            return o;
        }
    }

    private record Snapshot(
            TreeMap<String, Kv> kvs, TreeMap<String, Long> tombstones, List<Session> sessions, long index) {}

    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
