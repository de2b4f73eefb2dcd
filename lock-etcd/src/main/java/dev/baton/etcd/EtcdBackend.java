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
package dev.baton.etcd;

import dev.baton.etcd.internal.EtcdCalls;
import dev.baton.etcd.internal.EtcdKeys;
import dev.baton.etcd.internal.LeaderChangeGuard;
import dev.baton.lock.AccessDeniedException;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.spi.AnswerDeadlines;
import dev.baton.lock.spi.BackendChecks;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchListener;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CoordinationBackend} over etcd's v3 API, through a jetcd {@link Client}.
 *
 * <p>How each primitive maps onto etcd (one request each), which requests fail over between members, and how TTLs are
 * rounded and checked: see the {@linkplain dev.baton.etcd package documentation}. Renewals carry the leader-change rule
 * ({@link #keepAliveCountingFrom}); the members' status for it is read over one channel per member, closed with
 * the backend.
 *
 * <p>All keys live under the namespace ({@link Builder#namespace(String)}); ranges and watches are bounded to it.
 *
 * <p><b>Errors.</b> Besides what {@link CoordinationBackend} states, every method that takes a key or prefix throws
 * {@link IllegalArgumentException} if it breaks {@link BackendChecks#requireKey(String, String)}; every request throws
 * {@link BackendUnavailableException} if etcd could not be reached or did not answer within the request timeout
 * ({@link Builder#requestTimeout(Duration)}), and {@link AccessDeniedException} if etcd refused the credentials, the
 * TLS client certificate or the permission, naming the user and what to grant.
 *
 * <p>Threadsafe. {@link #close()} is idempotent; afterwards every call except {@link #describe()}, {@link
 * #minimumTtl()}, {@link #maximumTtl()} and {@code close} throws {@link IllegalStateException}. A {@link Client}
 * given to the builder is never closed by this backend.
 */
public final class EtcdBackend implements CoordinationBackend {
    /** etcd's largest lease TTL ({@code MaxLeaseTTL}, 9,000,000,000 s). */
    public static final Duration MAXIMUM_TTL = Duration.ofSeconds(9_000_000_000L);

    private static final Logger log = LoggerFactory.getLogger(EtcdBackend.class);

    private final Client client;
    private final boolean ownsClient;
    private final EtcdKeys keys;
    private final EtcdCalls calls;
    private final EtcdRequests requests;
    private final Duration requestTimeout;
    private final Duration minimumTtl;
    private final String description;
    private final WatchRegistry watches;
    private final MemberProbes members;
    private final LeaderChangeGuard leaderChanges;
    private final EtcdLeases leases;
    private final KeyValueOperations kv;
    private final AnswerDeadlines deadlines;
    private volatile boolean closed;

    private EtcdBackend(JetcdConnection connection, String namespace, Duration requestTimeout, Duration minimumTtl) {
        this.client = connection.client();
        this.ownsClient = connection.owned();
        this.keys = new EtcdKeys(namespace);
        this.requestTimeout = requestTimeout;
        this.minimumTtl = minimumTtl;
        String user = connection.user();
        this.description = "etcd " + connection.where() + " (namespace '" + keys.namespace() + "'"
                + (user == null ? "" : ", user '" + user + "'") + ")";
        this.calls = new EtcdCalls(description, user, keys.namespace(), connection.tls());
        this.requests = new EtcdRequests(calls, description, requestTimeout, () -> closed);
        this.watches = new WatchRegistry(client, keys, calls, requestTimeout, requests.attemptTimeout());
        this.members = new MemberProbes(
                client.getClusterClient(),
                calls,
                new MemberStatusChannels(connection.sslContext(), client.getMaintenanceClient()),
                requestTimeout,
                description);
        this.leaderChanges =
                new LeaderChangeGuard(members::probe, members.executor(), System::nanoTime, LeaderChangeGuard.GRACE);
        this.leases = new EtcdLeases(client.getLeaseClient(), requests, minimumTtl, leaderChanges);
        this.deadlines = new AnswerDeadlines("baton-etcd-answers " + description);
        this.kv = new KeyValueOperations(client.getKVClient(), keys, requests, deadlines);
        log.debug("created a backend for {}", description);
    }

    /**
     * Starts a builder with the defaults. The builder is not threadsafe.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Describes the endpoints, namespace and user (never the password). Threadsafe; works after close. */
    @Override
    public String describe() {
        return description;
    }

    /**
     * Returns the namespace every key lives under, ending with {@code /}. Threadsafe.
     *
     * @return the namespace
     */
    public String namespace() {
        return keys.namespace();
    }

    /**
     * Returns how long one request may take before it fails with {@link BackendUnavailableException}. Threadsafe.
     *
     * @return the request timeout
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Returns {@link Builder#minimumTtl(Duration)}, the shortest TTL etcd is expected to honour. Threadsafe. */
    @Override
    public Duration minimumTtl() {
        return minimumTtl;
    }

    /** Returns {@link #MAXIMUM_TTL}. Threadsafe. */
    @Override
    public Duration maximumTtl() {
        return MAXIMUM_TTL;
    }

    /**
     * Grants a lease of {@code ttl} rounded up to whole seconds. Threadsafe.
     *
     * @throws IllegalArgumentException if {@code ttl} is outside the limits, or the server raised it to a longer TTL
     *     (the lease is revoked then)
     */
    @Override
    public long grantLease(Duration ttl) {
        BackendChecks.requireTtlWithin(this, "ttl", ttl);
        checkOpen();
        return leases.grant(ttl);
    }

    /**
     * Renews a lease with one unary keep-alive, waiting at most a third of the lease's TTL (or the request timeout,
     * whichever is shorter) so that one hung renewal leaves time for another before the caller's deadline.
     * Threadsafe.
     */
    @Override
    public void keepAlive(long leaseId) {
        checkOpen();
        leases.keepAlive(leaseId);
    }

    /**
     * Renews as {@link #keepAlive(long)} does; the deadline counts by the leader-change rule ({@code LeaderChangeGuard})
     * and from a renewal only once the next confirmed its term ({@code RenewalConfirmations}). Threadsafe.
     */
    @Override
    public OptionalLong keepAliveCountingFrom(long leaseId, long sentNanos) {
        checkOpen();
        return leases.keepAlive(leaseId, sentNanos);
    }

    /** Switches the leader-change rule off or on; off only for the negative control of the fault tests. */
    void leaderChangeRule(boolean on) {
        leaderChanges.enabled(on);
    }

    /** The member probes, for the test of their channels. */
    MemberProbes memberProbes() {
        return members;
    }

    /** Revokes a lease in failover attempts, deleting its keys; an unknown lease is ignored. Threadsafe. */
    @Override
    public void revokeLease(long leaseId) {
        checkOpen();
        leases.revoke(leaseId);
    }

    /** Reads one key (linearizable), in failover attempts. Threadsafe. */
    @Override
    public Optional<Entry> get(String key) {
        return kvFor(key).get(key);
    }

    /** Creates a key if absent, in one {@code Txn}: if its create revision is 0, put it with the lease. Threadsafe. */
    @Override
    public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        Objects.requireNonNull(value, "value must not be null");
        return kvFor(key).createIfAbsent(key, value, leaseId);
    }

    /**
     * Creates a key and lists the prefix in one {@code Txn}: compare the key's create revision with 0, then put it on
     * the lease and range over the prefix sorted by create revision, so a waiter joins the queue and learns its place
     * in one round trip. The listing holds the created key and is as of the create's revision. Threadsafe.
     */
    @Override
    public Optional<Listing> createIfAbsentAndList(String key, byte[] value, long leaseId, String prefix) {
        BackendChecks.requireKey("key", key);
        BackendChecks.requireKey("prefix", prefix);
        Objects.requireNonNull(value, "value must not be null");
        checkOpen();
        return kv.createIfAbsentAndList(key, value, leaseId, prefix);
    }

    /** Replaces a key's value and lease in one {@code Txn} if its mod revision is still as expected. Threadsafe. */
    @Override
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        Objects.requireNonNull(value, "value must not be null");
        return kvFor(key).compareAndSet(key, expectedVersion, value, leaseId);
    }

    /** Deletes a key in one {@code Txn} if its mod revision is still as expected, in failover attempts. Threadsafe. */
    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        return kvFor(key).compareAndDelete(key, expectedVersion);
    }

    /** The compare-and-delete {@code Txn} sent from the calling thread, one attempt of limited time. Threadsafe. */
    @Override
    public CompletableFuture<Boolean> compareAndDeleteAsync(String key, long expectedVersion, Executor executor) {
        return kvFor(key).compareAndDeleteAsync(key, expectedVersion);
    }

    /** Lists {@code prefix + "/"} in one linearizable range read sorted by create revision. Threadsafe. */
    @Override
    public Listing list(String prefix) {
        BackendChecks.requireKey("prefix", prefix);
        checkOpen();
        return kv.list(prefix);
    }

    /**
     * Watches a key or prefix from {@code afterRevision + 1}. Events arrive on jetcd's threads, possibly before this
     * method returns. A broken stream is resumed from the last delivered revision; a compacted history, or a stream
     * that cannot be resumed within the request timeout, resets the watch. Threadsafe.
     *
     * @throws BackendUnavailableException if the jetcd client refused to open the watch (it was closed)
     */
    @Override
    public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        BackendChecks.requireKey(prefix ? "prefix" : "key", keyOrPrefix);
        Objects.requireNonNull(listener, "listener must not be null");
        checkOpen();
        return watches.open(keyOrPrefix, prefix, afterRevision, listener);
    }

    /**
     * Reads the namespace once (a count-only range read), so that a coordinator builder fails at once, with a clear
     * message, when etcd cannot be reached, requires credentials that were not given, or denies the user the
     * namespace (etcd grants leases to anyone, so opening a session alone would not tell); then reads every member's
     * status once, which seeds the leader-change rule and warns of etcd versions with a known lease-safety bug.
     *
     * @throws BackendUnavailableException if etcd could not be reached
     * @throws AccessDeniedException if etcd refused the credentials or the namespace
     */
    void connect() {
        checkOpen();
        kv.readNamespace();
        members.inspect(leaderChanges);
    }

    /**
     * Stops every watch, closes the member probes' channels and, if this backend built its jetcd client, closes it; a
     * client given to the builder stays open. The server's state (leases, keys) is left as is. Idempotent. Threadsafe.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        deadlines.close();
        watches.close();
        members.close();
        if (ownsClient) {
            try {
                client.close();
            } catch (RuntimeException e) {
                log.debug("closing the jetcd client of {} failed: {}", description, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "EtcdBackend{" + description + (closed ? ", closed" : "") + "}";
    }

    /** Checks a key argument and that this backend is open; returns the key-value operations. */
    private KeyValueOperations kvFor(String key) {
        BackendChecks.requireKey("key", key);
        checkOpen();
        return kv;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(description + ": backend closed");
        }
    }

    /**
     * Settings of an {@link EtcdBackend}: where etcd is (endpoints, or a jetcd {@link Client} you built), the
     * namespace, credentials, TLS and timeouts. {@link #build()} gives the backend, which you own and close; {@link
     * #coordinatorBuilder()} gives a {@link CoordinatorBuilder} that builds the backend, owns it and closes it with the
     * coordinator, and takes the coordinator's own settings (session TTL, safety margin, executors, time source).
     *
     * <p>Either give endpoints (and optionally credentials and TLS), and the backend builds its own jetcd client and
     * closes it; or give a {@link Client} you built, which is used as it is and never closed by Baton.
     *
     * <p>Not threadsafe: use one builder from one thread; what it builds is threadsafe. Each setter checks its
     * argument at once. The password is kept only to hand it to jetcd and never appears in {@link #toString()},
     * descriptions, messages or logs.
     */
    public static final class Builder {
        /** The namespace used when none is set. */
        public static final String DEFAULT_NAMESPACE = "baton/";

        /** The request timeout used when none is set. */
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

        /** The minimum TTL used when none is set: etcd's own at its default 1 s election timeout (1.5 s rounded up). */
        public static final Duration DEFAULT_MINIMUM_TTL = Duration.ofSeconds(2);

        /** The least {@link #minimumTtl(Duration)}: etcd counts lease TTLs in whole seconds. */
        private static final Duration ONE_SECOND = Duration.ofSeconds(1);

        private final List<String> endpoints = new ArrayList<>();
        private Client client;
        private String namespace = DEFAULT_NAMESPACE;
        private String user;
        private byte[] password;
        private Path trustedCertificates;
        private Path clientCertificate;
        private Path clientKey;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration minimumTtl = DEFAULT_MINIMUM_TTL;

        private Builder() {}

        /**
         * Sets the etcd endpoints to connect to; requests are spread over them and fail over between them.
         *
         * @param urls one or more URLs such as {@code http://127.0.0.1:2379} ({@code https://} with TLS)
         * @return this builder
         * @throws IllegalArgumentException if there is none, or a URL lacks the scheme, host or port or carries
         *     credentials
         * @throws NullPointerException if {@code urls} or one of them is null
         */
        public Builder endpoints(String... urls) {
            Objects.requireNonNull(urls, "endpoints must not be null");
            if (urls.length == 0) {
                throw new IllegalArgumentException(
                        "endpoints must name at least one URL such as http://127.0.0.1:2379");
            }
            List<String> checked =
                    Arrays.stream(urls).map(JetcdConnection::checkEndpoint).toList();
            endpoints.clear();
            endpoints.addAll(checked);
            return this;
        }

        /**
         * Uses a jetcd client you built instead of endpoints, credentials and TLS. The client is never closed by
         * Baton; close it yourself after the backend. Keys still go under {@link #namespace(String)}, inside any
         * namespace the client itself has.
         *
         * @param client the client
         * @return this builder
         * @throws NullPointerException if {@code client} is null
         */
        public Builder client(Client client) {
            this.client = Objects.requireNonNull(client, "client must not be null");
            return this;
        }

        /**
         * Sets the key prefix every key of the backend lives under; coordinators that should coordinate with each
         * other must use the same one. Without one leading and one trailing {@code /}, it must be a key by {@link
         * BackendChecks#requireKey(String, String)} (ASCII letters, digits and {@code . _ ~ % - /}, no {@code //}, no
         * {@code .} or {@code ..} segment); a leading {@code /} is kept, a trailing {@code /} is added when missing.
         *
         * @param namespace the prefix; {@value #DEFAULT_NAMESPACE} by default
         * @return this builder
         * @throws IllegalArgumentException if it is blank or just {@code /}, or breaks the rule above (the message
         *     names the offending character or segment)
         * @throws NullPointerException if {@code namespace} is null
         */
        public Builder namespace(String namespace) {
            this.namespace = EtcdKeys.normalize(namespace);
            return this;
        }

        /**
         * Sets the user and password to authenticate with, for a cluster with auth enabled. A wrong pair makes the
         * coordinator builder's {@code build()} throw {@link AccessDeniedException} naming the user; the password is
         * never logged or shown.
         *
         * @param user the user name
         * @param password the password
         * @return this builder
         * @throws IllegalArgumentException if {@code user} or {@code password} is empty (jetcd itself refuses to
         *     authenticate with an empty password, before sending anything)
         * @throws NullPointerException if either is null
         */
        public Builder credentials(String user, String password) {
            Objects.requireNonNull(user, "user must not be null");
            Objects.requireNonNull(password, "password must not be null");
            if (user.isEmpty()) {
                throw new IllegalArgumentException("user must not be empty");
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("the password of user '" + user + "' is empty: the jetcd client"
                        + " refuses to authenticate with an empty password (its own check; no request would reach"
                        + " etcd). Give the user's password, or leave credentials(...) unset for a cluster without"
                        + " auth");
            }
            this.user = user;
            this.password = password.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * Connects with TLS, trusting the certificate authorities in a PEM file. Every endpoint must then use {@code
         * https://}. A server certificate that no CA of the file signed, or that does not name the endpoint's host,
         * makes the first request fail with a {@link BackendUnavailableException} saying so; a server that requires a
         * client certificate ({@code --client-cert-auth}) when none is set makes it fail with {@link
         * AccessDeniedException} naming {@link #tlsClientCertificate(Path, Path)}.
         *
         * @param caCertificates a PEM file of trusted CA certificates
         * @return this builder
         * @throws IllegalArgumentException if the file cannot be read
         * @throws NullPointerException if the path is null
         */
        public Builder tls(Path caCertificates) {
            this.trustedCertificates = JetcdConnection.readable("caCertificates", caCertificates);
            return this;
        }

        /**
         * Presents a client certificate (mutual TLS); needs {@link #tls(Path)} too. A certificate the server refuses
         * makes the first request fail with {@link AccessDeniedException}.
         *
         * @param certificate a PEM file with the client's certificate chain
         * @param privateKey a PEM file with its private key, in PKCS#8
         * @return this builder
         * @throws IllegalArgumentException if a file cannot be read
         * @throws NullPointerException if a path is null
         */
        public Builder tlsClientCertificate(Path certificate, Path privateKey) {
            this.clientCertificate = JetcdConnection.readable("certificate", certificate);
            this.clientKey = JetcdConnection.readable("privateKey", privateKey);
            return this;
        }

        /**
         * Sets how long one request may take before it fails with {@link BackendUnavailableException}; lease
         * keep-alives wait at most a third of their TTL, if that is shorter.
         *
         * @param timeout the timeout, positive; 5 s by default
         * @return this builder
         * @throws IllegalArgumentException if it is zero or negative
         * @throws NullPointerException if {@code timeout} is null
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = BackendChecks.requirePositive("requestTimeout", timeout);
            return this;
        }

        /**
         * Sets the shortest lease TTL the cluster honours: 1.5 × its {@code --election-timeout}, rounded up to whole
         * seconds (2 s for etcd's default 1 s election timeout, the default here). Shorter session, lock and lease
         * TTLs are rejected with a message naming this limit instead of being raised silently by etcd.
         *
         * @param minimum the minimum, at least 1 s
         * @return this builder
         * @throws IllegalArgumentException if it is below 1 s
         * @throws NullPointerException if {@code minimum} is null
         */
        public Builder minimumTtl(Duration minimum) {
            this.minimumTtl = BackendChecks.requireTtlWithin(
                    "minimumTtl", minimum, ONE_SECOND, MAXIMUM_TTL, "etcd, which counts lease TTLs in whole seconds");
            return this;
        }

        /**
         * Builds the backend, which the caller owns and closes; pass it to {@link
         * Coordinator#builder(CoordinationBackend)}. No request is made yet: unreachable servers, credentials and
         * permissions show on the first request.
         *
         * @return the backend
         * @throws IllegalStateException if neither endpoints nor a client were set, or both, or a client was set
         *     together with credentials or TLS, or a client certificate without {@link #tls(Path)}, or {@code
         *     https://} endpoints without {@link #tls(Path)}, or {@link #tls(Path)} with {@code http://} endpoints
         * @throws IllegalArgumentException if the TLS files cannot be loaded
         */
        public EtcdBackend build() {
            if (client == null) {
                return new EtcdBackend(
                        JetcdConnection.build(
                                endpoints,
                                user,
                                password,
                                trustedCertificates,
                                clientCertificate,
                                clientKey,
                                requestTimeout),
                        namespace,
                        requestTimeout,
                        minimumTtl);
            }
            if (!endpoints.isEmpty()) {
                throw new IllegalStateException("set either endpoints(...) or client(...), not both");
            }
            if (user != null || trustedCertificates != null || clientCertificate != null) {
                throw new IllegalStateException("credentials and TLS belong to the jetcd Client given to client(...);"
                        + " configure them on its ClientBuilder instead");
            }
            return new EtcdBackend(JetcdConnection.given(client), namespace, requestTimeout, minimumTtl);
        }

        /**
         * Returns a coordinator builder whose {@code build()} builds the backend with these settings, checks the
         * session TTL against {@link #minimumTtl(Duration)}, reads the namespace once (so that missing credentials or
         * permissions fail there, with a clear message), reads the members' status, opens the session and closes the
         * backend with the coordinator (or at once, if any of this fails).
         * The coordinator builder's {@code build()} throws, besides its own
         * exceptions, those of {@link #build()}, {@link BackendUnavailableException} if etcd could not be reached or
         * the TLS handshake failed (the message says why), and {@link AccessDeniedException} if etcd refused the
         * credentials, the TLS client certificate or its lack, or the namespace.
         *
         * @return a coordinator builder (not threadsafe) that owns the backend it builds
         */
        public CoordinatorBuilder coordinatorBuilder() {
            return Coordinator.builder(this::buildFor);
        }

        /** Builds and connects the backend for a coordinator with this session TTL; closes it if that fails. */
        private EtcdBackend buildFor(Duration sessionTtl) {
            BackendChecks.requireTtlWithin(
                    "sessionTtl",
                    sessionTtl,
                    minimumTtl,
                    MAXIMUM_TTL,
                    "this etcd backend" + " (EtcdBackend.Builder.minimumTtl, from etcd's election timeout)");
            EtcdBackend backend = build();
            try {
                backend.connect();
                return backend;
            } catch (RuntimeException | Error e) {
                backend.close();
                throw e;
            }
        }

        /**
         * Describes the settings, never the password.
         *
         * @return the description
         */
        @Override
        public String toString() {
            return "EtcdBackend.Builder{endpoints=" + endpoints + ", client=" + (client != null) + ", namespace="
                    + namespace + ", user=" + user + ", password=" + (password == null ? "unset" : "set") + ", tls="
                    + (trustedCertificates != null) + ", requestTimeout=" + requestTimeout + ", minimumTtl="
                    + minimumTtl + "}";
        }
    }
}
