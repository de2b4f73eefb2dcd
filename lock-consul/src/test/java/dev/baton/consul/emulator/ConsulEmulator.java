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

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>This class is the emulator's public face; the work is done by one class per seam, sharing one monitor: {@code
 * KvStore} (keys, tombstones, the index), {@code SessionTable} (sessions, their checks and nodes), {@code Acls},
 * {@code BlockingQueries} ({@code GET /v1/kv}), {@code KvWrites} ({@code PUT}/{@code DELETE /v1/kv}), {@code
 * Transactions} ({@code /v1/txn}) and {@code RequestRouter} (the HTTP front and the agent-wide faults).
 *
 * <p>Test code only. It listens on 127.0.0.1 on a free port and uses daemon threads; {@link #close()} stops it.
 * Threadsafe: one monitor guards the state and wakes blocking queries.
 */
public final class ConsulEmulator implements AutoCloseable {
    /** Consul's {@code structs.SessionTTLMultiplier}: a session is invalidated 2 x TTL after its last renewal. */
    public static final int SESSION_TTL_MULTIPLIER = 2;

    /** Consul's {@code http_max_conns_per_client} default (limits stanza of the agent configuration). */
    public static final int DEFAULT_MAX_CONNS_PER_CLIENT = 200;

    /** The node of the agent at {@link #address()}. */
    public static final String PRIMARY_NODE = "emulator";
    /** Consul's {@code structs.SerfCheckID}: the node's gossip health check, every session's default check. */
    public static final String SERF_CHECK = "serfHealth";

    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final Object monitor = new Object();
    private final KvStore store = new KvStore(monitor);
    private final Acls acls = new Acls();
    private final BlockingQueries reads = new BlockingQueries(monitor, store);
    private final SessionTable sessions;
    private final RequestRouter router;
    private final HttpServer server;
    private final List<HttpServer> otherAgents = new ArrayList<>();
    private final ExecutorService handlers;
    private final ScheduledExecutorService timers;

    /** What {@link #snapshot} returns: the KV store's state and copies of the sessions. */
    private record Snapshot(KvStore.State kv, List<Session> sessions) {}

    private ConsulEmulator() throws IOException {
        int id = SERVERS.incrementAndGet();
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
        sessions = new SessionTable(monitor, store, timers);
        router = new RequestRouter(
                monitor,
                acls,
                sessions,
                reads,
                new KvWrites(monitor, store, sessions),
                new Transactions(monitor, store, sessions));
        sessions.addNode(PRIMARY_NODE);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(handlers);
        server.createContext("/", ex -> router.handle(ex, PRIMARY_NODE));
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
            agent.createContext("/", ex -> router.handle(ex, node));
            agent.start();
            synchronized (monitor) {
                otherAgents.add(agent);
            }
            sessions.addNode(node);
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
        sessions.failNode(node);
    }

    /**
     * The node is healthy again: its {@code serfHealth} check passes and its agent answers (held requests too).
     *
     * @param node the node
     */
    public void recoverNode(String node) {
        sessions.recoverNode(node);
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
        sessions.nodeLeft(node);
    }

    /**
     * Returns the checks a live session is tied to ({@code NodeChecks}, {@code ServiceChecks} and the deprecated
     * {@code Checks}, after Consul's defaults), or null for no such session.
     *
     * @param id the session
     * @return the check ids
     */
    public List<String> sessionChecks(String id) {
        return sessions.checks(id);
    }

    /**
     * Turns ACLs on with one token that may do everything and an anonymous token that may do nothing (default policy
     * deny), or off with null.
     *
     * @param token the token, or null
     */
    public void requireToken(String token) {
        acls.requireToken(token);
    }

    /**
     * Turns ACLs on (if they were not) and adds a token with a policy of its own.
     *
     * @param token the token's secret
     * @param policy what it may do
     */
    public void addToken(String token, AclPolicy policy) {
        acls.addToken(token, policy);
    }

    /**
     * Sets what a request without a token may do while ACLs are on (the anonymous token's policy; default: nothing).
     *
     * @param policy the anonymous token's policy
     */
    public void anonymousPolicy(AclPolicy policy) {
        acls.anonymousPolicy(policy);
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
        router.applyThenFail(writes);
    }

    /**
     * No leader for a while: every request, on every endpoint, answers 500 {@code No cluster leader} (structs.ErrNoLeader)
     * for {@code duration}, as during an election that takes that long.
     *
     * @param duration how long
     */
    public void noLeaderFor(Duration duration) {
        router.noLeaderFor(duration);
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
        router.forwardingDelay(delay);
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
            store.reapTombstones();
        }
    }

    /**
     * Takes a snapshot of the state (KV, tombstones, sessions, index), as {@code consul snapshot save}.
     *
     * @return the snapshot
     */
    public Object snapshot() {
        synchronized (monitor) {
            return new Snapshot(store.snapshot(), sessions.snapshot());
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
            sessions.restore(snap.sessions());
            store.restore(snap.kv());
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
        reads.spuriousWakeups(on);
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
        sessions.sessionTtlMin(min);
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
        router.maxConnsPerClient(max);
    }

    /**
     * Returns the most requests one client had in flight at once since the emulator started (a lower bound on the
     * connections it held).
     *
     * @return the count
     */
    public int mostInFlightPerClient() {
        return router.mostInFlightPerClient();
    }

    /**
     * Returns the most blocking queries ({@code GET /v1/kv} with an {@code index}) held at once since the emulator
     * started, all clients together. A query the client aborts counts until its wait ends, as the emulator does not
     * see the abort.
     *
     * @return the count
     */
    public int mostBlockingQueries() {
        return reads.most();
    }

    /**
     * Returns the blocking queries held now, all clients together (counted as in {@link #mostBlockingQueries()}).
     *
     * @return the count
     */
    public int blockingQueries() {
        return reads.now();
    }

    /**
     * Returns how many requests were refused with 429 for exceeding the per-client connection cap.
     *
     * @return the count
     */
    public int refusedForConnectionCap() {
        return router.refusedForConnectionCap();
    }

    /**
     * A leader election: the new leader re-arms every session's TTL timer from now (agent/consul/leader.go
     * establishLeadership, initializeSessionTimers; session timers live only on the leader), so a session not renewed
     * since lives up to 2 x TTL after the election, not after its last renewal.
     */
    public void electLeader() {
        sessions.rearmAll();
    }

    /** Stops answering: requests are accepted and then held without an answer until {@link #resumeAnswering()}. */
    public void stopAnswering() {
        router.stopAnswering();
    }

    /**
     * Stops answering the requests whose path starts with {@code pathPrefix} (for example one session's renewals),
     * until {@link #resumeAnswering()}.
     *
     * @param pathPrefix the path prefix, such as {@code /v1/session/renew/<id>}
     */
    public void stopAnswering(String pathPrefix) {
        router.stopAnswering(pathPrefix);
    }

    /**
     * Returns the session holding the oldest key (lowest {@code CreateIndex}) under a prefix: a queue's head.
     *
     * @param prefix the prefix
     * @return the session id, or null
     */
    public String oldestHolder(String prefix) {
        synchronized (monitor) {
            return store.list(prefix).stream()
                    .min((x, y) -> Long.compare(x.createIndex, y.createIndex))
                    .map(kv -> kv.session)
                    .orElse(null);
        }
    }

    /** Answers again; held requests are answered now. */
    public void resumeAnswering() {
        router.resumeAnswering();
    }

    /**
     * Returns the keys stored under a prefix.
     *
     * @param prefix the prefix
     * @return the keys, in key order
     */
    public List<String> keys(String prefix) {
        synchronized (monitor) {
            return store.keys(prefix);
        }
    }

    /**
     * Counts live sessions with a name.
     *
     * @param name the name
     * @return the count
     */
    public int sessions(String name) {
        return sessions.count(name);
    }

    @Override
    public void close() {
        sessions.recoverAllNodes();
        resumeAnswering();
        server.stop(0);
        synchronized (monitor) {
            otherAgents.forEach(a -> a.stop(0));
        }
        timers.shutdownNow();
        handlers.shutdownNow();
    }
}
