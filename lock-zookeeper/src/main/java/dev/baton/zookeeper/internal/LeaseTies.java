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
package dev.baton.zookeeper.internal;

import dev.baton.lock.LockException;
import dev.baton.lock.Subscription;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.NoSuchLeaseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grants, renews and revokes leases, and ties the short ones to this client's ZooKeeper session.
 *
 * <p>A lease whose TTL is at most the negotiated ZooKeeper session timeout is <em>tied</em> to the handle and session
 * it was granted on: its entries are ephemeral nodes, and once that handle is closed (its session expired, as the
 * server or Curator found, or the client was closed) every call naming the lease throws {@link NoSuchLeaseException}
 * at once, without waiting for a connection; a new session never adopts it. Longer leases are persistent nodes that
 * only the {@link LeaseReaper} expires, on the server's clock.
 *
 * <p>Threadsafe.
 */
public final class LeaseTies {
    private static final Logger log = LoggerFactory.getLogger(LeaseTies.class);

    private final Layout layout;
    private final ZkCalls calls;
    private final StructureNodes structure;
    private final LeaseReaper reaper;
    private final TreeReader reader;
    private final String description;
    /** The leases tied to a ZooKeeper session of this client: the handle and session they were granted on. */
    private final Map<Long, Tie> tiedLeases = new ConcurrentHashMap<>();

    private final Map<Long, Long> leaseTtls = new ConcurrentHashMap<>();
    private final List<LongConsumer> leaseLostListeners = new CopyOnWriteArrayList<>();
    private final OwnEntries own = new OwnEntries();
    /**
     * The most entries a revoke deletes in its one multi-operation without reading the lease first: a session lease
     * holding thousands of mutexes would otherwise make one request near ZooKeeper's request size limit.
     */
    public static final int ONE_REQUEST_REVOKE_LIMIT = 32;
    /**
     * Leases whose create failed without an answer (connection lost, request timed out, interrupted): it may have
     * taken effect, and the caller, told of a failure, will never renew or revoke it. Removed with the reaper's rounds
     * and at close, without waiting for its TTL: then the last client of a namespace leaves none behind either.
     */
    private final Set<Long> unacknowledgedGrants = ConcurrentHashMap.newKeySet();

    public LeaseTies(
            Layout layout,
            ZkCalls calls,
            StructureNodes structure,
            LeaseReaper reaper,
            TreeReader reader,
            String description) {
        this.layout = layout;
        this.calls = calls;
        this.structure = structure;
        this.reaper = reaper;
        this.reader = reader;
        this.description = description;
    }

    /**
     * Creates a lease node stamped with the server's time; tied when {@code tieable} and {@code ttl} fits the session.
     * One request.
     */
    public long grant(Duration ttl, boolean tieable) {
        long ttlMillis = ttl.toMillis() + (ttl.toNanosPart() % 1_000_000 == 0 ? 0 : 1);
        return calls.call("grant a lease", zk -> {
            boolean tied = tieable && ttlMillis <= zk.getSessionTimeout();
            for (int attempt = 0; attempt < ZkCalls.RACE_ATTEMPTS; attempt++) {
                long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
                try {
                    zk.create(layout.lease(id), NodeData.lease(ttlMillis), structure.acl(), CreateMode.PERSISTENT);
                } catch (KeeperException.NoNodeException e) {
                    structure.ensurePath(zk, layout.leasesRoot());
                    continue;
                } catch (KeeperException.NodeExistsException e) {
                    continue;
                } catch (KeeperException | InterruptedException e) {
                    // The create may have taken effect with its answer lost: no caller will ever know this lease.
                    unacknowledgedGrants.add(id);
                    throw e;
                }
                leaseTtls.put(id, ttlMillis);
                if (tied) {
                    tiedLeases.put(id, new Tie(zk, zk.getSessionId()));
                }
                return id;
            }
            throw new LockException(null, description + ": could not create a lease node", null);
        });
    }

    /** Rewrites a lease's node so that its mtime is the server's time now. */
    public void keepAlive(long leaseId) {
        requireLiveHandle(leaseId);
        calls.call("keep lease " + Layout.leaseName(leaseId) + " alive", zk -> {
            requireSession(zk, leaseId);
            long ttl = ttlOf(zk, leaseId);
            try {
                zk.setData(layout.lease(leaseId), NodeData.lease(ttl), -1);
            } catch (KeeperException.NoNodeException e) {
                throw new NoSuchLeaseException(leaseId);
            }
            return null;
        });
    }

    /**
     * Removes a lease with every entry attached to it; an unknown lease is ignored. A lease this client granted goes
     * in one request when every entry attached to it is one this client wrote, and there are at most {@value
     * #ONE_REQUEST_REVOKE_LIMIT} ({@link LeaseReaper#revoke(long, Map)}); otherwise, or when that fails, its references
     * are read first.
     */
    public void revoke(long leaseId) {
        Map<String, OwnEntries.Known> attached = own.attachedTo(leaseId);
        boolean oneRequest = leaseTtls.containsKey(leaseId) && attached.size() <= ONE_REQUEST_REVOKE_LIMIT;
        reaper.revoke(leaseId, oneRequest ? attached : null);
        attached.forEach(own::forget);
        tiedLeases.remove(leaseId);
        leaseTtls.remove(leaseId);
    }

    /** The entries this client last wrote, by key; shared with the {@link EntryWriter}. */
    OwnEntries ownEntries() {
        return own;
    }

    /**
     * The mode of an entry attached to a lease: ephemeral when the lease is tied to this client's current session.
     *
     * @throws NoSuchLeaseException if the lease is tied to a session this client no longer has
     */
    public CreateMode modeFor(ZooKeeper zk, long leaseId) {
        if (leaseId == Entry.NO_LEASE) {
            return CreateMode.PERSISTENT;
        }
        requireSession(zk, leaseId);
        return tiedLeases.containsKey(leaseId) ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT;
    }

    /**
     * Fails at once, without waiting for a connection, when a lease is tied to a ZooKeeper handle that is closed: the
     * handle's session expired (as the server or Curator found, including Curator's own expiry after a connection
     * SUSPENDED for the session timeout) or was closed, and a ZooKeeper handle never comes back from that. So the
     * first call naming the lease after an expiry throws {@link NoSuchLeaseException} within microseconds, instead
     * of waiting for Curator's next session (or, while the server is unreachable, for the connection timeout).
     */
    public void requireLiveHandle(long leaseId) {
        Tie tie = tiedLeases.get(leaseId);
        if (tie != null && !tie.handle().getState().isAlive()) {
            throw new NoSuchLeaseException(leaseId);
        }
    }

    /** Registers a listener told of every tied lease whose handle has died. */
    public Subscription onLeaseLost(LongConsumer listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        leaseLostListeners.add(listener);
        return () -> leaseLostListeners.remove(listener);
    }

    /** Tells the listeners of every tied lease whose handle has died; on Curator's LOST and RECONNECTED. */
    public void reportLeasesOfDeadHandles() {
        for (Map.Entry<Long, Tie> tied : tiedLeases.entrySet()) {
            if (!tied.getValue().handle().getState().isAlive()) {
                for (LongConsumer listener : leaseLostListeners) {
                    try {
                        listener.accept(tied.getKey());
                    } catch (RuntimeException e) {
                        log.warn("a lease-lost listener threw; ignoring it", e);
                    }
                }
            }
        }
    }

    /** Removes the leases whose grant got no answer; with the reaper's rounds and at close. */
    public void removeUnacknowledgedGrants() {
        for (Long id : unacknowledgedGrants) {
            try {
                reaper.revoke(id);
                unacknowledgedGrants.remove(id);
            } catch (RuntimeException e) {
                log.debug("could not yet remove lease {}, granted without an answer: {}", Layout.leaseName(id), e);
            }
        }
    }

    /**
     * At close: removes the tied leases that no session of this client can renew any more, those of sessions that
     * already ended and, if {@code currentToo} (the backend closes the Curator client itself), those of the current
     * session. Otherwise their nodes would stay until some other client's reaper expired them, and forever if no other
     * client runs in the namespace.
     */
    public void removeDeadTiedLeases(ZooKeeper current, boolean currentToo) {
        for (Map.Entry<Long, Tie> tied : tiedLeases.entrySet()) {
            boolean dead = currentToo
                    || tied.getValue().handle() != current
                    || tied.getValue().sessionId() != current.getSessionId();
            if (!dead) {
                continue;
            }
            try {
                reaper.revoke(tied.getKey());
                tiedLeases.remove(tied.getKey());
            } catch (RuntimeException e) {
                log.debug(
                        "could not remove lease {} at close; another client's reaper expires it: {}",
                        Layout.leaseName(tied.getKey()),
                        e.toString());
            }
        }
    }

    /** A lease tied to a ZooKeeper session is gone for good once this client has another session. */
    private void requireSession(ZooKeeper zk, long leaseId) {
        Tie tie = tiedLeases.get(leaseId);
        if (tie != null && tie.sessionId() != zk.getSessionId()) {
            throw new NoSuchLeaseException(leaseId);
        }
    }

    private long ttlOf(ZooKeeper zk, long leaseId) throws KeeperException, InterruptedException {
        Long known = leaseTtls.get(leaseId);
        if (known != null) {
            return known;
        }
        String path = layout.lease(leaseId);
        long ttl;
        try {
            ttl = NodeData.decodeLeaseTtl(zk.getData(path, false, null));
        } catch (KeeperException.NoNodeException e) {
            throw new NoSuchLeaseException(leaseId);
        } catch (NodeData.MalformedDataException e) {
            throw reader.foreignData(path, e);
        }
        leaseTtls.put(leaseId, ttl);
        return ttl;
    }

    /** The ZooKeeper handle and session a session-bound lease was granted on. */
    private record Tie(ZooKeeper handle, long sessionId) {}
}
