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
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.SystemTimeSource;
import dev.baton.lock.spi.TimeSource;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "server" of the in-memory backend: the keys, leases, revision counter and watch history shared by every
 * {@link InMemoryBackend} client connected to it. Semantics follow etcd: one global revision that grows on every key
 * change; an entry's creation sequence is the revision that created it (the fencing token) and its version the
 * revision that last wrote it; leases expire on this cluster's {@link TimeSource} at their deadline, deleting their
 * keys; watches replay retained history from a revision and then follow live changes without gaps.
 *
 * <p>Watch events are delivered on the thread that caused them (the writer, or the time source's thread for
 * expiries), after the cluster's lock is released and before that thread's call returns, unless another thread is
 * already delivering to the same watch. With a {@link ManualTimeSource} and direct executors, a whole system built on
 * this cluster is therefore deterministic.
 *
 * <p>Create one yourself when you want to see or steer the server's side, as tests do: give it a {@link
 * ManualTimeSource} to move time without sleeping, connect clients to it with {@code
 * InMemoryBackend.builder().cluster(cluster)}, inspect it with {@link #keys()} and {@link #liveLeaseCount()}, and close
 * it when done. Without {@code cluster(...)}, {@link InMemoryBackend#builder()} connects to a JVM-wide cluster of the
 * name it is given, which it creates and closes itself.
 *
 * <p>Threadsafe. {@link #close()} is idempotent; afterwards every backend call throws {@link
 * BackendUnavailableException}, as if the server were gone, while the introspection methods keep working.
 */
public final class InMemoryCluster implements AutoCloseable {
    /** How many events the watch history retains unless {@link #setHistoryLimit(int)} says otherwise. */
    public static final int DEFAULT_HISTORY_LIMIT = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryCluster.class);
    private static final AtomicInteger CLUSTER_IDS = new AtomicInteger();

    private final int id = CLUSTER_IDS.incrementAndGet();
    private final String description;
    private final TimeSource timeSource;
    private final SystemTimeSource ownedTimeSource; // null when the time source was given
    private final AtomicInteger clientIds = new AtomicInteger();

    private final Object lock = new Object();
    // Everything below is guarded by lock.
    private final TreeMap<String, Entry> store = new TreeMap<>();
    private final Map<Long, Lease> leases = new HashMap<>();
    // Ties broken by grant order, not by the random id, so that expiry order repeats from run to run.
    private final TreeSet<Lease> leasesByDeadline =
            new TreeSet<>(Comparator.comparingLong((Lease l) -> l.deadline).thenComparingLong(l -> l.grantOrder));
    private final ArrayDeque<WatchEvent> history = new ArrayDeque<>();
    private final WatchIndex watches = new WatchIndex();
    private final SplittableRandom random = new SplittableRandom();
    private int historyLimit = DEFAULT_HISTORY_LIMIT;
    /** The highest revision whose event is no longer retained; 0 while the history is complete. */
    private long compactedThrough;

    private long revision;
    private long grants;
    private boolean closed;

    /**
     * Creates a cluster on the system's monotonic clock, with a timer thread of its own that {@link #close()} stops.
     */
    public InMemoryCluster() {
        this("in-memory cluster@");
    }

    /**
     * Creates a cluster on the given clock; coordinators from {@link InMemoryBackend.Builder#coordinatorBuilder()}
     * on this cluster run on it too.
     *
     * @param timeSource the clock and timer leases expire on; not closed by this cluster
     * @throws NullPointerException if {@code timeSource} is null
     */
    public InMemoryCluster(TimeSource timeSource) {
        this.timeSource = Objects.requireNonNull(timeSource, "timeSource must not be null");
        this.ownedTimeSource = null;
        this.description = "in-memory cluster@" + id;
    }

    /** A cluster on the system clock, described as {@code descriptionPrefix} followed by its number. */
    InMemoryCluster(String descriptionPrefix) {
        this.ownedTimeSource = new SystemTimeSource("baton-inmemory-cluster-" + id + "-timer");
        this.timeSource = ownedTimeSource;
        this.description = descriptionPrefix + id;
    }

    /**
     * Returns the time source leases expire on. Threadsafe.
     *
     * @return the time source
     */
    public TimeSource timeSource() {
        return timeSource;
    }

    /**
     * Sets how many events the watch history retains; a watch asking to resume from before the oldest retained event
     * is reset. Shrinking drops the oldest events at once. Threadsafe.
     *
     * @param limit the number of events, zero or more; {@value #DEFAULT_HISTORY_LIMIT} by default
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public void setHistoryLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("history limit must be zero or more, got " + limit);
        }
        synchronized (lock) {
            historyLimit = limit;
            trimHistory();
        }
    }

    /**
     * Returns every stored key, sorted, after expiring the leases that are due. Threadsafe.
     *
     * @return a new list
     */
    public List<String> keys() {
        return introspect(toDrain -> new ArrayList<>(store.keySet()));
    }

    /**
     * Returns one stored entry, after expiring the leases that are due. Threadsafe.
     *
     * @param key the key
     * @return the entry, or empty when absent
     * @throws NullPointerException if {@code key} is null
     */
    public Optional<Entry> entry(String key) {
        Objects.requireNonNull(key, "key must not be null");
        return introspect(toDrain -> Optional.ofNullable(store.get(key)));
    }

    /**
     * Returns how many leases exist, after expiring the ones that are due. Threadsafe.
     *
     * @return the number of live leases
     */
    public int liveLeaseCount() {
        return introspect(toDrain -> leases.size());
    }

    /**
     * Returns the current revision: the number of key changes so far. Threadsafe.
     *
     * @return the revision, 0 before the first change
     */
    public long revision() {
        return introspect(toDrain -> revision);
    }

    /**
     * Revokes a lease and deletes its keys, as an operator (or a client) would; revoking an unknown lease does
     * nothing. Watch events are delivered on the calling thread. Threadsafe.
     *
     * @param leaseId the lease
     * @throws BackendUnavailableException if this cluster is closed
     */
    public void revokeLease(long leaseId) {
        operate(toDrain -> {
            Lease lease = leases.get(leaseId);
            if (lease != null) {
                removeLease(lease, toDrain);
            }
            return null;
        });
    }

    /**
     * Expires every lease now, deleting their keys, as a server that lost its sessions would. Clients learn it when
     * their next keep-alive fails. Watch events are delivered on the calling thread. Threadsafe.
     *
     * @return how many leases were expired
     * @throws BackendUnavailableException if this cluster is closed
     */
    public int expireAllLeases() {
        return operate(toDrain -> {
            List<Lease> all = new ArrayList<>(leasesByDeadline);
            for (Lease lease : all) {
                removeLease(lease, toDrain);
            }
            return all.size();
        });
    }

    /**
     * Deletes a key whatever its version, as an operator would. Watch events are delivered on the calling thread.
     * Threadsafe.
     *
     * @param key the key
     * @return whether the key existed
     * @throws BackendUnavailableException if this cluster is closed
     * @throws NullPointerException if {@code key} is null
     */
    public boolean deleteKey(String key) {
        Objects.requireNonNull(key, "key must not be null");
        return operate(toDrain -> {
            Entry entry = store.get(key);
            if (entry == null) {
                return false;
            }
            delete(entry, toDrain);
            return true;
        });
    }

    /**
     * Describes this cluster for messages.
     *
     * @return for example {@code in-memory cluster@1}
     */
    @Override
    public String toString() {
        return describe();
    }

    /**
     * Stops this cluster: pending lease timers are cancelled, every watch is reset, later backend calls throw {@link
     * BackendUnavailableException}, and the timer thread is stopped if this cluster created it. The keys and leases
     * stay readable through the introspection methods. Resets are delivered on the calling thread. Idempotent and
     * threadsafe.
     */
    @Override
    public void close() {
        Set<WatchRegistration> toDrain = new LinkedHashSet<>();
        try {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                for (Lease lease : leases.values()) {
                    cancelTimer(lease);
                }
                watches.resetAll(describe() + " was closed", toDrain);
            }
        } finally {
            drain(toDrain);
            if (ownedTimeSource != null) {
                ownedTimeSource.close();
            }
        }
    }

    // ---- operations of InMemoryBackend; arguments are already checked ----

    String describe() {
        return description;
    }

    /** Whether this cluster runs on a time source it was given (which its coordinators should share). */
    boolean hasGivenTimeSource() {
        return ownedTimeSource == null;
    }

    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /**
     * Returns a new client of this cluster, which runs {@code onClose} each time it is closed.
     *
     * @throws IllegalStateException if this cluster is closed
     */
    InMemoryBackend connect(Runnable onClose) {
        if (isClosed()) {
            throw new IllegalStateException(describe() + " is closed; connect to an open cluster");
        }
        return new InMemoryBackend(this, clientIds.incrementAndGet(), onClose);
    }

    long grantLease(long ttlNanos) {
        return operate(toDrain -> {
            long leaseId;
            do {
                leaseId = random.nextLong(1, Long.MAX_VALUE);
            } while (leases.containsKey(leaseId));
            long now = timeSource.nanoTime();
            Lease lease = new Lease(leaseId, ttlNanos, now + ttlNanos, grants++);
            leases.put(leaseId, lease);
            leasesByDeadline.add(lease);
            scheduleExpiryCheck(lease, now);
            return leaseId;
        });
    }

    void keepAlive(long leaseId) {
        operate(toDrain -> {
            Lease lease = requireLease(leaseId);
            // A TreeSet element's sort key must not change while it is in the set.
            leasesByDeadline.remove(lease);
            lease.deadline = timeSource.nanoTime() + lease.ttlNanos;
            leasesByDeadline.add(lease);
            // The pending timer fires at the old deadline and re-arms itself; no timer churn per renewal.
            return null;
        });
    }

    Optional<Entry> get(String key) {
        return operate(toDrain -> Optional.ofNullable(store.get(key)));
    }

    Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        return operate(toDrain -> {
            Lease lease = leaseId == Entry.NO_LEASE ? null : requireLease(leaseId);
            if (store.containsKey(key)) {
                return Optional.empty();
            }
            long rev = ++revision;
            Entry entry = new Entry(key, value, rev, rev, leaseId);
            put(entry, lease, toDrain);
            return Optional.of(entry);
        });
    }

    Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        return operate(toDrain -> {
            Lease lease = leaseId == Entry.NO_LEASE ? null : requireLease(leaseId);
            Entry old = store.get(key);
            if (old == null || old.version() != expectedVersion) {
                return Optional.empty();
            }
            detachFromLease(old);
            long rev = ++revision;
            Entry entry = new Entry(key, value, rev, old.createSequence(), leaseId);
            put(entry, lease, toDrain);
            return Optional.of(entry);
        });
    }

    boolean compareAndDelete(String key, long expectedVersion) {
        return operate(toDrain -> {
            Entry entry = store.get(key);
            if (entry == null || entry.version() != expectedVersion) {
                return false;
            }
            delete(entry, toDrain);
            return true;
        });
    }

    Listing list(String prefix) {
        return operate(toDrain -> {
            // '0' is the character after '/', so this range is exactly the keys starting with prefix + "/".
            // Copied by iterating: a sub-map's size() walks the range once more, and toArray allocates a view.
            List<Entry> entries = new ArrayList<>();
            for (Entry e : store.subMap(prefix + "/", true, prefix + "0", false).values()) {
                entries.add(e);
            }
            entries.sort(Comparator.comparingLong(Entry::createSequence));
            return new Listing(entries, revision);
        });
    }

    WatchRegistration watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        WatchRegistration registration = new WatchRegistration(keyOrPrefix, prefix, afterRevision, listener);
        return operate(toDrain -> {
            toDrain.add(registration);
            if (Math.max(afterRevision, 0L) < compactedThrough) {
                registration.reset("cannot resume the watch on '" + keyOrPrefix + "' after revision " + afterRevision
                        + ": " + describe() + " retains events only after revision " + compactedThrough
                        + " (history limit " + historyLimit + "); re-read and watch again");
                return registration;
            }
            List<WatchEvent> replay = new ArrayList<>();
            for (Iterator<WatchEvent> it = history.descendingIterator(); it.hasNext(); ) {
                WatchEvent event = it.next();
                if (event.revision() <= afterRevision) {
                    break;
                }
                if (registration.matches(event.key())) {
                    replay.add(event);
                }
            }
            for (int i = replay.size() - 1; i >= 0; i--) {
                registration.enqueue(replay.get(i));
            }
            watches.add(registration);
            return registration;
        });
    }

    /**
     * Stops a watch: silently when {@code resetReason} is null, else by delivering a reset on the calling thread.
     * Works on a closed cluster too.
     */
    void unwatch(WatchRegistration registration, String resetReason) {
        boolean queued = false;
        synchronized (lock) {
            watches.remove(registration);
            if (resetReason == null) {
                registration.close();
            } else {
                queued = registration.reset(resetReason);
            }
        }
        if (queued) {
            registration.drain();
        }
    }

    // ---- internals; every method below runs with lock held ----

    private <T> T operate(Function<Set<WatchRegistration>, T> operation) {
        Set<WatchRegistration> toDrain = new LinkedHashSet<>();
        try {
            synchronized (lock) {
                if (closed) {
                    throw new BackendUnavailableException(
                            null, describe() + " is closed; create a new InMemoryCluster", null);
                }
                expireDueLeases(toDrain);
                return operation.apply(toDrain);
            }
        } finally {
            // Outside the lock: listeners may call back into the cluster, and must never run under its lock.
            drain(toDrain);
        }
    }

    private <T> T introspect(Function<Set<WatchRegistration>, T> read) {
        Set<WatchRegistration> toDrain = new LinkedHashSet<>();
        try {
            synchronized (lock) {
                if (!closed) {
                    expireDueLeases(toDrain);
                }
                return read.apply(toDrain);
            }
        } finally {
            drain(toDrain);
        }
    }

    private static void drain(Set<WatchRegistration> toDrain) {
        for (WatchRegistration registration : toDrain) {
            registration.drain();
        }
    }

    private void expireDueLeases(Set<WatchRegistration> toDrain) {
        long now = timeSource.nanoTime();
        while (!leasesByDeadline.isEmpty() && leasesByDeadline.first().deadline - now <= 0) {
            Lease lease = leasesByDeadline.first();
            LOG.debug("{}: lease {} expired", this, Long.toHexString(lease.id));
            removeLease(lease, toDrain);
        }
    }

    private void scheduleExpiryCheck(Lease lease, long now) {
        lease.timer = timeSource.schedule(Duration.ofNanos(lease.deadline - now), () -> onExpiryTimer(lease));
    }

    private void onExpiryTimer(Lease lease) {
        Set<WatchRegistration> toDrain = new LinkedHashSet<>();
        try {
            synchronized (lock) {
                if (closed || leases.get(lease.id) != lease) {
                    return;
                }
                expireDueLeases(toDrain);
                if (leases.get(lease.id) == lease) {
                    // Kept alive since the timer was set: wait for the new deadline.
                    scheduleExpiryCheck(lease, timeSource.nanoTime());
                }
            }
        } finally {
            drain(toDrain);
        }
    }

    private Lease requireLease(long leaseId) {
        Lease lease = leases.get(leaseId);
        if (lease == null) {
            throw new NoSuchLeaseException(leaseId);
        }
        return lease;
    }

    private void removeLease(Lease lease, Set<WatchRegistration> toDrain) {
        leases.remove(lease.id);
        leasesByDeadline.remove(lease);
        cancelTimer(lease);
        for (String key : new ArrayList<>(lease.keys)) {
            delete(store.get(key), toDrain);
        }
    }

    private static void cancelTimer(Lease lease) {
        if (lease.timer != null) {
            lease.timer.cancel();
            lease.timer = null;
        }
    }

    private void put(Entry entry, Lease lease, Set<WatchRegistration> toDrain) {
        store.put(entry.key(), entry);
        if (lease != null) {
            lease.keys.add(entry.key());
        }
        emit(new WatchEvent(WatchEvent.Type.PUT, entry.key(), entry, entry.version()), toDrain);
    }

    private void delete(Entry entry, Set<WatchRegistration> toDrain) {
        store.remove(entry.key());
        detachFromLease(entry);
        emit(new WatchEvent(WatchEvent.Type.DELETE, entry.key(), null, ++revision), toDrain);
    }

    private void detachFromLease(Entry entry) {
        Lease lease = leases.get(entry.leaseId());
        if (lease != null) {
            lease.keys.remove(entry.key());
        }
    }

    private void emit(WatchEvent event, Set<WatchRegistration> toDrain) {
        history.addLast(event);
        trimHistory();
        watches.dispatch(event, toDrain);
    }

    private void trimHistory() {
        while (history.size() > historyLimit) {
            compactedThrough = history.pollFirst().revision();
        }
    }

    private static final class Lease {
        final long id;
        final long ttlNanos;
        final long grantOrder;
        final Set<String> keys = new LinkedHashSet<>();
        long deadline;
        TimeSource.Cancellable timer;

        Lease(long id, long ttlNanos, long deadline, long grantOrder) {
            this.id = id;
            this.ttlNanos = ttlNanos;
            this.deadline = deadline;
            this.grantOrder = grantOrder;
        }
    }
}
