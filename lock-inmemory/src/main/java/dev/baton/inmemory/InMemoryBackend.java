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
package dev.baton.inmemory;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One client of an {@link InMemoryCluster}: the {@link CoordinationBackend} the recipes run on. Every call is one
 * request to the cluster, answered on the calling thread; watch events are delivered on the thread whose write (or
 * timer) caused them.
 *
 * <p>Get one from {@link #builder()}, as every backend module's:
 *
 * <pre>{@code
 * // The embedded default: coordinators built this way anywhere in the JVM share the cluster named "default".
 * try (Coordinator coordinator = InMemoryBackend.builder().coordinatorBuilder().build()) { ... }
 *
 * // A test that steers time and inspects the server: a cluster of its own.
 * InMemoryCluster cluster = new InMemoryCluster(new ManualTimeSource());
 * Coordinator a = InMemoryBackend.builder().cluster(cluster).coordinatorBuilder().build();
 * InMemoryBackend client = InMemoryBackend.builder().cluster(cluster).build();   // to disconnect() it later
 * }</pre>
 *
 * <p>For tests of failure handling, {@link #disconnect()} cuts this client off the cluster as a network partition
 * would: calls fail with {@link BackendUnavailableException}, watches are reset, and the leases it holds expire on
 * the cluster's clock unless {@link #reconnect()} comes first and renews them.
 *
 * <p>Keys must follow the SPI's rules (ASCII letters, digits and {@code . _ ~ % - /}, not starting or ending with
 * {@code /}); this reference backend rejects other keys with {@link IllegalArgumentException} so that a recipe that
 * would break a stricter backend fails here first. {@link Entry#NO_LEASE} is accepted as a lease id and means a key
 * that lives until it is deleted.
 *
 * <p>Threadsafe. {@link #close()} is idempotent; after it every call except {@link #describe()}, {@link
 * #minimumTtl()}, {@link #maximumTtl()} and {@code close} throws {@link IllegalStateException}.
 */
public final class InMemoryBackend implements CoordinationBackend {
    /** The shortest lease TTL this backend grants. */
    public static final Duration MINIMUM_TTL = Duration.ofMillis(1);

    /** The longest lease TTL this backend grants. */
    public static final Duration MAXIMUM_TTL = Duration.ofDays(1);

    /** The name of the JVM-wide cluster a {@link #builder()} connects to when given neither a cluster nor a name. */
    public static final String DEFAULT_CLUSTER_NAME = "default";

    private static final int MAXIMUM_NAME_LENGTH = 128;

    private final InMemoryCluster cluster;
    private final String description;
    private final Runnable onClose;
    private final Set<WatchRegistration> watches = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean disconnected;

    InMemoryBackend(InMemoryCluster cluster, int clientId, Runnable onClose) {
        this.cluster = cluster;
        this.description = cluster.describe() + " (client " + clientId + ")";
        this.onClose = onClose;
    }

    /**
     * Starts building an in-memory backend. Without {@link Builder#cluster(InMemoryCluster)} it connects to the
     * JVM-wide cluster named {@value #DEFAULT_CLUSTER_NAME} (or the one given to {@link Builder#name(String)}).
     * Threadsafe.
     *
     * @return a new builder (not threadsafe)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds an {@link InMemoryBackend}, or a coordinator that owns one, connected either to a cluster you created
     * ({@link #cluster(InMemoryCluster)}) or to a JVM-wide cluster found by name ({@link #name(String)}, by default
     * {@value InMemoryBackend#DEFAULT_CLUSTER_NAME}).
     *
     * <p>A named cluster is one per name in the class loader that loaded this library (in a plain application, one
     * per JVM), so that two coordinators built with the defaults coordinate with each other, wherever in the process
     * they were built. It is created by the first backend built with its name and lives while any backend built on it
     * is open (including one that a coordinator owns); when the last of them closes, the cluster is closed too: its
     * keys and leases are dropped and its timer thread stops, and the next backend of that name starts an empty one.
     * It runs on the system's monotonic clock. Closing it by hand ({@code backend.cluster().close()}) ends it for every
     * backend on it, and the next build of its name starts a new one.
     *
     * <p>Not threadsafe: build from one thread. The named-cluster registry behind it is threadsafe, and what it builds
     * is threadsafe.
     */
    public static final class Builder {
        private InMemoryCluster cluster;
        private String name;

        private Builder() {}

        /**
         * Connects to {@code cluster} instead of a named one: use it to give the cluster a {@link ManualTimeSource},
         * to inspect or steer the server's side, or to keep tests apart from each other.
         *
         * @param cluster a cluster you created and close yourself
         * @return this builder
         * @throws NullPointerException if {@code cluster} is null
         */
        public Builder cluster(InMemoryCluster cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster must not be null");
            return this;
        }

        /**
         * Connects to the JVM-wide cluster of this name (see {@link Builder} for its lifetime), to keep apart
         * components of one process that must not see each other's locks.
         *
         * @param name 1 to 128 characters, none of them a control character; {@value
         *     InMemoryBackend#DEFAULT_CLUSTER_NAME} by default
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is empty, longer than 128 characters or holds a control
         *     character
         * @throws NullPointerException if {@code name} is null
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name must not be null");
            if (name.isEmpty()
                    || name.length() > MAXIMUM_NAME_LENGTH
                    || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("name must be 1 to " + MAXIMUM_NAME_LENGTH
                        + " characters without control characters, got '" + name + "' (" + name.length()
                        + " characters)");
            }
            this.name = name;
            return this;
        }

        /**
         * Builds a new client of the cluster. The caller owns it and closes it; pass it to {@link
         * Coordinator#builder(dev.baton.lock.spi.CoordinationBackend)}, or keep it to {@link #disconnect()} it.
         *
         * @return the backend
         * @throws IllegalStateException if both {@link #cluster(InMemoryCluster)} and {@link #name(String)} were set,
         *     or the given cluster is closed
         */
        public InMemoryBackend build() {
            return connector().get();
        }

        /**
         * Returns a coordinator builder whose {@link CoordinatorBuilder#build()} builds a new client of the cluster,
         * owns it and closes it with the coordinator. On a cluster created with a {@link
         * InMemoryCluster#InMemoryCluster(dev.baton.lock.spi.TimeSource) time source of its own}, the coordinator runs
         * on that time source too (unless {@link CoordinatorBuilder#timeSource} sets another), so that a {@link
         * ManualTimeSource} moves the clients' deadlines and the server's leases together. This builder's settings are
         * read now; changing them later does not affect the returned builder.
         *
         * @return a coordinator builder (not threadsafe)
         * @throws IllegalStateException if both {@link #cluster(InMemoryCluster)} and {@link #name(String)} were set
         */
        public CoordinatorBuilder coordinatorBuilder() {
            Supplier<InMemoryBackend> connector = connector();
            CoordinatorBuilder builder = Coordinator.builder(sessionTtl -> connector.get());
            if (cluster != null && cluster.hasGivenTimeSource()) {
                builder.timeSource(cluster.timeSource());
            }
            return builder;
        }

        private Supplier<InMemoryBackend> connector() {
            if (cluster != null && name != null) {
                throw new IllegalStateException("set either cluster(...) or name(\"" + name
                        + "\"), not both: name(...) picks a JVM-wide cluster, cluster(...) one you created");
            }
            InMemoryCluster given = cluster;
            String named = name == null ? DEFAULT_CLUSTER_NAME : name;
            return given != null ? () -> given.connect(() -> {}) : () -> NamedClusters.connect(named);
        }
    }

    /**
     * Cuts this client off the cluster, as a network partition would: every later call throws {@link
     * BackendUnavailableException}, and every open watch is reset ({@link WatchListener#onReset(String)} runs on the
     * calling thread) and delivers nothing more. The cluster's state is untouched, so this client's leases expire on
     * their own unless {@link #reconnect()} comes first. Idempotent. Threadsafe.
     *
     * @throws IllegalStateException if this backend is closed
     */
    public void disconnect() {
        checkOpen();
        disconnected = true;
        resetWatches();
    }

    /**
     * Restores a connection cut by {@link #disconnect()}; watches reset by the disconnect stay stopped (callers watch
     * again, as after any reset). Idempotent. Threadsafe.
     *
     * @throws IllegalStateException if this backend is closed
     */
    public void reconnect() {
        checkOpen();
        disconnected = false;
    }

    /**
     * Returns whether {@link #disconnect()} is in effect. Threadsafe.
     *
     * @return whether calls currently fail as unreachable
     */
    public boolean isDisconnected() {
        return disconnected;
    }

    /**
     * Returns the cluster this client is connected to. Threadsafe.
     *
     * @return the cluster
     */
    public InMemoryCluster cluster() {
        return cluster;
    }

    /**
     * Describes this client, for example {@code in-memory cluster@1 (client 2)}. Threadsafe; works after close.
     *
     * @return the description
     */
    @Override
    public String describe() {
        return description;
    }

    /**
     * Returns {@link #MINIMUM_TTL}. Threadsafe.
     *
     * @return one millisecond
     */
    @Override
    public Duration minimumTtl() {
        return MINIMUM_TTL;
    }

    /**
     * Returns {@link #MAXIMUM_TTL}. Threadsafe.
     *
     * @return one day
     */
    @Override
    public Duration maximumTtl() {
        return MAXIMUM_TTL;
    }

    /**
     * Grants a lease expiring {@code ttl} from now on the cluster's clock. Threadsafe.
     *
     * @param ttl the TTL, from {@link #MINIMUM_TTL} to {@link #MAXIMUM_TTL}
     * @return a new positive lease id
     * @throws IllegalArgumentException if {@code ttl} is outside the limits
     * @throws NullPointerException if {@code ttl} is null
     * @throws BackendUnavailableException if this client is disconnected or the cluster closed
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public long grantLease(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl must not be null");
        if (ttl.compareTo(MINIMUM_TTL) < 0) {
            throw new IllegalArgumentException(
                    "ttl must be at least the in-memory backend's minimum TTL of " + MINIMUM_TTL + ", got " + ttl);
        }
        if (ttl.compareTo(MAXIMUM_TTL) > 0) {
            throw new IllegalArgumentException(
                    "ttl must be at most the in-memory backend's maximum TTL of " + MAXIMUM_TTL + ", got " + ttl);
        }
        checkUsable();
        return cluster.grantLease(ttl.toNanos());
    }

    /**
     * Renews a lease for its full TTL from now. Threadsafe.
     *
     * @param leaseId the lease
     * @throws NoSuchLeaseException if the lease expired, was revoked or never existed
     * @throws BackendUnavailableException if this client is disconnected or the cluster closed
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public void keepAlive(long leaseId) {
        checkUsable();
        cluster.keepAlive(leaseId);
    }

    /**
     * Revokes a lease and deletes its keys; an unknown lease is ignored. Threadsafe.
     *
     * @param leaseId the lease
     * @throws BackendUnavailableException if this client is disconnected or the cluster closed
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public void revokeLease(long leaseId) {
        checkUsable();
        cluster.revokeLease(leaseId);
    }

    /**
     * Reads one key. Threadsafe.
     *
     * @param key the key
     * @return the entry, or empty when absent
     * @throws IllegalArgumentException if {@code key} breaks the SPI's key rules
     * @throws NullPointerException if {@code key} is null
     * @throws BackendUnavailableException if this client is disconnected or the cluster closed
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public Optional<Entry> get(String key) {
        checkKey("key", key);
        checkUsable();
        return cluster.get(key);
    }

    /**
     * Creates a key if it is absent; its version and creation sequence are the new revision. Threadsafe.
     *
     * @param key the key
     * @param value the value
     * @param leaseId the lease, or {@link Entry#NO_LEASE}
     * @return the entry, or empty if the key exists
     * @throws NoSuchLeaseException if the lease does not exist (checked before the key)
     * @throws IllegalArgumentException if {@code key} breaks the SPI's key rules
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws BackendUnavailableException if this client is disconnected or the cluster closed
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        checkKey("key", key);
        Objects.requireNonNull(value, "value must not be null");
        checkUsable();
        return cluster.createIfAbsent(key, value, leaseId);
    }

    /**
     * Replaces a key's value and lease if its version matches; the version becomes the new revision and the
     * creation sequence is kept. Threadsafe.
     *
     * @param key the key
     * @param expectedVersion the version the caller last saw
     * @param value the new value
     * @param leaseId the lease afterwards, or {@link Entry#NO_LEASE}
     * @return the updated entry, or empty when the key is absent or its version differs
     * @throws NoSuchLeaseException if the lease does not exist (checked before the key)
     * @throws IllegalArgumentException if {@code key} breaks the SPI's key rules
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws BackendUnavailableException if this client is disconnected or the cluster closed
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        checkKey("key", key);
        Objects.requireNonNull(value, "value must not be null");
        checkUsable();
        return cluster.compareAndSet(key, expectedVersion, value, leaseId);
    }

    /**
     * Deletes a key if its version matches. Threadsafe.
     *
     * @param key the key
     * @param expectedVersion the version the caller last saw
     * @return whether the key was deleted
     * @throws IllegalArgumentException if {@code key} breaks the SPI's key rules
     * @throws NullPointerException if {@code key} is null
     * @throws BackendUnavailableException if this client is disconnected or the cluster closed
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        checkKey("key", key);
        checkUsable();
        return cluster.compareAndDelete(key, expectedVersion);
    }

    /**
     * Lists the keys under {@code prefix + "/"} by creation sequence, with the current revision. Threadsafe.
     *
     * @param prefix the prefix, without trailing {@code /}
     * @return the listing
     * @throws IllegalArgumentException if {@code prefix} breaks the SPI's key rules
     * @throws NullPointerException if {@code prefix} is null
     * @throws BackendUnavailableException if this client is disconnected or the cluster closed
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public Listing list(String prefix) {
        checkKey("prefix", prefix);
        checkUsable();
        return cluster.list(prefix);
    }

    /**
     * Watches a key or prefix from {@code afterRevision}. Retained events after that revision are replayed first, on
     * the calling thread, possibly <em>before this method returns</em>; live events follow on the threads that cause
     * them. If the retained history does not reach back to {@code afterRevision}, the listener's {@code onReset} runs
     * once, on the calling thread, and nothing more is delivered. Threadsafe.
     *
     * @param keyOrPrefix the key or prefix
     * @param prefix whether {@code keyOrPrefix} names a prefix
     * @param afterRevision deliver changes with a revision greater than this
     * @param listener the listener
     * @return the watch; closing it stops delivery
     * @throws IllegalArgumentException if {@code keyOrPrefix} breaks the SPI's key rules
     * @throws NullPointerException if {@code keyOrPrefix} or {@code listener} is null
     * @throws BackendUnavailableException if this client is disconnected or the cluster closed
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        checkKey("keyOrPrefix", keyOrPrefix);
        Objects.requireNonNull(listener, "listener must not be null");
        checkUsable();
        WatchRegistration registration = cluster.watch(keyOrPrefix, prefix, afterRevision, listener);
        watches.add(registration);
        // A disconnect or close that ran meanwhile may have missed this registration.
        if (closed) {
            cluster.unwatch(registration, null);
        } else if (disconnected) {
            cluster.unwatch(registration, disconnectedMessage());
        }
        return () -> {
            watches.remove(registration);
            cluster.unwatch(registration, null);
        };
    }

    /**
     * Answers true: every call works on this JVM's memory and never waits on a network or a disk (a {@link
     * #disconnect() disconnected} client fails at once). Threadsafe.
     *
     * @return true
     */
    @Override
    public boolean callsNeverWait() {
        return true;
    }

    /**
     * Closes this client: its watches stop silently; the cluster's state, including this client's leases, is left as
     * it is, unless this was the last open client of a named cluster, which then closes (see {@link Builder}).
     * Idempotent. Threadsafe.
     */
    @Override
    public void close() {
        closed = true;
        for (WatchRegistration registration : drainWatches()) {
            cluster.unwatch(registration, null);
        }
        onClose.run();
    }

    @Override
    public String toString() {
        return "InMemoryBackend{" + description + (disconnected ? ", disconnected" : "") + (closed ? ", closed" : "")
                + "}";
    }

    private void resetWatches() {
        for (WatchRegistration registration : drainWatches()) {
            cluster.unwatch(registration, disconnectedMessage());
        }
    }

    private List<WatchRegistration> drainWatches() {
        List<WatchRegistration> taken = new ArrayList<>();
        for (WatchRegistration registration : watches) {
            if (watches.remove(registration)) {
                taken.add(registration);
            }
        }
        return taken;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("backend closed");
        }
    }

    private void checkUsable() {
        checkOpen();
        if (disconnected) {
            throw new BackendUnavailableException(null, disconnectedMessage(), null);
        }
    }

    private String disconnectedMessage() {
        return description
                + " is disconnected (InMemoryBackend.disconnect() was called); call reconnect() to restore it";
    }

    private static void checkKey(String name, String key) {
        BackendChecks.requireKey(name, key);
    }
}
