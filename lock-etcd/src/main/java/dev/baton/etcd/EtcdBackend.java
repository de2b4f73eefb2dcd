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
import dev.baton.etcd.internal.EtcdVersions;
import dev.baton.etcd.internal.LeaderChangeGuard;
import dev.baton.etcd.internal.ResumableWatch;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CoordinationBackend} over etcd's v3 API, through a jetcd {@link Client}. Build it with {@link
 * EtcdCoordinatorBuilder#buildBackend()} (or let {@link EtcdCoordinatorBuilder#build()} wire it into a coordinator).
 *
 * <p>How each primitive maps onto etcd, one request each:
 *
 * <ul>
 *   <li>a key's {@linkplain Entry#version() version} is its mod revision and its {@linkplain Entry#createSequence()
 *       creation sequence} (the fencing token) its create revision: the cluster's revision counter, which never goes
 *       backwards, so a token is never reused even after every key under a prefix was deleted;
 *   <li>{@link #createIfAbsent} is one {@code Txn}: if create revision = 0 then put with the lease; {@link
 *       #compareAndSet} and {@link #compareAndDelete} are one {@code Txn} each, comparing the mod revision;
 *   <li>{@link #list} is one range read of {@code prefix + "/"}, sorted by create revision, linearizable;
 *   <li>{@link #keepAlive} is one unary keep-alive ({@code keepAliveOnce}) under a deadline. The coordinator's
 *       session keeper calls it every third of the TTL and keeps the local deadline itself, so a renewal that hangs or
 *       fails is noticed on the caller's own timer; jetcd's streaming keep-alive, which has been seen to stop
 *       silently, is not used. An expired lease answers with TTL &le; 0, or "requested lease not found": both are
 *       reported as {@link NoSuchLeaseException};
 *   <li>{@link #watch} resumes from the last revision it delivered after a broken stream, and after a stream that
 *       left a progress request unanswered for one failover attempt (a stopped member answers nothing, not even an
 *       error); it reports a compacted history as {@link WatchListener#onReset(String) onReset} (see {@code
 *       ResumableWatch}).
 * </ul>
 *
 * <p><b>Failover.</b> Idempotent requests ({@link #get}, {@link #list}, {@link #compareAndDelete}, {@link
 * #revokeLease}), and {@link #grantLease} (whose lost answer only leaves an unused lease to expire), run in attempts,
 * the first of a quarter of the request timeout (250 ms to 1 s) and each later one twice as long, each on the next
 * endpoint of jetcd's round-robin, until the request timeout: a member that was killed, or a stopped leader that
 * answers nothing, costs one attempt instead of the whole request timeout. Renewals carry the leader-change rule
 * ({@link #keepAliveExtendsDeadline}).
 *
 * <p><b>TTLs.</b> etcd counts lease TTLs in whole seconds: a requested TTL is rounded <em>up</em>, so the server never
 * expires a lease before the TTL the coordinator computes its local deadline from. etcd also raises every TTL below
 * its own minimum (1.5 × its election timeout, rounded up to seconds: 2 s with the default 1 s election timeout)
 * without saying so. This backend therefore reports {@link #minimumTtl()} as configured ({@link
 * EtcdCoordinatorBuilder#minimumTtl(Duration)}, 2 s by default), so that shorter TTLs are rejected up front with a
 * message, and checks every grant: if the server still raised the TTL (its election timeout is longer than the
 * configured minimum assumes), the lease is revoked and {@link #grantLease} throws {@link IllegalArgumentException}
 * naming the TTL the server honours.
 *
 * <p>All keys live under the namespace ({@link EtcdCoordinatorBuilder#namespace(String)}); ranges and watches are
 * bounded to it.
 *
 * <p>Threadsafe. {@link #close()} is idempotent; afterwards every call except {@link #describe()}, {@link
 * #minimumTtl()}, {@link #maximumTtl()} and {@code close} throws {@link IllegalStateException}. A {@link Client}
 * given to the builder is never closed by this backend.
 */
public final class EtcdBackend implements CoordinationBackend {
    /** etcd's largest lease TTL ({@code MaxLeaseTTL}, 9,000,000,000 s). */
    public static final Duration MAXIMUM_TTL = Duration.ofSeconds(9_000_000_000L);

    private static final Logger log = LoggerFactory.getLogger(EtcdBackend.class);

    private static final Duration MIN_ATTEMPT = Duration.ofMillis(250);
    private static final Duration MAX_ATTEMPT = Duration.ofSeconds(1);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    /** The longest a leader-change probe waits for the members' status. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final Client client;
    private final boolean ownsClient;
    private final EtcdKeys keys;
    private final EtcdCalls calls;
    private final Duration requestTimeout;
    private final Duration minimumTtl;
    private final String description;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService probes;
    private final Set<ResumableWatch> watches = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> grantedTtlSeconds = new ConcurrentHashMap<>();
    private final LeaderChangeGuard leaderChanges;
    private volatile List<Member> knownMembers = List.of();
    private volatile boolean closed;

    EtcdBackend(
            Client client,
            boolean ownsClient,
            String namespace,
            Duration requestTimeout,
            Duration minimumTtl,
            String where,
            String user,
            EtcdCalls.Tls tls) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.keys = new EtcdKeys(namespace);
        this.requestTimeout = requestTimeout;
        this.minimumTtl = minimumTtl;
        this.description = "etcd " + where + " (namespace '" + keys.namespace() + "'"
                + (user == null ? "" : ", user '" + user + "'") + ")";
        this.calls = new EtcdCalls(description, user, tls);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "baton-etcd-watch-resume");
            t.setDaemon(true);
            return t;
        });
        this.probes = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "baton-etcd-leader-probe");
            t.setDaemon(true);
            return t;
        });
        this.leaderChanges =
                new LeaderChangeGuard(this::probeMembers, probes, System::nanoTime, LeaderChangeGuard.GRACE);
        log.debug("created a backend for {}", description);
    }

    /**
     * Describes the endpoints, namespace and user (never the password). Threadsafe; works after close.
     *
     * @return the description
     */
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

    /**
     * Returns the configured minimum TTL ({@link EtcdCoordinatorBuilder#minimumTtl(Duration)}): the shortest TTL the
     * server is expected to honour. Threadsafe.
     *
     * @return the minimum TTL
     */
    @Override
    public Duration minimumTtl() {
        return minimumTtl;
    }

    /**
     * Returns {@link #MAXIMUM_TTL}. Threadsafe.
     *
     * @return etcd's maximum lease TTL
     */
    @Override
    public Duration maximumTtl() {
        return MAXIMUM_TTL;
    }

    /**
     * Grants a lease of {@code ttl} rounded up to whole seconds. Threadsafe.
     *
     * @param ttl the TTL, from {@link #minimumTtl()} to {@link #MAXIMUM_TTL}
     * @return the lease id
     * @throws IllegalArgumentException if {@code ttl} is outside the limits, or the server raised it to a longer TTL
     *     (the lease is revoked then)
     * @throws NullPointerException if {@code ttl} is null
     * @throws BackendUnavailableException if etcd could not be reached or did not answer in time
     * @throws EtcdAuthenticationException if etcd refused the credentials
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public long grantLease(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl must not be null");
        if (ttl.compareTo(minimumTtl) < 0) {
            throw new IllegalArgumentException("ttl " + ttl + " is below the minimum TTL " + minimumTtl + " of "
                    + description + "; use at least " + minimumTtl);
        }
        if (ttl.compareTo(MAXIMUM_TTL) > 0) {
            throw new IllegalArgumentException(
                    "ttl " + ttl + " is above etcd's maximum lease TTL " + MAXIMUM_TTL + "; use at most that");
        }
        checkOpen();
        long seconds = wholeSecondsUp(ttl);
        // In failover attempts although a grant is not idempotent: a grant whose answer was lost leaves a lease that
        // nothing uses, and the server expires it after its TTL. A grant stuck on a stopped member would otherwise
        // cost a session that is reopening the whole request timeout.
        LeaseGrantResponse granted =
                withFailover(() -> client.getLeaseClient().grant(seconds), "a lease grant of " + seconds + " s");
        if (granted.getTTL() > seconds) {
            revokeQuietly(granted.getID());
            throw new IllegalArgumentException("etcd raised a lease TTL of " + seconds + " s to " + granted.getTTL()
                    + " s: its minimum lease TTL (1.5 x its election timeout, rounded up to seconds) is longer than "
                    + "the configured minimumTtl " + minimumTtl + ". Use TTLs of at least " + granted.getTTL()
                    + " s and set EtcdCoordinatorBuilder.minimumTtl(Duration.ofSeconds(" + granted.getTTL() + "))");
        }
        grantedTtlSeconds.put(granted.getID(), seconds);
        return granted.getID();
    }

    /**
     * Renews a lease with one unary keep-alive, waiting at most a third of the lease's TTL (or the request timeout,
     * whichever is shorter) so that one hung renewal leaves time for another before the caller's deadline.
     * Threadsafe.
     *
     * @param leaseId the lease
     * @throws NoSuchLeaseException if the lease expired or was revoked
     * @throws BackendUnavailableException if etcd could not be reached or did not answer in time
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public void keepAlive(long leaseId) {
        keepAliveExtendsDeadline(leaseId);
    }

    /**
     * Renews a lease as {@link #keepAlive(long)} does and tells whether the renewal may extend the holder's deadline,
     * by the raft term in the answer's header (see {@code LeaderChangeGuard}): after a leader change, renewals count
     * again only once the members that may have led the older term are known to have stepped down. Threadsafe.
     *
     * @param leaseId the lease
     * @return whether the deadline may count from this renewal
     * @throws NoSuchLeaseException if the lease expired or was revoked
     * @throws BackendUnavailableException if etcd could not be reached or did not answer in time
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public boolean keepAliveExtendsDeadline(long leaseId) {
        checkOpen();
        long sent = System.nanoTime();
        Long ttlSeconds = grantedTtlSeconds.get(leaseId);
        Duration timeout = requestTimeout;
        if (ttlSeconds != null) {
            Duration third = Duration.ofSeconds(ttlSeconds).dividedBy(3);
            if (third.compareTo(timeout) < 0) {
                timeout = third;
            }
        }
        LeaseKeepAliveResponse answer;
        try {
            answer = calls.await(client.getLeaseClient().keepAliveOnce(leaseId), timeout, "a lease keep-alive");
        } catch (BackendUnavailableException e) {
            if (EtcdCalls.isLeaseNotFound(e.getCause())) {
                grantedTtlSeconds.remove(leaseId);
                throw new NoSuchLeaseException(leaseId);
            }
            throw e;
        }
        if (answer.getTTL() <= 0) {
            grantedTtlSeconds.remove(leaseId);
            throw new NoSuchLeaseException(leaseId);
        }
        return leaderChanges.counts(answer.getHeader().getRaftTerm(), sent);
    }

    /**
     * Switches the leader-change rule off or on; off only for the negative control of the fault tests, which show
     * the violation the rule prevents.
     */
    void leaderChangeRule(boolean on) {
        leaderChanges.enabled(on);
    }

    /**
     * Asks every member for its Maintenance status, each within {@link #probeTimeout()}, in parallel. The member list
     * is read through the client and remembered, so that a probe still knows every member when the list cannot be
     * read.
     */
    private LeaderChangeGuard.ClusterStatus probeMembers() {
        return probeMembers(probeTimeout());
    }

    private LeaderChangeGuard.ClusterStatus probeMembers(Duration timeout) {
        try {
            List<Member> list = calls.await(client.getClusterClient().listMember(), timeout, "a member list")
                    .getMembers();
            if (!list.isEmpty()) {
                knownMembers = list;
            }
        } catch (RuntimeException e) {
            if (knownMembers.isEmpty()) {
                throw e;
            }
        }
        List<Member> members = knownMembers;
        Map<Long, CompletableFuture<StatusResponse>> pending = new HashMap<>();
        for (Member m : members) {
            if (!m.getClientURIs().isEmpty()) {
                pending.put(
                        m.getId(),
                        client.getMaintenanceClient()
                                .statusMember(m.getClientURIs().get(0).toString()));
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Long, LeaderChangeGuard.MemberStatus> answers = new HashMap<>();
        Set<Long> ids = new HashSet<>();
        for (Member m : members) {
            ids.add(m.getId());
        }
        for (Map.Entry<Long, CompletableFuture<StatusResponse>> e : pending.entrySet()) {
            try {
                StatusResponse status =
                        e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                answers.put(
                        e.getKey(),
                        new LeaderChangeGuard.MemberStatus(
                                status.getRaftTerm(), status.getLeader(), status.getVersion()));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                e.getValue().cancel(true);
            } catch (ExecutionException | TimeoutException | RuntimeException failed) {
                e.getValue().cancel(true);
            }
        }
        return new LeaderChangeGuard.ClusterStatus(ids, answers);
    }

    /** How long a probe waits for the members: short, as it paces the leader-change rule; at most 1 s. */
    private Duration probeTimeout() {
        return requestTimeout.compareTo(PROBE_TIMEOUT) < 0 ? requestTimeout : PROBE_TIMEOUT;
    }

    /**
     * Reads every member's status once at connect time: seeds the leader-change rule with the current term and
     * leader, and logs a warning for each member that runs an etcd version with a known lease-safety bug.
     */
    void inspectCluster() {
        LeaderChangeGuard.ClusterStatus status;
        try {
            // Once, at connect time: wait the whole request timeout, so that a slow member is still inspected.
            status = probeMembers(requestTimeout);
        } catch (RuntimeException e) {
            log.debug("could not read the status of the members of {}: {}", description, e.toString());
            return;
        }
        leaderChanges.seed(status);
        for (Map.Entry<Long, LeaderChangeGuard.MemberStatus> e :
                status.answers().entrySet()) {
            String version = e.getValue().version();
            if (EtcdVersions.revokesFromStaleLeader(version)) {
                log.warn(
                        "{}: member {} runs etcd {}, in which a leader that stalls (CPU starvation, a slow fsync, a"
                                + " pause) may revoke, when it runs again, leases the new leader kept alive (etcd issues"
                                + " 12528 and 15247; fixed in 3.4.31 and 3.5.13 by pull request 16822, backported as"
                                + " 17465 and 17425). Holders stay safe: renewals count only once the old leader is"
                                + " known to have stepped down, so a leader that stalls for longer than about the"
                                + " session TTL minus its margin makes holders lose their locks. Upgrade etcd to"
                                + " 3.5.13 or later.",
                        description,
                        Long.toHexString(e.getKey()),
                        version);
            }
        }
    }

    /**
     * Revokes a lease, deleting its keys; an unknown lease is ignored. Threadsafe.
     *
     * @param leaseId the lease
     * @throws BackendUnavailableException if etcd could not be reached or did not answer in time
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public void revokeLease(long leaseId) {
        checkOpen();
        try {
            withFailover(() -> client.getLeaseClient().revoke(leaseId), "a lease revoke");
        } catch (BackendUnavailableException e) {
            if (!EtcdCalls.isLeaseNotFound(e.getCause())) {
                throw e;
            }
        }
        grantedTtlSeconds.remove(leaseId);
    }

    /**
     * Reads one key (linearizable). Threadsafe.
     *
     * @param key the key
     * @return the entry, or empty
     * @throws BackendUnavailableException if etcd could not be reached or did not answer in time
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public Optional<Entry> get(String key) {
        checkKey(key);
        checkOpen();
        GetResponse response = withFailover(() -> client.getKVClient().get(keys.key(key)), "a get of " + key);
        if (response.getKvs().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(entry(response.getKvs().get(0)));
    }

    /**
     * Creates a key if absent, in one {@code Txn}: if its create revision is 0, put it with the lease. Threadsafe.
     *
     * @param key the key
     * @param value the value
     * @param leaseId the lease, or {@link Entry#NO_LEASE}
     * @return the entry (version and creation sequence are the Txn's revision), or empty if the key existed
     * @throws NoSuchLeaseException if the lease does not exist
     * @throws BackendUnavailableException if etcd could not be reached or did not answer in time
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        checkKey(key);
        Objects.requireNonNull(value, "value must not be null");
        checkOpen();
        ByteSequence k = keys.key(key);
        TxnResponse response =
                commit(ifAbsent(k).Then(createOp(k, value, leaseId)), leaseId, "a create-if-absent Txn of " + key);
        if (!response.isSucceeded()) {
            return Optional.empty();
        }
        long revision = response.getHeader().getRevision();
        return Optional.of(new Entry(key, value, revision, revision, leaseId));
    }

    /**
     * Creates a key and lists the prefix in one {@code Txn}: compare the key's create revision with 0, then put it on
     * the lease and range over the prefix sorted by create revision, so a waiter joins the queue and learns its place
     * in one round trip instead of two. The range runs after the put in the same transaction, so the listing holds
     * the created key and is as of the create's revision. Threadsafe.
     *
     * @param key the key
     * @param value the value
     * @param leaseId the lease, or {@link Entry#NO_LEASE}
     * @param prefix the prefix to list
     * @return the listing, or empty when the key existed
     * @throws NoSuchLeaseException if the lease does not exist
     * @throws BackendUnavailableException if etcd could not be reached or did not answer in time
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public Optional<Listing> createIfAbsentAndList(String key, byte[] value, long leaseId, String prefix) {
        checkKey(key);
        checkKey(prefix);
        Objects.requireNonNull(value, "value must not be null");
        checkOpen();
        ByteSequence k = keys.key(key);
        TxnResponse response = commit(
                ifAbsent(k).Then(createOp(k, value, leaseId), Op.get(keys.rangeStart(prefix), listOption(prefix))),
                leaseId,
                "a create-if-absent-and-list Txn of " + key);
        if (!response.isSucceeded()) {
            return Optional.empty();
        }
        return Optional.of(listing(
                response.getGetResponses().get(0).getKvs(), response.getHeader().getRevision()));
    }

    /** A {@code Txn} whose success branch runs only if {@code k} does not exist. */
    private io.etcd.jetcd.Txn ifAbsent(ByteSequence k) {
        return client.getKVClient().txn().If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
    }

    private static Op createOp(ByteSequence k, byte[] value, long leaseId) {
        return Op.put(k, ByteSequence.from(value), putOption(leaseId, false));
    }

    /**
     * Replaces a key's value and lease in one {@code Txn} if its mod revision is still {@code expectedVersion}.
     * Threadsafe.
     *
     * @param key the key
     * @param expectedVersion the mod revision the caller last saw
     * @param value the new value
     * @param leaseId the lease afterwards, or {@link Entry#NO_LEASE}
     * @return the updated entry, or empty when the key is absent or was written since
     * @throws NoSuchLeaseException if the lease does not exist
     * @throws BackendUnavailableException if etcd could not be reached or did not answer in time
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        checkKey(key);
        Objects.requireNonNull(value, "value must not be null");
        checkOpen();
        if (expectedVersion <= 0) {
            return Optional.empty(); // an absent key has mod revision 0: comparing with it would create the key
        }
        ByteSequence k = keys.key(key);
        TxnResponse response = commit(
                client.getKVClient()
                        .txn()
                        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedVersion)))
                        .Then(Op.put(k, ByteSequence.from(value), putOption(leaseId, true))),
                leaseId,
                "a compare-and-set Txn of " + key);
        if (!response.isSucceeded()) {
            return Optional.empty();
        }
        PutResponse put = response.getPutResponses().get(0);
        long revision = response.getHeader().getRevision();
        long created = put.hasPrevKv() ? put.getPrevKv().getCreateRevision() : revision;
        return Optional.of(new Entry(key, value, revision, created, leaseId));
    }

    /**
     * Deletes a key in one {@code Txn} if its mod revision is still {@code expectedVersion}. Threadsafe.
     *
     * @param key the key
     * @param expectedVersion the mod revision the caller last saw
     * @return whether the key was deleted
     * @throws BackendUnavailableException if etcd could not be reached or did not answer in time
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        checkKey(key);
        checkOpen();
        if (expectedVersion <= 0) {
            return false;
        }
        ByteSequence k = keys.key(key);
        // Idempotent: once the delete took effect, a retry finds another mod revision and answers false.
        TxnResponse response = withFailover(
                () -> client.getKVClient()
                        .txn()
                        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedVersion)))
                        .Then(Op.delete(k, DeleteOption.DEFAULT))
                        .commit(),
                "a compare-and-delete Txn of " + key);
        return response.isSucceeded()
                && !response.getDeleteResponses().isEmpty()
                && response.getDeleteResponses().get(0).getDeleted() > 0;
    }

    /**
     * Lists the keys under {@code prefix + "/"} in one linearizable range read sorted by create revision. Threadsafe.
     *
     * @param prefix the prefix, without trailing {@code /}
     * @return the entries and the revision they were read at
     * @throws BackendUnavailableException if etcd could not be reached or did not answer in time
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public Listing list(String prefix) {
        checkKey(prefix);
        checkOpen();
        GetResponse response = withFailover(
                () -> client.getKVClient().get(keys.rangeStart(prefix), listOption(prefix)),
                "a list of " + prefix + "/");
        return listing(response.getKvs(), response.getHeader().getRevision());
    }

    /** The SPI listing of a range read sorted by create revision. */
    private Listing listing(List<KeyValue> kvs, long revision) {
        List<Entry> entries = new ArrayList<>(kvs.size());
        for (KeyValue kv : kvs) {
            entries.add(entry(kv));
        }
        return new Listing(entries, revision);
    }

    /** Everything under {@code prefix + "/"}, oldest creation first. */
    private GetOption listOption(String prefix) {
        return GetOption.builder()
                .withRange(keys.rangeEnd(prefix))
                .withSortField(GetOption.SortTarget.CREATE)
                .withSortOrder(GetOption.SortOrder.ASCEND)
                .build();
    }

    /**
     * Watches a key or prefix from {@code afterRevision + 1}. Events arrive on jetcd's threads, possibly before this
     * method returns. A broken stream is resumed from the last delivered revision; a compacted history, or a stream
     * that cannot be resumed within the request timeout, resets the watch. Threadsafe.
     *
     * @param keyOrPrefix the key or prefix
     * @param prefix whether {@code keyOrPrefix} names a prefix
     * @param afterRevision deliver changes with a revision greater than this
     * @param listener the listener
     * @return the watch
     * @throws BackendUnavailableException if the jetcd client refused to open the watch (it was closed)
     * @throws IllegalStateException if this backend is closed
     */
    @Override
    public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        checkKey(keyOrPrefix);
        Objects.requireNonNull(listener, "listener must not be null");
        checkOpen();
        ResumableWatch watch = new ResumableWatch(
                client.getWatchClient(),
                client.getKVClient(),
                keys,
                keyOrPrefix,
                prefix,
                afterRevision,
                listener,
                scheduler,
                requestTimeout,
                attemptTimeout());
        watches.add(watch);
        try {
            watch.start();
        } catch (RuntimeException e) {
            watches.remove(watch);
            watch.stop();
            throw calls.translate(e, "a watch of " + keyOrPrefix);
        }
        if (closed) {
            watch.stop();
        }
        return () -> {
            watches.remove(watch);
            watch.close();
        };
    }

    /**
     * Reads the namespace once (a count-only range read), so that a builder fails at once, with a clear message,
     * when etcd cannot be reached, requires credentials that were not given, or denies the user the namespace: etcd
     * grants leases to anyone, so opening a session alone would not tell.
     *
     * @throws BackendUnavailableException if etcd could not be reached
     * @throws EtcdAuthenticationException if etcd refused the credentials or the namespace
     */
    void checkAccess() {
        checkOpen();
        // One request under the whole request timeout, not failover attempts: the first request authenticates, which
        // can take longer than one attempt (bcrypt on the server), and what matters here is its exact failure.
        calls.await(
                client.getKVClient()
                        .get(
                                keys.namespaceStart(),
                                GetOption.builder()
                                        .withRange(keys.namespaceEnd())
                                        .withCountOnly(true)
                                        .build()),
                requestTimeout,
                "a read of the namespace");
    }

    /**
     * Stops every watch and, if this backend built its jetcd client, closes it; a client given to the builder stays
     * open. The server's state (leases, keys) is left as it is. Idempotent. Threadsafe.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ResumableWatch watch : watches) {
            watch.stop();
        }
        watches.clear();
        scheduler.shutdownNow();
        probes.shutdownNow();
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

    /**
     * Runs an idempotent request (a read, a revoke, a compare-and-delete) in attempts within the request timeout, the
     * first of at most {@link #attemptTimeout()}, each later one twice as long as the one before. jetcd spreads calls over the endpoints round-robin, so a new
     * attempt goes to the next member: a request stuck on a stopped member (its sockets stay open, it answers nothing)
     * or failing on a killed one moves on to a member that can reach the leader, instead of waiting out the whole
     * request timeout. Credential and permission failures, and "lease not found", are not retried.
     */
    private <T> T withFailover(Supplier<CompletableFuture<T>> call, String what) {
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        long attempt = attemptTimeout().toNanos();
        int attempts = 0;
        while (true) {
            long started = System.nanoTime();
            long left = deadline - started;
            attempts++;
            try {
                return calls.await(call.get(), Duration.ofNanos(Math.min(left, attempt)), what);
            } catch (EtcdAuthenticationException e) {
                throw e;
            } catch (BackendUnavailableException e) {
                if (EtcdCalls.isLeaseNotFound(e.getCause())
                        || Thread.currentThread().isInterrupted()
                        || closed
                        || deadline - System.nanoTime() <= 0) {
                    if (attempts > 1 && e.getCause() instanceof TimeoutException) {
                        throw new BackendUnavailableException(
                                null,
                                description + " did not answer " + what + " within " + requestTimeout
                                        + " (request timeout; " + attempts + " attempts on the client's endpoints);"
                                        + " check that etcd runs and is reachable",
                                e);
                    }
                    throw e;
                }
                // Each attempt may take twice as long as the one before: a slow member (a busy machine) gets its
                // answer in, while a stopped one still costs only the first, short attempt.
                attempt *= 2;
                long quick = started + RETRY_PAUSE.toNanos() - System.nanoTime();
                if (quick > 0) {
                    // A fast failure (connection refused): pause briefly instead of spinning through the endpoints.
                    try {
                        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(quick) + 1);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * How long one attempt of an idempotent request may take: a quarter of the request timeout, between 250 ms and
     * 1 s; long enough for a healthy member under load, short enough to leave room for attempts on other members.
     */
    Duration attemptTimeout() {
        Duration quarter = requestTimeout.dividedBy(4);
        if (quarter.compareTo(MIN_ATTEMPT) < 0) {
            return requestTimeout.compareTo(MIN_ATTEMPT) < 0 ? requestTimeout : MIN_ATTEMPT;
        }
        return quarter.compareTo(MAX_ATTEMPT) > 0 ? MAX_ATTEMPT : quarter;
    }

    private TxnResponse commit(io.etcd.jetcd.Txn txn, long leaseId, String what) {
        try {
            return calls.await(txn.commit(), requestTimeout, what);
        } catch (BackendUnavailableException e) {
            if (leaseId != Entry.NO_LEASE && EtcdCalls.isLeaseNotFound(e.getCause())) {
                throw new NoSuchLeaseException(leaseId);
            }
            throw e;
        }
    }

    private static PutOption putOption(long leaseId, boolean prevKv) {
        PutOption.Builder option = PutOption.builder();
        if (leaseId != Entry.NO_LEASE) {
            option.withLeaseId(leaseId);
        }
        if (prevKv) {
            option.withPrevKV();
        }
        return option.build();
    }

    private Entry entry(KeyValue kv) {
        return new Entry(
                keys.spiKey(kv.getKey()),
                kv.getValue().getBytes(),
                kv.getModRevision(),
                kv.getCreateRevision(),
                kv.getLease());
    }

    private void revokeQuietly(long leaseId) {
        try {
            calls.await(client.getLeaseClient().revoke(leaseId), requestTimeout, "a lease revoke");
        } catch (RuntimeException e) {
            log.debug("could not revoke lease {}; it expires on its own: {}", Long.toHexString(leaseId), e.toString());
        }
    }

    private static long wholeSecondsUp(Duration ttl) {
        long seconds = ttl.getSeconds();
        return ttl.getNano() > 0 ? seconds + 1 : seconds;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(description + ": backend closed");
        }
    }

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key must not be null");
        if (key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException(
                    "key must be non-empty and must not start or end with '/', got '" + key + "'");
        }
    }
}
