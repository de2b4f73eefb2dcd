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
package dev.baton.lock.tck;

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Subscription;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A decorator that cuts one client off from the server and loses acknowledgements on purpose, and counts the calls
 * made through it.
 *
 * <ul>
 *   <li>{@link #partition()}: from now on every call throws {@link BackendUnavailableException} without reaching the
 *       server, and every open watch is told {@link WatchListener#onReset(String) onReset} and delivers nothing more,
 *       as when the network between this client and the server is cut; {@link #heal()} reconnects.
 *   <li>{@link #failNextCreateAfterWrite()} / {@link #failNextDeleteAfterWrite()}: the next successful {@code
 *       createIfAbsent} / {@code compareAndDelete} takes effect on the server, then throws {@link
 *       BackendUnavailableException} as if the answer had been lost.
 * </ul>
 *
 * <p>Threadsafe. {@link #close()} always reaches the delegate, partitioned or not.
 */
public class FaultInjectingBackend extends ForwardingBackend {
    /** The calls the decorator counts. */
    public enum Call {
        /** {@link CoordinationBackend#grantLease(Duration)} and {@link CoordinationBackend#grantDetachedLease(Duration)}. */
        GRANT_LEASE,
        /** {@link CoordinationBackend#keepAlive(long)}. */
        KEEP_ALIVE,
        /** {@link CoordinationBackend#revokeLease(long)}. */
        REVOKE_LEASE,
        /** {@link CoordinationBackend#get(String)}. */
        GET,
        /** {@link CoordinationBackend#createIfAbsent(String, byte[], long)}. */
        CREATE_IF_ABSENT,
        /** {@link CoordinationBackend#compareAndSet(String, long, byte[], long)}. */
        COMPARE_AND_SET,
        /** {@link CoordinationBackend#compareAndDelete(String, long)}. */
        COMPARE_AND_DELETE,
        /** {@link CoordinationBackend#list(String)}. */
        LIST,
        /** {@link CoordinationBackend#watch(String, boolean, long, WatchListener)}. */
        WATCH
    }

    private final Map<Call, AtomicLong> counts = new EnumMap<>(Call.class);
    private final Set<CutOffWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failNextCreate = new AtomicBoolean();
    private final AtomicBoolean failNextDelete = new AtomicBoolean();
    private volatile boolean partitioned;
    private volatile boolean blackholed;
    private final Object blackholeMonitor = new Object();

    /** The longest a call hangs in a {@link #blackhole()} before failing, so that no test can hang forever. */
    public static final Duration BLACKHOLE_LIMIT = Duration.ofMinutes(2);

    /**
     * Wraps a backend.
     *
     * @param delegate the backend
     * @throws NullPointerException if {@code delegate} is null
     */
    public FaultInjectingBackend(CoordinationBackend delegate) {
        super(delegate);
        for (Call call : Call.values()) {
            counts.put(call, new AtomicLong());
        }
    }

    /**
     * Cuts this client off: every later call fails with {@link BackendUnavailableException}, and every open watch is
     * reset and goes silent. The server's state is untouched, so this client's leases expire there on their own.
     */
    public void partition() {
        partitioned = true;
        for (CutOffWatch watch : watches) {
            watch.reset("connection to the server cut by FaultInjectingBackend.partition()");
        }
    }

    /**
     * Makes the server silent for this client, as over a connection whose packets are dropped: every later call
     * blocks, without an error, until {@link #heal()} (or for at most {@link #BLACKHOLE_LIMIT}) and then fails with
     * {@link BackendUnavailableException} as a request timeout would; watch events stop arriving. This is the fault
     * that a client noticing only errors misses: nothing fails until long after the lease could have expired.
     */
    public void blackhole() {
        blackholed = true;
    }

    /**
     * Reconnects this client: calls blocked by {@link #blackhole()} fail and later calls go through. Watches reset by
     * a partition stay closed; watches that went silent in a blackhole are reset now, since they missed events.
     */
    public void heal() {
        partitioned = false;
        boolean wasBlackholed;
        synchronized (blackholeMonitor) {
            wasBlackholed = blackholed;
            blackholed = false;
            blackholeMonitor.notifyAll();
        }
        if (wasBlackholed) {
            for (CutOffWatch watch : watches) {
                watch.reset("events were dropped by FaultInjectingBackend.blackhole()");
            }
        }
    }

    /**
     * Tells whether the client is cut off.
     *
     * @return whether partitioned
     */
    public boolean isPartitioned() {
        return partitioned;
    }

    /**
     * Makes the next {@code createIfAbsent} that creates its key throw {@link BackendUnavailableException} after the
     * key was written, as if the acknowledgement had been lost.
     */
    public void failNextCreateAfterWrite() {
        failNextCreate.set(true);
    }

    /**
     * Makes the next {@code compareAndDelete} that deletes its key throw {@link BackendUnavailableException} after
     * the key was deleted, as if the answer had been lost.
     */
    public void failNextDeleteAfterWrite() {
        failNextDelete.set(true);
    }

    /**
     * Returns how many times a call was made through this decorator, failed ones included.
     *
     * @param call the call
     * @return the count
     */
    public long calls(Call call) {
        return counts.get(call).get();
    }

    /**
     * Returns the sum of the counts of several calls.
     *
     * @param calls the calls
     * @return the sum
     */
    public long calls(Call... calls) {
        long sum = 0;
        for (Call call : calls) {
            sum += calls(call);
        }
        return sum;
    }

    private void enter(Call call) {
        counts.get(call).incrementAndGet();
        if (blackholed) {
            hangUntilHealed(call);
        }
        if (partitioned) {
            throw new BackendUnavailableException(
                    null,
                    call + " failed: " + describe()
                            + " is cut off from the server by FaultInjectingBackend.partition()",
                    null);
        }
    }

    private void hangUntilHealed(Call call) {
        long deadline = System.nanoTime() + BLACKHOLE_LIMIT.toNanos();
        synchronized (blackholeMonitor) {
            long left;
            while (blackholed && (left = deadline - System.nanoTime()) > 0) {
                try {
                    blackholeMonitor.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new BackendUnavailableException(
                null, call + " timed out: the server did not answer (FaultInjectingBackend.blackhole())", null);
    }

    private BackendUnavailableException lostAnswer(Call call) {
        return new BackendUnavailableException(
                null, call + " took effect, but its answer was lost (FaultInjectingBackend)", null);
    }

    @Override
    public long grantLease(Duration ttl) {
        enter(Call.GRANT_LEASE);
        return super.grantLease(ttl);
    }

    @Override
    public long grantDetachedLease(Duration ttl) {
        enter(Call.GRANT_LEASE);
        return super.grantDetachedLease(ttl);
    }

    @Override
    public void keepAlive(long leaseId) {
        enter(Call.KEEP_ALIVE);
        super.keepAlive(leaseId);
    }

    @Override
    public OptionalLong keepAliveCountingFrom(long leaseId, long sentNanos) {
        enter(Call.KEEP_ALIVE);
        return super.keepAliveCountingFrom(leaseId, sentNanos);
    }

    @Override
    public void revokeLease(long leaseId) {
        enter(Call.REVOKE_LEASE);
        super.revokeLease(leaseId);
    }

    @Override
    public Optional<Entry> get(String key) {
        enter(Call.GET);
        return super.get(key);
    }

    @Override
    public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        enter(Call.CREATE_IF_ABSENT);
        Optional<Entry> created = super.createIfAbsent(key, value, leaseId);
        if (created.isPresent() && failNextCreate.compareAndSet(true, false)) {
            throw lostAnswer(Call.CREATE_IF_ABSENT);
        }
        return created;
    }

    /**
     * The combined create and list, passed on as one call so that a backend's one-request form is what is tested;
     * counted as one {@link Call#CREATE_IF_ABSENT} and one {@link Call#LIST}, and subject to the same faults as a
     * create (including {@link #failNextCreateAfterWrite()}).
     */
    @Override
    public Optional<Listing> createIfAbsentAndList(String key, byte[] value, long leaseId, String prefix) {
        enter(Call.CREATE_IF_ABSENT);
        counts.get(Call.LIST).incrementAndGet();
        Optional<Listing> created = delegate().createIfAbsentAndList(key, value, leaseId, prefix);
        if (created.isPresent() && failNextCreate.compareAndSet(true, false)) {
            throw lostAnswer(Call.CREATE_IF_ABSENT);
        }
        return created;
    }

    @Override
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        enter(Call.COMPARE_AND_SET);
        return super.compareAndSet(key, expectedVersion, value, leaseId);
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        enter(Call.COMPARE_AND_DELETE);
        boolean deleted = super.compareAndDelete(key, expectedVersion);
        if (deleted && failNextDelete.compareAndSet(true, false)) {
            throw lostAnswer(Call.COMPARE_AND_DELETE);
        }
        return deleted;
    }

    @Override
    public Listing list(String prefix) {
        enter(Call.LIST);
        return super.list(prefix);
    }

    @Override
    public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        enter(Call.WATCH);
        CutOffWatch watch = new CutOffWatch(listener);
        watches.add(watch);
        try {
            watch.started(super.watch(keyOrPrefix, prefix, afterRevision, watch));
        } catch (RuntimeException e) {
            watches.remove(watch);
            throw e;
        }
        if (partitioned) {
            // partition() ran while the watch was being opened and may have missed it.
            watch.reset("connection to the server cut by FaultInjectingBackend.partition()");
        }
        return watch;
    }

    /** News of a lost lease comes from the server, so a partitioned or blackholed client does not hear it. */
    @Override
    public Subscription onLeaseLost(LongConsumer listener) {
        return super.onLeaseLost(leaseId -> {
            if (!partitioned && !blackholed) {
                listener.accept(leaseId);
            }
        });
    }

    /** A watch that a partition resets; events are delivered under its lock so none slips past a reset. */
    private final class CutOffWatch implements Watch, WatchListener {
        private final WatchListener listener;
        private boolean done;
        private Watch inner;

        CutOffWatch(WatchListener listener) {
            this.listener = listener;
        }

        void started(Watch watch) {
            boolean closeNow;
            synchronized (this) {
                inner = watch;
                closeNow = done;
            }
            if (closeNow) {
                watch.close();
            }
        }

        @Override
        public synchronized void onEvent(WatchEvent event) {
            if (!done && !partitioned && !blackholed) {
                listener.onEvent(event);
            }
        }

        @Override
        public void onReset(String why) {
            reset(why);
        }

        void reset(String why) {
            Watch toClose;
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                toClose = inner;
            }
            // Outside the lock: the listener may run recipe code inline; onEvent sees done and delivers no more.
            listener.onReset(why);
            watches.remove(this);
            if (toClose != null) {
                toClose.close();
            }
        }

        @Override
        public void close() {
            Watch toClose;
            synchronized (this) {
                done = true;
                toClose = inner;
            }
            watches.remove(this);
            if (toClose != null) {
                toClose.close();
            }
        }
    }
}
