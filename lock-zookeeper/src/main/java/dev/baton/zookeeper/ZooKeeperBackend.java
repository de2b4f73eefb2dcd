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
package dev.baton.zookeeper;

import dev.baton.lock.AccessDeniedException;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.LockException;
import dev.baton.lock.Subscription;
import dev.baton.lock.spi.AnswerDeadlines;
import dev.baton.lock.spi.BackendChecks;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchListener;
import dev.baton.zookeeper.internal.BackendSettings;
import dev.baton.zookeeper.internal.ConnectString;
import dev.baton.zookeeper.internal.CuratorConnector;
import dev.baton.zookeeper.internal.EntryWriter;
import dev.baton.zookeeper.internal.Housekeeper;
import dev.baton.zookeeper.internal.Layout;
import dev.baton.zookeeper.internal.LeaseReaper;
import dev.baton.zookeeper.internal.LeaseTies;
import dev.baton.zookeeper.internal.StructureNodes;
import dev.baton.zookeeper.internal.TreeReader;
import dev.baton.zookeeper.internal.WatchRegistry;
import dev.baton.zookeeper.internal.ZkCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.ACL;

/**
 * A {@link CoordinationBackend} on ZooKeeper, through Apache Curator's framework ({@code CuratorFramework}: create
 * with modes, versioned setData and delete, multi-operations, persistent watches), not through Curator's lock and
 * leader recipes.
 *
 * <p><b>Getting one.</b> {@code ZooKeeperBackend.builder().connectString(...)...coordinatorBuilder().build()} gives a
 * coordinator that builds this backend, owns it and closes it; its ZooKeeper session timeout then follows the
 * coordinator's {@link CoordinatorBuilder#sessionTtl(Duration) session TTL} (see {@link Builder#sessionTimeout}).
 * {@code ZooKeeperBackend.builder()...build()} gives a backend that you pass to {@link Coordinator#builder(
 * CoordinationBackend)} and close yourself.
 *
 * <p>How the SPI maps onto ZooKeeper (keys, fencing tokens, versions, leases expired on the server's clock, ties to
 * ZooKeeper sessions, foreign data, watches, requests per call, ACLs) is told in the {@linkplain dev.baton.zookeeper
 * package documentation}.
 *
 * <p><b>Errors.</b> Keys, prefixes and TTLs are checked by {@link BackendChecks} ({@link IllegalArgumentException}
 * naming the rule). A node under the namespace that holds data this backend did not write fails the call with {@link
 * LockException} naming the node. ZooKeeper's NoAuth and AuthFailed become {@link AccessDeniedException}, naming the
 * path and the ACL or credentials to fix.
 *
 * <p>Threadsafe. Every call blocks for at most the connection timeout waiting for a connection plus the request
 * timeout, and throws {@link BackendUnavailableException} when ZooKeeper cannot be reached; {@link
 * IllegalStateException} after {@link #close()} (except {@link #describe()}, the TTL limits and {@code close}).
 */
public final class ZooKeeperBackend implements CoordinationBackend {
    /** The longest lease TTL the backend grants. */
    public static final Duration MAXIMUM_TTL = Duration.ofDays(1);

    /**
     * The ZooKeeper session timeout that {@link Builder#build()} asks for when none was set: the coordinator's default
     * session TTL, so that a coordinator built over the backend with the default TTL has its session tied.
     */
    public static final Duration DEFAULT_SESSION_TIMEOUT = CoordinatorBuilder.DEFAULT_SESSION_TTL;

    private static final Duration MINIMUM_TIMEOUT = Duration.ofMillis(10);
    private static final Duration MAXIMUM_WAIT = Duration.ofHours(1);
    private static final Duration MINIMUM_REAP_INTERVAL = Duration.ofMillis(10);

    private final CuratorFramework curator;
    private final Layout layout;
    private final ZkCalls calls;
    private final WatchRegistry watches;
    private final LeaseReaper reaper;
    private final LeaseTies leases;
    private final TreeReader reader;
    private final EntryWriter writer;
    private final Duration reapInterval;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Housekeeper housekeeper;
    private final AnswerDeadlines deadlines;

    private ZooKeeperBackend(BackendSettings b, CuratorFramework curator, boolean ownsCurator) {
        this.curator = curator;
        this.layout = new Layout(b.root(curator));
        this.description = b.description(curator);
        this.calls = new ZkCalls(curator, description, b.identity());
        StructureNodes structure = new StructureNodes(layout, b.nodeAcl(), b.reapInterval());
        this.reader = new TreeReader(layout, calls, description);
        this.watches = new WatchRegistry(layout, calls, reader::toEntry);
        this.reapInterval = b.reapInterval();
        this.reaper = new LeaseReaper(layout, calls, structure, b.reapInterval().toMillis());
        this.leases = new LeaseTies(layout, calls, structure, reaper, reader, description);
        this.deadlines = new AnswerDeadlines("baton-zookeeper-answers " + description);
        this.writer = new EntryWriter(
                layout, calls, structure, leases, reader, watches, description, b.answerWithin(curator), deadlines);
        this.housekeeper = new Housekeeper(
                curator, ownsCurator, layout, reaper, leases, structure, watches, b.scheduler(), b.reapInterval());
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the Curator client this backend runs on (the one given to {@link Builder#curator(CuratorFramework)},
     * or the one it built). Do not close it while the backend is open.
     *
     * @return the client
     */
    public CuratorFramework curator() {
        return curator;
    }

    /**
     * Returns the session timeout the ZooKeeper server granted this client's current session; leases with a TTL up
     * to this are tied to the session.
     *
     * @return the negotiated session timeout
     * @throws BackendUnavailableException if not connected within the connection timeout
     */
    public Duration negotiatedSessionTimeout() {
        return Duration.ofMillis(calls.handle("read the session timeout").getSessionTimeout());
    }

    /**
     * Returns the absolute path under which this backend keeps its nodes (the Curator client's own namespace, if any,
     * followed by {@link Builder#namespace(String)}).
     *
     * @return the root path
     */
    public String rootPath() {
        return layout.root();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Duration minimumTtl() {
        return reapInterval.multipliedBy(4);
    }

    @Override
    public Duration maximumTtl() {
        return MAXIMUM_TTL;
    }

    @Override
    public long grantLease(Duration ttl) {
        BackendChecks.requireTtlWithin(this, "ttl", ttl);
        checkOpen();
        return leases.grant(ttl, true);
    }

    /**
     * Grants a lease that is never tied to this client's ZooKeeper session, whatever its TTL: a persistent lease node
     * that only its TTL (the reaper of any client in the namespace) or a revoke removes, so that it outlives this
     * client's session and {@link #close()}. Threadsafe.
     *
     * @param ttl the TTL, within {@link #minimumTtl()} and {@link #maximumTtl()}
     * @return the lease id
     * @throws IllegalArgumentException if {@code ttl} is outside the limits
     * @throws dev.baton.lock.BackendUnavailableException if the ensemble could not be reached
     */
    @Override
    public long grantDetachedLease(Duration ttl) {
        BackendChecks.requireTtlWithin(this, "ttl", ttl);
        checkOpen();
        return leases.grant(ttl, false);
    }

    @Override
    public void keepAlive(long leaseId) {
        checkOpen();
        leases.keepAlive(leaseId);
    }

    @Override
    public void revokeLease(long leaseId) {
        checkOpen();
        leases.revoke(leaseId);
    }

    @Override
    public Optional<Entry> get(String key) {
        requireOpen("key", key);
        return reader.get(key);
    }

    @Override
    public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        requireOpen("key", key);
        Objects.requireNonNull(value, "value must not be null");
        return writer.createIfAbsent(key, value, leaseId);
    }

    @Override
    public Optional<Listing> createIfAbsentAndList(String key, byte[] value, long leaseId, String prefix) {
        BackendChecks.requireKey("key", key);
        requireOpen("prefix", prefix);
        Objects.requireNonNull(value, "value must not be null");
        return writer.createIfAbsentAndList(key, value, leaseId, prefix);
    }

    @Override
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        requireOpen("key", key);
        Objects.requireNonNull(value, "value must not be null");
        return writer.compareAndSet(key, expectedVersion, value, leaseId);
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        requireOpen("key", key);
        return writer.compareAndDelete(key, expectedVersion);
    }

    @Override
    public CompletableFuture<Boolean> compareAndDeleteAsync(String key, long expectedVersion, Executor executor) {
        requireOpen("key", key);
        return writer.compareAndDeleteAsync(key, expectedVersion, executor);
    }

    @Override
    public Listing list(String prefix) {
        requireOpen("prefix", prefix);
        return reader.list(prefix);
    }

    @Override
    public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        requireOpen("keyOrPrefix", keyOrPrefix);
        Objects.requireNonNull(listener, "listener must not be null");
        return watches.subscribeAfter(keyOrPrefix, prefix, afterRevision, listener, reader);
    }

    /**
     * Runs one reaper round now, on the calling thread: removes every lease whose TTL has passed on the server's
     * clock. The backend does this by itself every reap interval; tests call it to measure.
     *
     * @return how many leases were removed
     * @throws BackendUnavailableException if ZooKeeper cannot be reached
     * @throws IllegalStateException if closed
     */
    public int reapExpiredLeases() {
        checkOpen();
        return reaper.reapOnce();
    }

    /**
     * Registers a listener told of every session-bound lease whose ZooKeeper handle has died (its session expired, as
     * the server or Curator found, or was closed): such a lease can never be renewed, and its ephemeral entries are
     * gone or going. Checked when Curator reports the connection LOST or RECONNECTED (with a new session), so the
     * coordinator learns within milliseconds of Curator instead of at its next renewal. Threadsafe.
     *
     * @param listener called on Curator's event thread with the lease id; must hand its work off
     * @return the registration
     * @throws NullPointerException if {@code listener} is null
     */
    @Override
    public Subscription onLeaseLost(LongConsumer listener) {
        return leases.onLeaseLost(listener);
    }

    /**
     * Stops the reaper and every watch (silently), removes the session-bound leases that can no longer be renewed,
     * removes the namespace's skeleton nodes if nothing else is left in them, and closes the Curator client if this
     * backend built it (a client given to the builder stays open). The server's state (keys and leases) is otherwise
     * left as it is. Idempotent.
     *
     * <p>A lease tied to a ZooKeeper session dies with it, but its node would stay until another client's reaper
     * removed it (forever with no other client in the namespace). So close removes, with their entries, the tied
     * leases of ended sessions, those of the current session when it closes the Curator client itself, and leases
     * whose grant got no answer (it may have taken effect); best effort, only while connected.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            housekeeper.close();
        } finally {
            deadlines.close();
        }
    }

    @Override
    public String toString() {
        return "ZooKeeperBackend{" + description + (closed.get() ? ", closed" : "") + "}";
    }

    /** Checks a key or prefix argument ({@link BackendChecks#requireKey}), then that the backend is open. */
    private void requireOpen(String name, String keyOrPrefix) {
        BackendChecks.requireKey(name, keyOrPrefix);
        checkOpen();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the ZooKeeper backend " + description + " is closed");
        }
    }

    /**
     * Configures a {@link ZooKeeperBackend}: either {@link #connectString(String)} (the backend then builds, starts and
     * closes its own Curator client) or {@link #curator(CuratorFramework)} (a started client that the backend uses
     * and never closes). {@link #build()} gives the backend; {@link #coordinatorBuilder()} a coordinator builder that
     * builds the backend for the coordinator's session TTL, owns it and closes it.
     *
     * <p>Not threadsafe; the backend it builds is.
     */
    public static final class Builder {
        private String connectString;
        private CuratorFramework curator;
        private String namespace = "baton";
        private Duration sessionTimeout; // null: follow the session TTL, or DEFAULT_SESSION_TIMEOUT for build()
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout;
        private Duration reapInterval = Duration.ofMillis(250);
        private String digestUser;
        private String digestPassword;
        private List<ACL> acl;
        private ScheduledExecutorService scheduler;

        private Builder() {}

        /**
         * Sets the ZooKeeper ensemble, for example {@code zk1:2181,zk2:2181,zk3:2181}.
         *
         * <p>The form is {@code host[:port][,host[:port]...][/chroot]}: a host is a name, an IPv4 address or an IPv6
         * address in brackets, a port is 1 to 65535 (2181 if left out), and no whitespace is allowed.
         *
         * @param connectString the connect string
         * @return this builder
         * @throws IllegalArgumentException if blank or malformed (a scheme, whitespace, an empty host, a port out of
         *     range, an invalid chroot); the message names the mistake
         * @throws NullPointerException if null
         */
        public Builder connectString(String connectString) {
            this.connectString = ConnectString.check(connectString);
            return this;
        }

        /**
         * Uses a Curator client the caller built and started; the backend never starts or closes it. Its own
         * namespace, if any, applies, and {@link #namespace(String)} is added beneath it. The session, connection
         * and authentication settings of this builder are then ignored: they are the client's (so its session
         * timeout does not follow the coordinator's session TTL; give it at least that TTL).
         *
         * @param curator the client, started before {@link #build()}
         * @return this builder
         * @throws NullPointerException if null
         */
        public Builder curator(CuratorFramework curator) {
            this.curator = Objects.requireNonNull(curator, "curator must not be null");
            return this;
        }

        /**
         * Sets the path under which every node lives (a chroot), {@code baton} by default; several segments such as
         * {@code apps/billing/locks} are allowed. Every coordinator that must exclude one another uses the same one.
         *
         * @param namespace the namespace, without leading {@code /} (one trailing {@code /} is dropped); the SPI's
         *     key rule applies ({@link BackendChecks#requireKey})
         * @return this builder
         * @throws IllegalArgumentException if it breaks the key rule or lies under ZooKeeper's reserved
         *     {@code /zookeeper}
         * @throws NullPointerException if null
         */
        public Builder namespace(String namespace) {
            Objects.requireNonNull(namespace, "namespace must not be null");
            String trimmed = namespace.endsWith("/") ? namespace.substring(0, namespace.length() - 1) : namespace;
            BackendChecks.requireKey("namespace", trimmed);
            if (trimmed.equals("zookeeper") || trimmed.startsWith("zookeeper/")) {
                throw new IllegalArgumentException(
                        "namespace must not be under ZooKeeper's reserved /zookeeper, got '" + namespace + "'");
            }
            this.namespace = trimmed;
            return this;
        }

        /**
         * Sets the ZooKeeper session timeout to ask for. Leave it unset: a coordinator from {@link
         * #coordinatorBuilder()} then asks for its {@link CoordinatorBuilder#sessionTtl(Duration) session TTL}, and
         * {@link #build()} asks for {@link #DEFAULT_SESSION_TIMEOUT} (10 s, the default session TTL).
         *
         * <p>The rule: leases whose TTL is at most the granted session timeout, such as a coordinator's session, are
         * tied to the ZooKeeper session (their entries are ephemeral, and an expired session is reported at once).
         * So an explicit value must be at least the coordinator's session TTL: {@link #coordinatorBuilder()}'s
         * coordinator refuses a shorter one when it is built. It must also be at least the minimum lease TTL, four
         * {@link #reapInterval(Duration) reap intervals} (checked by {@link #build()}). The server grants a value
         * between 2 and 20 ticks ({@code tickTime}, 2 s by default, so 4 s to 40 s) and a warning is logged when it
         * grants less than asked: longer leases then work as persistent nodes that only the reaper expires.
         *
         * @param timeout the timeout, from 10 ms to 1 day
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if null
         */
        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = BackendSettings.inRange(
                    "sessionTimeout",
                    timeout,
                    MINIMUM_TIMEOUT,
                    MAXIMUM_TTL,
                    "the ZooKeeper server grants 2 to 20 ticks anyway; ask for at least the coordinator's session TTL");
            return this;
        }

        /**
         * Sets how long a call waits for a connection before failing with {@link BackendUnavailableException} (5 s by
         * default).
         *
         * @param timeout the timeout, from 10 ms to 1 hour
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if null
         */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = BackendSettings.inRange(
                    "connectionTimeout",
                    timeout,
                    MINIMUM_TIMEOUT,
                    MAXIMUM_WAIT,
                    "every call may block this long while ZooKeeper is unreachable");
            return this;
        }

        /**
         * Sets how long a sent request waits for its answer ({@code zookeeper.request.timeout}); the connection
         * timeout by default.
         *
         * @param timeout the timeout, from 10 ms to 1 hour
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if null
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = BackendSettings.inRange(
                    "requestTimeout",
                    timeout,
                    MINIMUM_TIMEOUT,
                    MAXIMUM_WAIT,
                    "a sent request whose answer is lost blocks its caller this long");
            return this;
        }

        /**
         * Sets how often the backend looks for expired leases (250 ms by default). A crashed holder's lock is free at
         * most about one interval after its TTL passed on the server; the minimum TTL is four intervals.
         *
         * @param interval the interval, from 10 ms to 6 hours (a quarter of {@link #MAXIMUM_TTL})
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if null
         */
        public Builder reapInterval(Duration interval) {
            this.reapInterval = BackendSettings.inRange(
                    "reapInterval",
                    interval,
                    MINIMUM_REAP_INTERVAL,
                    MAXIMUM_TTL.dividedBy(4),
                    "each round costs at least two requests, and the minimum lease TTL is four intervals");
            return this;
        }

        /**
         * Authenticates with ZooKeeper's {@code digest} scheme and makes every created node {@code CREATOR_ALL_ACL}
         * plus world READ (unless {@link #acl(List)} says otherwise). The password is never logged.
         *
         * @param user the user name
         * @param password the password
         * @return this builder
         * @throws IllegalArgumentException if the user is empty or contains {@code :}
         * @throws NullPointerException if an argument is null
         */
        public Builder digestAuthentication(String user, String password) {
            Objects.requireNonNull(user, "user must not be null");
            Objects.requireNonNull(password, "password must not be null");
            if (user.isEmpty() || user.contains(":")) {
                throw new IllegalArgumentException("digest user must be non-empty and must not contain ':'");
            }
            this.digestUser = user;
            this.digestPassword = password;
            return this;
        }

        /**
         * Sets the ACL of every node the backend creates, instead of the default (world-open without authentication,
         * creator-all plus world-read with it).
         *
         * @param acl the ACL entries
         * @return this builder
         * @throws IllegalArgumentException if empty
         * @throws NullPointerException if null
         */
        public Builder acl(List<ACL> acl) {
            Objects.requireNonNull(acl, "acl must not be null");
            if (acl.isEmpty()) {
                throw new IllegalArgumentException("acl must not be empty");
            }
            this.acl = new ArrayList<>(acl);
            return this;
        }

        /**
         * Runs the lease reaper on this executor instead of a thread of the backend's own; the backend does not shut
         * it down.
         *
         * @param executor the executor
         * @return this builder
         * @throws NullPointerException if null
         */
        public Builder executor(ScheduledExecutorService executor) {
            this.scheduler = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * Builds a backend that you pass to {@link Coordinator#builder(CoordinationBackend)} and close yourself: starts
         * a Curator client if none was given, asking for the {@link #sessionTimeout(Duration) session timeout} set, or
         * {@link #DEFAULT_SESSION_TIMEOUT}, and waits for it to connect. Give the coordinator a session TTL of at most
         * that timeout, or its session is not tied to the ZooKeeper session.
         *
         * @return the backend
         * @throws IllegalStateException if neither or both of a connect string and a Curator client were given, if
         *     the Curator client given was never started (or is closed), or if the session timeout is shorter than
         *     four reap intervals (the minimum lease TTL)
         * @throws BackendUnavailableException if ZooKeeper cannot be reached within the connection timeout; its cause
         *     is ZooKeeper's ConnectionLoss
         * @throws AccessDeniedException if the server rejected the credentials
         */
        public ZooKeeperBackend build() {
            return open(null);
        }

        /**
         * Returns a builder of a coordinator that builds this backend when it is built, owns it and closes it with the
         * coordinator. The backend's ZooKeeper session timeout is then the coordinator's session TTL, unless {@link
         * #sessionTimeout(Duration)} was set; an explicit session timeout shorter than the session TTL is refused.
         * Later changes to this builder apply to coordinators built afterwards.
         *
         * <p>Its {@code build()} throws, besides what {@link CoordinatorBuilder#build()} and {@link #build()} throw,
         * {@link IllegalArgumentException} if the session TTL is shorter than four reap intervals, longer than {@link
         * #MAXIMUM_TTL} or longer than an explicit session timeout; the message says which setting to change.
         *
         * @return a coordinator builder, with {@link CoordinatorBuilder}'s own settings (session TTL, safety margin,
         *     executors, time source)
         */
        public CoordinatorBuilder coordinatorBuilder() {
            return Coordinator.builder(ttl -> open(ttl));
        }

        /** Builds the backend, for a coordinator with this session TTL, or on its own if null. */
        private ZooKeeperBackend open(Duration sessionTtl) {
            BackendSettings settings = new BackendSettings(
                    connectString,
                    curator,
                    namespace,
                    sessionTimeout,
                    DEFAULT_SESSION_TIMEOUT,
                    connectionTimeout,
                    requestTimeout,
                    reapInterval,
                    MAXIMUM_TTL,
                    digestUser,
                    digestPassword,
                    acl,
                    scheduler);
            Duration session = settings.sessionTimeoutFor(sessionTtl);
            if (curator != null) {
                CuratorConnector.requireStarted(curator);
                return new ZooKeeperBackend(settings, curator, false);
            }
            return new ZooKeeperBackend(settings, settings.connect(session), true);
        }
    }
}
