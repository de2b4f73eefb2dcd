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

import dev.baton.consul.internal.AclDenials;
import dev.baton.consul.internal.ConsulApiHttp;
import dev.baton.consul.internal.ConsulHttp;
import dev.baton.consul.internal.KvEntry;
import dev.baton.consul.internal.KvRead;
import dev.baton.lock.AccessDeniedException;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.spi.BackendChecks;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link CoordinationBackend} over the Consul HTTP API. Build one with {@link #builder()}; for a coordinator that owns its backend, {@code
 * ConsulBackend.builder()...coordinatorBuilder()}.
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
 *       its own write when it reads the key after such a failure ({@code ResentWriteCheck}; see {@code ConsulApiHttp} for
 *       the other requests).
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
 * read after a failed write has a request timeout of its own), and {@link AccessDeniedException} when Consul's ACLs
 * refuse the token (naming the policy rule to grant).
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

    /** What sets the TTL limits, for the messages of {@link BackendChecks#requireTtlWithin}. */
    private static final String TTL_LIMITS = "Consul's session TTL";

    private final ConsulHttp http;
    private final String address;
    private final String keyPrefix;
    private final String sessionName;
    private final String datacenter;
    private final SessionDirectory sessions;
    private final KvWrites writes;
    private final WatchBaselines baselines = new WatchBaselines();
    private final FencingRegressions fencing;
    private final SharedWatches watches;

    private volatile boolean closed;

    private ConsulBackend(Builder b) {
        this.address = b.address.toString();
        this.keyPrefix = b.keyPrefix;
        this.sessionName = "baton:" + b.keyPrefix;
        this.datacenter = b.datacenter;
        this.http = new ConsulApiHttp(b.address, b.aclToken, b.datacenter, b.requestTimeout, b.keyPrefix + "/");
        this.sessions = new SessionDirectory(http, sessionName, b.lockDelay);
        this.fencing = new FencingRegressions(b.keyPrefix);
        this.watches = new SharedWatches(http, this::toEntry);
        this.writes =
                new KvWrites(http, new AclDenials(address, b.aclToken != null, b.keyPrefix + "/"), sessions, watches);
    }

    /**
     * Starts a builder with the defaults: agent {@code http://127.0.0.1:8500}, no ACL token, the agent's datacenter,
     * key prefix {@code baton}, lock-delay {@link #DEFAULT_LOCK_DELAY}, request timeout 5 s.
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
     * @throws AccessDeniedException if Consul's ACLs refuse the token
     * @throws IllegalStateException if closed
     */
    @Override
    public long grantLease(Duration ttl) {
        BackendChecks.requireTtlWithin(this, "ttl", ttl);
        checkOpen();
        return sessions.create(ttl);
    }

    /**
     * Renews a session for another TTL. Threadsafe.
     *
     * @param leaseId the lease
     * @throws NoSuchLeaseException if the session is gone
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws AccessDeniedException if Consul's ACLs refuse the token
     * @throws IllegalStateException if closed
     */
    @Override
    public void keepAlive(long leaseId) {
        checkOpen();
        sessions.renew(leaseId);
    }

    /**
     * Destroys a session; Consul deletes the keys it holds. An unknown lease is ignored. Threadsafe.
     *
     * @param leaseId the lease
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws AccessDeniedException if Consul's ACLs refuse the token
     * @throws IllegalStateException if closed
     */
    @Override
    public void revokeLease(long leaseId) {
        checkOpen();
        sessions.destroy(leaseId);
    }

    /**
     * Reads one key. Threadsafe.
     *
     * @param key the key
     * @return the entry, or empty
     * @throws IllegalArgumentException if {@code key} breaks {@link BackendChecks#requireKey}'s rule
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws AccessDeniedException if Consul's ACLs refuse the token
     * @throws IllegalStateException if closed
     */
    @Override
    public Optional<Entry> get(String key) {
        BackendChecks.requireKey("key", key);
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
     * @throws IllegalArgumentException if {@code key} breaks {@link BackendChecks#requireKey}'s rule
     * @throws NoSuchLeaseException if the session is gone
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws AccessDeniedException if Consul's ACLs refuse the token
     * @throws IllegalStateException if closed
     */
    @Override
    public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        BackendChecks.requireKey("key", key);
        Objects.requireNonNull(value, "value must not be null");
        checkOpen();
        return writes.createIfAbsent(key, full(key), value, leaseId);
    }

    /**
     * Replaces a key's value and session if its version matches: one read, then one transaction. Threadsafe.
     *
     * @param key the key
     * @param expectedVersion the version ({@code ModifyIndex}) last seen
     * @param value the new value
     * @param leaseId the lease afterwards, or {@link Entry#NO_LEASE}
     * @return the entry, or empty if absent or changed
     * @throws IllegalArgumentException if {@code key} breaks {@link BackendChecks#requireKey}'s rule
     * @throws NoSuchLeaseException if the session is gone
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws AccessDeniedException if Consul's ACLs refuse the token
     * @throws IllegalStateException if closed
     */
    @Override
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        BackendChecks.requireKey("key", key);
        Objects.requireNonNull(value, "value must not be null");
        checkOpen();
        return writes.compareAndSet(key, full(key), expectedVersion, value, leaseId);
    }

    /**
     * Deletes a key if its version matches: one transaction ({@code check-index} + {@code delete}). Threadsafe.
     *
     * @param key the key
     * @param expectedVersion the version last seen
     * @return whether the key was deleted
     * @throws IllegalArgumentException if {@code key} breaks {@link BackendChecks#requireKey}'s rule
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws AccessDeniedException if Consul's ACLs refuse the token
     * @throws IllegalStateException if closed
     */
    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        BackendChecks.requireKey("key", key);
        checkOpen();
        return writes.compareAndDelete(key, full(key), expectedVersion);
    }

    /**
     * Lists the keys under {@code prefix + "/"} by {@code CreateIndex}, with the {@code X-Consul-Index} of the read.
     * Threadsafe.
     *
     * @param prefix the prefix
     * @return the listing
     * @throws IllegalArgumentException if {@code prefix} breaks {@link BackendChecks#requireKey}'s rule
     * @throws BackendUnavailableException if Consul cannot be reached
     * @throws AccessDeniedException if Consul's ACLs refuse the token
     * @throws IllegalStateException if closed
     */
    @Override
    public Listing list(String prefix) {
        BackendChecks.requireKey("prefix", prefix);
        checkOpen();
        long answeredBeforeSending = fencing.beforeSending();
        KvRead read = http.list(full(prefix) + "/");
        List<Entry> entries = new ArrayList<>();
        for (KvEntry kv : read.entries()) {
            Entry e = toEntry(kv);
            if (e != null) {
                entries.add(e);
            }
        }
        entries.sort(Comparator.comparingLong(Entry::createSequence));
        fencing.check(prefix, entries, answeredBeforeSending);
        Listing listing = new Listing(entries, read.index());
        baselines.remember(prefix, listing);
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
     * @throws IllegalArgumentException if {@code keyOrPrefix} breaks {@link BackendChecks#requireKey}'s rule
     * @throws IllegalStateException if closed
     */
    @Override
    public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        BackendChecks.requireKey("keyOrPrefix", keyOrPrefix);
        Objects.requireNonNull(listener, "listener must not be null");
        checkOpen();
        Listing baseline = baselines.covering(keyOrPrefix, afterRevision);
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
        return watches.start(keyOrPrefix, prefix, path, recurse, baseline.entries(), afterRevision, listener);
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
        watches.close();
        http.close();
    }

    @Override
    public String toString() {
        return "ConsulBackend{" + describe() + (closed ? ", closed" : "") + "}";
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
        return fencing.count();
    }

    private Entry toEntry(KvEntry kv) {
        String prefix = keyPrefix + "/";
        if (!kv.key().startsWith(prefix)) {
            return null;
        }
        long lease = kv.session() == null ? Entry.NO_LEASE : SessionDirectory.leaseIdOf(kv.session());
        return new Entry(kv.key().substring(prefix.length()), kv.value(), kv.modifyIndex(), kv.createIndex(), lease);
    }

    private String full(String key) {
        return keyPrefix + "/" + key;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("backend closed: " + describe());
        }
    }

    /**
     * Configures a {@link ConsulBackend}: the agent, credentials, key prefix and timeouts. The session TTL and the
     * executors are the coordinator's ({@link CoordinatorBuilder}); {@link #coordinatorBuilder()} hands the session
     * TTL to the backend. Not threadsafe; what it builds is.
     */
    public static final class Builder {
        private URI address = URI.create("http://127.0.0.1:8500");
        private String aclToken;
        private String datacenter;
        private String keyPrefix = "baton";
        private Duration lockDelay = DEFAULT_LOCK_DELAY;
        private Duration requestTimeout = Duration.ofSeconds(5);

        private Builder() {}

        /**
         * Sets the agent's address: {@code http://host:port}, {@code https://host:port}, or {@code host:port} (http).
         *
         * @param agentAddress the address
         * @return this builder
         * @throws IllegalArgumentException if it is not such an address
         * @throws NullPointerException if it is null
         */
        public Builder agentAddress(String agentAddress) {
            Objects.requireNonNull(agentAddress, "agentAddress must not be null");
            String a = agentAddress.contains("://") ? agentAddress : "http://" + agentAddress;
            URI uri;
            try {
                uri = URI.create(a);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || !(uri.getPath() == null
                            || uri.getPath().isEmpty()
                            || uri.getPath().equals("/"))) {
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
         * Sets the key prefix every key of this backend lives under (default {@code baton}); one trailing {@code /}
         * is dropped.
         *
         * @param keyPrefix a key by {@link BackendChecks#requireKey}'s rule
         * @return this builder
         * @throws IllegalArgumentException if it breaks that rule
         * @throws NullPointerException if it is null
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
            String p = keyPrefix.endsWith("/") ? keyPrefix.substring(0, keyPrefix.length() - 1) : keyPrefix;
            this.keyPrefix = BackendChecks.requireKey("keyPrefix", p);
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
            this.requestTimeout = BackendChecks.requirePositive("requestTimeout", timeout);
            return this;
        }

        /**
         * Builds the backend, which the caller owns and closes; use it with {@link Coordinator#builder(
         * CoordinationBackend)}. Nothing is sent until it is used.
         *
         * @return the backend
         */
        public ConsulBackend build() {
            return new ConsulBackend(this);
        }

        /**
         * Returns a coordinator builder whose {@code build()} builds a backend with these settings, for its session
         * TTL (a Consul session TTL: 10 s to 24 h), owns it and closes it with the coordinator.
         *
         * @return a coordinator builder
         */
        public CoordinatorBuilder coordinatorBuilder() {
            return Coordinator.builder(this::buildFor);
        }

        private ConsulBackend buildFor(Duration sessionTtl) {
            BackendChecks.requireTtlWithin("sessionTtl", sessionTtl, MINIMUM_TTL, MAXIMUM_TTL, TTL_LIMITS);
            return build();
        }
    }
}
