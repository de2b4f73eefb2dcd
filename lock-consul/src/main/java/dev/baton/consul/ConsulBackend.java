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
package dev.baton.consul;

import dev.baton.consul.internal.ConsulApiHttp;
import dev.baton.consul.internal.ConsulHttp;
import dev.baton.consul.internal.ConsulSharedQuery;
import dev.baton.consul.internal.ConsulWatch;
import dev.baton.consul.internal.KvEntry;
import dev.baton.consul.internal.KvRead;
import dev.baton.consul.internal.SessionInfo;
import dev.baton.consul.internal.TxnOp;
import dev.baton.consul.internal.TxnResult;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.LockException;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link CoordinationBackend} over the Consul HTTP API. Build one with {@link #builder()}.
 *
 * <p>How the SPI maps onto Consul:
 *
 * <ul>
 *   <li>A lease is a Consul session with a TTL (Consul accepts 10 s to 24 h), no health checks (so that only the TTL,
 *       or its node leaving the cluster, ends it; Consul's default would tie it to the node's {@code serfHealth}
 *       check), behaviour {@code delete} (the keys it
 *       holds are deleted when it is invalidated) and the configured lock-delay. Renewal is {@code PUT
 *       /v1/session/renew}; a 404 there is {@link NoSuchLeaseException}. Consul counts a TTL as a lower bound and
 *       invalidates a session only 2 &times; TTL after its last renewal, so a holder's lock is free again within twice
 *       its TTL; the holder's own early-loss deadline (from its last acknowledged renewal, shorter than the TTL) is
 *       unaffected.
 *   <li>An SPI lease id is the first 64 bits of the session's UUID; any client resolves it through {@code GET
 *       /v1/session/list} when it did not grant it itself.
 *   <li>A key is a Consul key under the key prefix. Its version is its {@code ModifyIndex}; its creation sequence, the
 *       fencing token, is its {@code CreateIndex}: the Raft index of the write that created it, which only grows for
 *       the whole cluster (a key deleted and created again gets a new, larger one) and which moving the key to another
 *       session does not change. {@code LockIndex} would not do: it counts acquisitions of one key, and every waiter
 *       has a key of its own.
 *   <li>Every write is one {@code PUT /v1/txn}: create-if-absent is {@code check-not-exists} + {@code lock} (the
 *       transaction form of {@code ?acquire=}), or {@code cas} with index 0 for a key without lease; compare-and-set is
 *       {@code check-index} + {@code unlock}/{@code lock}, after one read to learn the current holder;
 *       compare-and-delete is {@code check-index} + {@code delete}. The single-key endpoint cannot do these: it lets
 *       {@code ?acquire} override {@code ?cas}, answers only true/false (not the new index), and {@code DELETE ?cas=}
 *       answers true for a key that does not exist.
 *   <li>A request that fails on its connection (an agent or proxy closing an idle keep-alive connection as the client
 *       reuses it) is sent once more at once. A transaction whose first sending was applied then fails its check, so
 *       every write carries, in the key's {@code Flags}, a random number of its own, by which the backend recognises
 *       its own write when it reads the key after such a failure (see {@code ConsulApiHttp} for the other requests).
 *   <li>A watch reads a chain of blocking queries ({@code ?index=&wait=}) resumed from the last index. The watches of
 *       one backend share one chain per queried prefix: a key is queried through its parent prefix (a waiter watches
 *       its predecessor's entry, so the waiters of one lock name share one query and one connection), and each watch
 *       reports only its own key, so a release still wakes one waiter, not all. See {@code ConsulSharedQuery} and
 *       {@code ConsulWatch} for how states become events.
 * </ul>
 *
 * <p>Threadsafe. Every call is one or two HTTP requests (compare-and-set reads before it writes; a delete seen by a
 * watch of this client reads the index after it; a write that fails as unavailable reads the key once to learn whether
 * it was applied all the same), each sent again after a growing pause while Consul answers 429 or 5xx (no leader, a
 * Raft apply that failed after it may have committed) within the request timeout. A call throws {@link
 * BackendUnavailableException} when the agent cannot be reached or does not serve it within the request timeout (the
 * read after a failed write has a request timeout of its own), and {@link ConsulAccessDeniedException} when Consul
 * refuses the ACL token.
 * After {@link #close()} every call except {@link #describe()}, the TTL limits and {@code close} throws {@link
 * IllegalStateException}.
 */
public final class ConsulBackend implements CoordinationBackend {
    /** The shortest session TTL Consul accepts. */
    public static final Duration MINIMUM_TTL = Duration.ofSeconds(10);

    /** The longest session TTL Consul accepts. */
    public static final Duration MAXIMUM_TTL = Duration.ofHours(24);

    /** The longest lock-delay Consul applies. */
    public static final Duration MAXIMUM_LOCK_DELAY = Duration.ofSeconds(60);

    /**
     * The lock-delay Baton asks for unless told otherwise: none. Consul's default of 15 s keeps a key that an
     * invalidated session held from being acquired again for that long; Baton never acquires such a key again (every
     * waiter creates a key of its own), so a lock-delay would delay no one, and what it approximates, keeping a holder
     * that missed its loss from overlapping the next one, Baton gets from the early-loss deadline and fencing tokens.
     */
    public static final Duration DEFAULT_LOCK_DELAY = Duration.ZERO;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsulBackend.class);
    private static final Duration WATCH_WAIT = Duration.ofSeconds(30);
    private static final int LISTINGS_KEPT = 256;

    private final ConsulHttp http;
    private final String address;
    private final String keyPrefix;
    private final String sessionName;
    private final Duration lockDelay;
    private final String datacenter;
    private final Map<Long, String> sessions = new ConcurrentHashMap<>();
    private final Set<ConsulWatch> watches = ConcurrentHashMap.newKeySet();
    /** The blocking queries the watches share, by Consul path. */
    private final Map<String, ConsulSharedQuery> queries = new ConcurrentHashMap<>();
    /** Runs watch listeners: the builder's executor, or daemon threads of the backend's own. */
    private final Executor delivery;

    private final ExecutorService ownDelivery;
    private final Map<String, Listing> listings = lru();
    /** Per listed prefix, the highest creation sequence seen at the head of a listing (a holder's fencing token). */
    private final Map<String, HeadSeen> highestHead = lru();
    /** How many listings have been answered; orders a listing's sending against other listings' answers. */
    private final java.util.concurrent.atomic.AtomicLong listingsAnswered =
            new java.util.concurrent.atomic.AtomicLong();

    private final java.util.concurrent.atomic.AtomicLong fencingRegressions =
            new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    private ConsulBackend(Builder b) {
        this.address = b.address.toString();
        this.keyPrefix = b.keyPrefix;
        this.sessionName = "baton:" + b.keyPrefix;
        this.lockDelay = b.lockDelay;
        this.datacenter = b.datacenter;
        this.http = new ConsulApiHttp(b.address, b.aclToken, b.datacenter, b.requestTimeout, b.executor);
        this.ownDelivery = b.executor != null
                ? null
                : Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "baton-consul-watch");
                    t.setDaemon(true);
                    return t;
                });
        this.delivery = b.executor != null ? b.executor : ownDelivery;
    }

    /**
     * Starts a builder with the defaults: agent {@code http://127.0.0.1:8500}, no ACL token, the agent's datacenter,
     * key prefix {@code baton}, session TTL 10 s, lock-delay {@link #DEFAULT_LOCK_DELAY}, request timeout 5 s.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Describes the agent, datacenter and key prefix; never the token. Threadsafe.
     *
     * @return the description
     */
    @Override
    public String describe() {
        return "consul " + address + (datacenter == null ? "" : " dc " + datacenter) + " prefix " + keyPrefix + "/";
    }

    /**
     * Returns the name every session of this backend carries ({@code baton:} and the key prefix), so that operators
     * can tell them apart. Threadsafe.
     *
     * @return the session name
     */
    public String sessionName() {
        return sessionName;
    }

    /**
     * Returns {@link #MINIMUM_TTL}. Threadsafe.
     *
     * @return 10 seconds
     */
    @Override
    public Duration minimumTtl() {
        return MINIMUM_TTL;
    }

    /**
     * Returns {@link #MAXIMUM_TTL}. Threadsafe.
     *
     * @return 24 hours
     */
    @Override
    public Duration maximumTtl() {
        return MAXIMUM_TTL;
    }

    /**
     * Creates a session with this TTL, no health checks, behaviour {@code delete} and the configured lock-delay.
     * Threadsafe.
     *
     * @param ttl the TTL, from 10 s to 24 h
     * @return the lease id
     * @throws IllegalArgumentException if {@code ttl} is outside Consul's limits, or below the servers' {@code
     *     session_ttl_min} setting (Consul answers that with a 500, which is not retried)
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws ConsulAccessDeniedException if Consul refuses the token
     * @throws IllegalStateException if closed
     */
    @Override
    public long grantLease(Duration ttl) {
        checkTtl("ttl", ttl);
        checkOpen();
        String id = http.createSession(sessionName, ttl, lockDelay);
        long lease = leaseIdOf(id);
        sessions.put(lease, id);
        return lease;
    }

    /**
     * Renews a session for another TTL. Threadsafe.
     *
     * @param leaseId the lease
     * @throws NoSuchLeaseException if the session is gone
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws ConsulAccessDeniedException if Consul refuses the token
     * @throws IllegalStateException if closed
     */
    @Override
    public void keepAlive(long leaseId) {
        checkOpen();
        String id = resolve(leaseId).orElseThrow(() -> new NoSuchLeaseException(leaseId));
        if (!http.renewSession(id)) {
            sessions.remove(leaseId);
            throw new NoSuchLeaseException(leaseId);
        }
    }

    /**
     * Destroys a session; Consul deletes the keys it holds. An unknown lease is ignored. Threadsafe.
     *
     * @param leaseId the lease
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws ConsulAccessDeniedException if Consul refuses the token
     * @throws IllegalStateException if closed
     */
    @Override
    public void revokeLease(long leaseId) {
        checkOpen();
        Optional<String> id = resolve(leaseId);
        if (id.isPresent()) {
            http.destroySession(id.get());
            sessions.remove(leaseId);
        }
    }

    /**
     * Reads one key. Threadsafe.
     *
     * @param key the key
     * @return the entry, or empty
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws ConsulAccessDeniedException if Consul refuses the token
     * @throws IllegalStateException if closed
     */
    @Override
    public Optional<Entry> get(String key) {
        checkKey("key", key);
        checkOpen();
        KvRead read = http.get(full(key));
        return read.entries().isEmpty()
                ? Optional.empty()
                : Optional.ofNullable(toEntry(read.entries().get(0)));
    }

    /**
     * Creates a key held by the lease's session, if absent: one transaction. Threadsafe.
     *
     * @param key the key
     * @param value the value
     * @param leaseId the lease, or {@link Entry#NO_LEASE}
     * @return the entry, or empty if the key exists
     * @throws NoSuchLeaseException if the session is gone
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws ConsulAccessDeniedException if Consul refuses the token
     * @throws IllegalStateException if closed
     */
    @Override
    public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        checkKey("key", key);
        Objects.requireNonNull(value, "value must not be null");
        checkOpen();
        String k = full(key);
        List<TxnOp> ops = new ArrayList<>();
        String session = null;
        long tag = newTag();
        if (leaseId == Entry.NO_LEASE) {
            ops.add(new TxnOp("cas", k, value, tag, 0, null));
        } else {
            session = resolve(leaseId).orElseThrow(() -> new NoSuchLeaseException(leaseId));
            ops.add(TxnOp.check("check-not-exists", k, 0));
            ops.add(new TxnOp("lock", k, value, tag, 0, session));
        }
        TxnResult result;
        try {
            result = txn(ops);
        } catch (BackendUnavailableException e) {
            return ownWriteAfter(e, key, k, value, tag, session, leaseId);
        }
        if (!result.committed()) {
            TxnResult.TxnError error =
                    result.errors().isEmpty() ? null : result.errors().get(0);
            if (error != null && ops.get(error.opIndex()).verb().startsWith("check") || leaseId == Entry.NO_LEASE) {
                // Sent twice (see ownWrite): "exists" may be this call's own first sending. It is if the key carries
                // this write's tag, value and session: then it was created by this call, and is returned as created.
                // Otherwise someone else's key is there: absent-check failed, as for a single sending. (If the first
                // sending landed and its key was since deleted, the second sending created it again and committed.)
                Optional<Entry> own =
                        result.retried() ? ownWrite(key, k, value, tag, session, leaseId) : Optional.empty();
                own.ifPresent(e -> publish(WatchEvent.Type.PUT, key, e, e.version()));
                return own;
            }
            throw lockFailure(key, leaseId, error);
        }
        Entry created = written(key, value, result, leaseId);
        publish(WatchEvent.Type.PUT, key, created, created.version());
        return Optional.of(created);
    }

    /**
     * Replaces a key's value and session if its version matches: one read, then one transaction. Threadsafe.
     *
     * @param key the key
     * @param expectedVersion the version ({@code ModifyIndex}) last seen
     * @param value the new value
     * @param leaseId the lease afterwards, or {@link Entry#NO_LEASE}
     * @return the entry, or empty if absent or changed
     * @throws NoSuchLeaseException if the session is gone
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws ConsulAccessDeniedException if Consul refuses the token
     * @throws IllegalStateException if closed
     */
    @Override
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        checkKey("key", key);
        Objects.requireNonNull(value, "value must not be null");
        checkOpen();
        String session = leaseId == Entry.NO_LEASE
                ? null
                : resolve(leaseId).orElseThrow(() -> new NoSuchLeaseException(leaseId));
        String k = full(key);
        KvRead read = http.get(k);
        if (read.entries().isEmpty() || read.entries().get(0).modifyIndex() != expectedVersion) {
            return Optional.empty();
        }
        String holder = read.entries().get(0).session();
        long tag = newTag();
        List<TxnOp> ops = new ArrayList<>();
        ops.add(TxnOp.check("check-index", k, expectedVersion));
        if (holder != null && !holder.equals(session)) {
            ops.add(new TxnOp("unlock", k, value, tag, 0, holder));
        }
        if (session != null) {
            ops.add(new TxnOp("lock", k, value, tag, 0, session));
        } else if (holder == null) {
            ops.add(new TxnOp("set", k, value, tag, 0, null));
        }
        TxnResult result;
        try {
            result = txn(ops);
        } catch (BackendUnavailableException e) {
            return ownWriteAfter(e, key, k, value, tag, session, leaseId);
        }
        if (!result.committed()) {
            TxnResult.TxnError error =
                    result.errors().isEmpty() ? null : result.errors().get(0);
            if (error == null || !ops.get(error.opIndex()).verb().equals("lock")) {
                // Sent twice (see ownWrite): a failed index check may be this call's own first sending, which moved
                // the ModifyIndex on. It is if the key carries this write's tag, value and session (the last op
                // decides the session: ours, or none): then the update is returned as applied. Otherwise the key
                // changed or went, as for a single sending. A lock failure on the second sending means its check
                // passed, so the first did not apply: it is reported as for a single sending.
                Optional<Entry> own =
                        result.retried() ? ownWrite(key, k, value, tag, session, leaseId) : Optional.empty();
                own.ifPresent(e -> publish(WatchEvent.Type.PUT, key, e, e.version()));
                return own;
            }
            throw lockFailure(key, leaseId, error);
        }
        Entry updated = written(key, value, result, leaseId);
        publish(WatchEvent.Type.PUT, key, updated, updated.version());
        return Optional.of(updated);
    }

    /**
     * Deletes a key if its version matches: one transaction ({@code check-index} + {@code delete}). Threadsafe.
     *
     * @param key the key
     * @param expectedVersion the version last seen
     * @return whether the key was deleted
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws ConsulAccessDeniedException if Consul refuses the token
     * @throws IllegalStateException if closed
     */
    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        checkKey("key", key);
        checkOpen();
        String k = full(key);
        TxnResult result;
        try {
            result = txn(List.of(TxnOp.check("check-index", k, expectedVersion), TxnOp.check("delete", k, 0)));
        } catch (BackendUnavailableException e) {
            // The delete may have been applied (a 500 after the Raft apply, or an answer that came too late); a read
            // tells: an absent key counts as deleted by this call, as for a second sending below.
            if (!absentAfter(e, k)) {
                throw e;
            }
            result = null;
        }
        if (result != null && !result.committed()) {
            // Sent twice (see ownWrite): the index check fails on an absent key, which is what this call's own first
            // sending would leave. A delete leaves no trace to recognise it by, so an absent key counts as deleted
            // by this call: the key at that version is gone, as the caller asked. The only other ways it goes are its
            // session ending and another delete of the same version, and Baton deletes only keys of its own
            // coordinator, with their version. A key still present changed, and is not deleted, as for one sending.
            if (!result.retried() || !http.get(k).entries().isEmpty()) {
                return false;
            }
        }
        if (watches.stream().anyMatch(w -> w.matches(key))) {
            // Consul does not say at which index it deleted; a read of the absent key reports the KV table's index,
            // which is at or after the delete and before any later write of this client.
            try {
                publish(WatchEvent.Type.DELETE, key, null, http.get(k).index());
            } catch (RuntimeException e) {
                // The watches' own blocking queries will see the delete.
            }
        }
        return true;
    }

    /**
     * Lists the keys under {@code prefix + "/"} by {@code CreateIndex}, with the {@code X-Consul-Index} of the read.
     * Threadsafe.
     *
     * @param prefix the prefix
     * @return the listing
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws ConsulAccessDeniedException if Consul refuses the token
     * @throws IllegalStateException if closed
     */
    @Override
    public Listing list(String prefix) {
        checkKey("prefix", prefix);
        checkOpen();
        long answeredBeforeSending = listingsAnswered.get();
        KvRead read = http.list(full(prefix) + "/");
        List<Entry> entries = new ArrayList<>();
        for (KvEntry kv : read.entries()) {
            Entry e = toEntry(kv);
            if (e != null) {
                entries.add(e);
            }
        }
        entries.sort(Comparator.comparingLong(Entry::createSequence));
        checkHead(prefix, entries, answeredBeforeSending);
        Listing listing = new Listing(entries, read.index());
        synchronized (listings) {
            listings.put(prefix + "@" + read.index(), listing);
        }
        return listing;
    }

    /**
     * Watches a key or prefix through blocking queries, from a revision this client read with {@link #list}; from any
     * other revision the watch resets at once (Consul keeps no history to replay). Threadsafe.
     *
     * @param keyOrPrefix the key or prefix
     * @param prefix whether it is a prefix
     * @param afterRevision the revision of a listing of this client that covers the key or prefix
     * @param listener the listener, called on this client's threads
     * @return the watch
     * @throws IllegalStateException if closed
     */
    @Override
    public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        checkKey("keyOrPrefix", keyOrPrefix);
        Objects.requireNonNull(listener, "listener must not be null");
        checkOpen();
        Listing baseline = baselineFor(keyOrPrefix, afterRevision);
        if (baseline == null) {
            listener.onReset("no listing of this client at revision " + afterRevision + " covers " + keyOrPrefix
                    + "; Consul keeps no history to replay from it");
            return () -> {};
        }
        // One blocking query per queried prefix, shared by this backend's watches: a key is watched through its
        // parent prefix (the queue it is an entry of), so the waiters of one lock name share one connection.
        int slash = keyOrPrefix.lastIndexOf('/');
        boolean recurse = prefix || slash > 0;
        String path = prefix
                ? full(keyOrPrefix) + "/"
                : slash > 0 ? full(keyOrPrefix.substring(0, slash)) + "/" : full(keyOrPrefix);
        while (true) {
            ConsulSharedQuery query = queries.computeIfAbsent(
                    path, p -> new ConsulSharedQuery(http, p, recurse, WATCH_WAIT, q -> queries.remove(p, q)));
            ConsulWatch[] self = new ConsulWatch[1];
            ConsulWatch w = new ConsulWatch(
                    query, keyOrPrefix, prefix, this::toEntry, listener, delivery, () -> watches.remove(self[0]));
            self[0] = w;
            watches.add(w);
            if (!w.start(baseline.entries(), afterRevision)) {
                watches.remove(w);
                queries.remove(path, query);
                continue;
            }
            if (closed) {
                w.close();
            }
            return w;
        }
    }

    /**
     * Stops every watch and releases connections; sessions on the server are left as they are. Idempotent.
     * Threadsafe.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ConsulWatch w : List.copyOf(watches)) {
            w.close();
        }
        List.copyOf(queries.values()).forEach(ConsulSharedQuery::stop);
        http.close();
        if (ownDelivery != null) {
            ownDelivery.shutdown();
        }
    }

    @Override
    public String toString() {
        return "ConsulBackend{" + describe() + (closed ? ", closed" : "") + "}";
    }

    /** A map that keeps the {@link #LISTINGS_KEPT} entries used last. Not threadsafe. */
    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > LISTINGS_KEPT;
            }
        };
    }

    /**
     * Counts the listings in which the first entry (the queue's head: the holder, whose creation sequence is its
     * fencing token) had a lower creation sequence than a head this backend listed under the same prefix before. That
     * happens only when Consul's state went back: a snapshot restore brings keys back with their old {@code
     * CreateIndex}, so a waiter whose key was restored can hold the lock with a token lower than one already handed
     * out. Each one is also logged as an error. Threadsafe.
     *
     * @return the count since this backend was built
     */
    public long fencingTokenRegressions() {
        return fencingRegressions.get();
    }

    /** The highest head seen under a prefix, and the listing answer (a count of them) that first showed it. */
    private record HeadSeen(long createSequence, long answer) {}

    /**
     * Notes the head of a listing and reports a regression. Two listings in flight at once may be answered by Consul
     * in one order and processed here in the other, so a lower head counts only when this listing was sent after the
     * higher head's listing had been answered: then Consul itself answered with older state.
     */
    private void checkHead(String prefix, List<Entry> sorted, long answeredBeforeSending) {
        long answer = listingsAnswered.incrementAndGet();
        if (sorted.isEmpty()) {
            return;
        }
        Entry head = sorted.get(0);
        long before;
        synchronized (highestHead) {
            HeadSeen seen = highestHead.get(prefix);
            if (seen == null || head.createSequence() > seen.createSequence()) {
                highestHead.put(prefix, new HeadSeen(head.createSequence(), answer));
                return;
            }
            if (seen.answer() > answeredBeforeSending) {
                return; // the higher head was answered while this listing was in flight: no order between them
            }
            before = seen.createSequence();
        }
        if (head.createSequence() < before) {
            fencingRegressions.incrementAndGet();
            LOG.error(
                    "fencing tokens under {}/{} went backwards: the first entry, {}, has creation sequence {}, lower"
                            + " than {} seen first there before; Consul's state went back (a snapshot restore brings"
                            + " keys back with their old CreateIndex). A store that checks fencing tokens will refuse"
                            + " the holder's writes; release and acquire the lock again to get a new token",
                    keyPrefix,
                    prefix,
                    head.key(),
                    head.createSequence(),
                    before);
        }
    }

    private Listing baselineFor(String keyOrPrefix, long revision) {
        synchronized (listings) {
            for (Map.Entry<String, Listing> e : listings.entrySet()) {
                String k = e.getKey();
                int at = k.lastIndexOf('@');
                String p = k.substring(0, at);
                if (e.getValue().revision() == revision && (keyOrPrefix.equals(p) || keyOrPrefix.startsWith(p + "/"))) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    private void publish(WatchEvent.Type type, String key, Entry entry, long revision) {
        for (ConsulWatch w : watches) {
            w.local(type, key, entry, revision);
        }
    }

    /**
     * Runs a transaction. A refused ACL check comes back, as Consul's {@code Txn.Apply} pre-check reports it, as a 409
     * with a {@code Permission denied} error per operation the token may not run, before any operation is applied:
     * that is neither "key exists" nor "changed", and is thrown as {@link ConsulAccessDeniedException} naming the rule
     * the token lacks.
     */
    private TxnResult txn(List<TxnOp> ops) {
        TxnResult result = http.txn(ops);
        if (!result.committed()) {
            for (TxnResult.TxnError e : result.errors()) {
                String what = e.what().toLowerCase(java.util.Locale.ROOT);
                if (what.contains("permission denied") || what.contains("acl not found")) {
                    TxnOp op = ops.get(Math.min(Math.max(e.opIndex(), 0), ops.size() - 1));
                    String access = what.contains("key:read") ? "read" : "write";
                    throw new ConsulAccessDeniedException("Consul refused the transaction's " + op.verb() + " of "
                            + op.key() + " (operation " + e.opIndex() + ": " + e.what() + "): the ACL token set with"
                            + " ConsulBackend.builder().aclToken(...) needs key_prefix \"" + keyPrefix
                            + "/\" { policy ="
                            + " \"" + access + "\" } (key:" + access + " on the backend's key prefix; the backend needs"
                            + " key:write there, and session:write)");
                }
            }
        }
        return result;
    }

    /**
     * After a write whose first sending failed on its connection and whose second sending failed its check: reads the
     * key and tells whether it holds this write, by the write's tag (a random number sent in the key's {@code Flags},
     * which no other write carries), value and session. Returns the entry as written, or empty. A write that landed
     * and was overwritten since is reported as not applied, as if it had lost the race it did lose.
     */
    private Optional<Entry> ownWrite(String key, String fullKey, byte[] value, long tag, String session, long leaseId) {
        KvRead read = http.get(fullKey);
        if (read.entries().isEmpty()) {
            return Optional.empty();
        }
        KvEntry kv = read.entries().get(0);
        if (kv.flags() != tag || !Objects.equals(kv.session(), session) || !Arrays.equals(kv.value(), value)) {
            return Optional.empty();
        }
        return Optional.of(new Entry(key, value, kv.modifyIndex(), kv.createIndex(), leaseId));
    }

    /**
     * After a write that failed as unavailable, whatever the reason (every sending answered 5xx or 429 until the request
     * timeout, or the answer never came in time), which may have been applied all the same: reads the key once and
     * returns the entry as written if it holds this write (see {@link #ownWrite}); otherwise throws {@code failure}
     * (with a failed read added to it), as the outcome is still unknown: the write may not have been applied, or may
     * yet be (a request held by a server waiting for a leader).
     */
    private Optional<Entry> ownWriteAfter(
            BackendUnavailableException failure,
            String key,
            String fullKey,
            byte[] value,
            long tag,
            String session,
            long leaseId) {
        Optional<Entry> own;
        try {
            own = ownWrite(key, fullKey, value, tag, session, leaseId);
        } catch (RuntimeException readFailed) {
            failure.addSuppressed(readFailed);
            throw failure;
        }
        if (own.isEmpty()) {
            throw failure;
        }
        publish(WatchEvent.Type.PUT, key, own.get(), own.get().version());
        return own;
    }

    /** Whether a read finds the key absent, after {@code failure}; a failed read is added to it and counts as no. */
    private boolean absentAfter(BackendUnavailableException failure, String fullKey) {
        try {
            return http.get(fullKey).entries().isEmpty();
        } catch (RuntimeException readFailed) {
            failure.addSuppressed(readFailed);
            return false;
        }
    }

    /** A write's tag: random, positive (Consul's flags are unsigned), never 0 (no flags). */
    private static long newTag() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    private Entry written(String key, byte[] value, TxnResult result, long leaseId) {
        KvEntry last = result.results().isEmpty()
                ? null
                : result.results().get(result.results().size() - 1);
        if (last == null) {
            throw new LockException(null, "Consul committed a write of " + key + " but returned no entry for it", null);
        }
        return new Entry(key, value, last.modifyIndex(), last.createIndex(), leaseId);
    }

    private RuntimeException lockFailure(String key, long leaseId, TxnResult.TxnError error) {
        String what = error == null ? "no reason given" : error.what();
        if (what.toLowerCase(java.util.Locale.ROOT).contains("invalid session")) {
            sessions.remove(leaseId);
            return new NoSuchLeaseException(leaseId);
        }
        if (what.toLowerCase(java.util.Locale.ROOT).contains("lock delay")
                || what.toLowerCase(java.util.Locale.ROOT).contains("lock-delay")) {
            return new LockException(
                    null,
                    "Consul refused to lock " + key + " during its lock-delay (" + what
                            + "); the key was held by a session that was invalidated",
                    null);
        }
        return new LockException(null, "Consul refused to lock " + key + ": " + what, null);
    }

    private Entry toEntry(KvEntry kv) {
        String prefix = keyPrefix + "/";
        if (!kv.key().startsWith(prefix)) {
            return null;
        }
        long lease = kv.session() == null ? Entry.NO_LEASE : leaseIdOf(kv.session());
        return new Entry(kv.key().substring(prefix.length()), kv.value(), kv.modifyIndex(), kv.createIndex(), lease);
    }

    private Optional<String> resolve(long leaseId) {
        String id = sessions.get(leaseId);
        if (id != null) {
            return Optional.of(id);
        }
        if (leaseId == Entry.NO_LEASE) {
            return Optional.empty();
        }
        for (SessionInfo s : http.listSessions()) {
            if (leaseIdOf(s.id()) == leaseId) {
                return Optional.of(s.id());
            }
        }
        return Optional.empty();
    }

    static long leaseIdOf(String sessionId) {
        long id;
        try {
            id = UUID.fromString(sessionId).getMostSignificantBits();
        } catch (IllegalArgumentException notUuid) {
            id = sessionId.hashCode();
        }
        return id == Entry.NO_LEASE ? 1 : id;
    }

    private String full(String key) {
        return keyPrefix + "/" + key;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("backend closed: " + describe());
        }
    }

    private static void checkTtl(String name, Duration ttl) {
        Objects.requireNonNull(ttl, () -> name + " must not be null");
        if (ttl.compareTo(MINIMUM_TTL) < 0 || ttl.compareTo(MAXIMUM_TTL) > 0) {
            throw new IllegalArgumentException(name + " must be between Consul's limits of 10 s and 24 h, got " + ttl
                    + " (Consul rejects session TTLs outside [10s, 24h])");
        }
    }

    private static void checkKey(String name, String key) {
        Objects.requireNonNull(key, () -> name + " must not be null");
        if (key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException(
                    name + " must be non-empty and must not start or end with '/', got '" + key + "'");
        }
    }

    /**
     * Configures a {@link ConsulBackend}. Not threadsafe; what it builds is.
     */
    public static final class Builder {
        private URI address = URI.create("http://127.0.0.1:8500");
        private String aclToken;
        private String datacenter;
        private String keyPrefix = "baton";
        private Duration sessionTtl = CoordinatorBuilder.DEFAULT_SESSION_TTL;
        private Duration lockDelay = DEFAULT_LOCK_DELAY;
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Executor executor;

        private Builder() {}

        /**
         * Sets the agent's address: {@code http://host:port}, {@code https://host:port}, or {@code host:port} (http).
         *
         * @param agentAddress the address
         * @return this builder
         * @throws IllegalArgumentException if it is not such an address
         */
        public Builder agentAddress(String agentAddress) {
            Objects.requireNonNull(agentAddress, "agentAddress must not be null");
            String a = agentAddress.contains("://") ? agentAddress : "http://" + agentAddress;
            URI uri;
            try {
                uri = URI.create(a);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "agentAddress must look like http://host:port or https://host:port, got '" + agentAddress + "'",
                        e);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || (uri.getPath() != null
                            && !uri.getPath().isEmpty()
                            && !uri.getPath().equals("/"))) {
                throw new IllegalArgumentException(
                        "agentAddress must look like http://host:port or https://host:port, got '" + agentAddress
                                + "'");
            }
            this.address = URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
            return this;
        }

        /**
         * Sets the ACL token, sent as the {@code X-Consul-Token} header and never logged. Null or empty: none.
         *
         * @param token the token
         * @return this builder
         */
        public Builder aclToken(String token) {
            this.aclToken = token == null || token.isEmpty() ? null : token;
            return this;
        }

        /**
         * Sets the datacenter ({@code ?dc=}); null for the agent's own.
         *
         * @param datacenter the datacenter
         * @return this builder
         * @throws IllegalArgumentException if it holds anything but letters, digits, {@code -} and {@code _}
         */
        public Builder datacenter(String datacenter) {
            if (datacenter != null && !datacenter.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException(
                        "datacenter may hold only letters, digits, '-' and '_', got '" + datacenter + "'");
            }
            this.datacenter = datacenter;
            return this;
        }

        /**
         * Sets the key prefix every key of this backend lives under (default {@code baton}).
         *
         * @param keyPrefix letters, digits, {@code . _ ~ - /}; not starting or ending with {@code /}; at most 128
         * @return this builder
         * @throws IllegalArgumentException if it breaks these rules
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
            if (keyPrefix.isEmpty()
                    || keyPrefix.length() > 128
                    || keyPrefix.startsWith("/")
                    || keyPrefix.endsWith("/")
                    || keyPrefix.contains("//")
                    || !keyPrefix.matches("[A-Za-z0-9._~/-]+")) {
                throw new IllegalArgumentException("keyPrefix must be 1 to 128 of letters, digits and . _ ~ - /,"
                        + " not starting or ending with '/', got '" + keyPrefix + "'");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Sets the session TTL of coordinators built with {@link #coordinatorBuilder()} (default 10 s).
         *
         * @param ttl from 10 s to 24 h
         * @return this builder
         * @throws IllegalArgumentException if outside Consul's limits
         */
        public Builder sessionTtl(Duration ttl) {
            checkTtl("sessionTtl", ttl);
            this.sessionTtl = ttl;
            return this;
        }

        /**
         * Sets the lock-delay of the sessions this backend creates (default {@link #DEFAULT_LOCK_DELAY}).
         *
         * @param lockDelay from zero to 60 s, in whole seconds
         * @return this builder
         * @throws IllegalArgumentException if negative, above 60 s or not whole seconds
         */
        public Builder lockDelay(Duration lockDelay) {
            Objects.requireNonNull(lockDelay, "lockDelay must not be null");
            if (lockDelay.isNegative() || lockDelay.compareTo(MAXIMUM_LOCK_DELAY) > 0 || lockDelay.toNanosPart() != 0) {
                throw new IllegalArgumentException(
                        "lockDelay must be whole seconds from 0 s to Consul's maximum of 60 s, got " + lockDelay);
            }
            this.lockDelay = lockDelay;
            return this;
        }

        /**
         * Sets how long a request (other than a blocking query) may take before it fails as unavailable (default 5 s).
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "requestTimeout must not be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, got " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Sets the executor that runs HTTP work and watch callbacks, and the callbacks of coordinators built with
         * {@link #coordinatorBuilder()}; null (the default) for threads of the backend's own. Not shut down by the
         * backend. Each watch calls its listener from a task of its own on it, so with a bounded executor a listener
         * that blocks holds one of its threads.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Builds the backend. Nothing is sent until it is used.
         *
         * @return the backend
         */
        public ConsulBackend build() {
            return new ConsulBackend(this);
        }

        /**
         * Builds a backend and returns a coordinator builder on it, with this session TTL and executor, that closes
         * the backend when the coordinator closes.
         *
         * @return a coordinator builder
         */
        public CoordinatorBuilder coordinatorBuilder() {
            CoordinatorBuilder b =
                    Coordinator.builder(build()).sessionTtl(sessionTtl).closeBackendOnClose(true);
            if (executor != null) {
                b.callbackExecutor(executor);
            }
            return b;
        }
    }
}
