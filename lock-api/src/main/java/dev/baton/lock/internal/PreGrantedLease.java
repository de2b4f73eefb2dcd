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
package dev.baton.lock.internal;

import dev.baton.lock.spi.Entry;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The lease of its own that a TTL lock's or lease's queue entry is created on when the queue is expected to be empty,
 * so that a first entry holds on it from its first write: an uncontended TTL lock is then a grant, the create and,
 * at release, the revoke, instead of also a compare-and-set that moves the entry off the session onto its lease.
 *
 * <p>The lease is granted just before the create, so it expires on server time {@code ttl} after a moment before the
 * acquisition, as a lease granted once the entry won does. An entry that does not hold at once is moved onto the
 * session (a waiter must not block the queue for longer than the session TTL if its process dies) and this lease is
 * revoked. From the grant until the lease is kept by a holder or handed to a revoke, the attempt is a janitor section,
 * so a coordinator closing meanwhile waits for it and no lease is left behind.
 *
 * <p>Settled once: whichever of {@link #keep()}, {@link #revokeInBackground()} or {@link #revokeNow()} comes first
 * decides, except that {@link #revokeNow()} also revokes a kept lease. Threadsafe.
 */
final class PreGrantedLease {
    private enum State {
        NEW,
        PENDING,
        KEPT,
        REVOKED
    }

    private final Services services;
    private final LongSupplier grant;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile long leaseId;
    private volatile long grantSentNanos;

    /** A lease that {@code grant} grants when {@link #grant()} is called. */
    PreGrantedLease(Services services, LongSupplier grant) {
        this.services = services;
        this.grant = grant;
    }

    /**
     * Grants the lease. Returns its id.
     *
     * @throws IllegalStateException if the coordinator is closing
     * @throws RuntimeException as the backend's grant throws; then nothing is left to settle
     */
    long grant() {
        if (!services.janitor().enterSection()) {
            throw new IllegalStateException("the coordinator was closed");
        }
        long sent = services.time().nanoTime();
        long id;
        try {
            id = grant.getAsLong();
        } catch (RuntimeException e) {
            services.janitor().exitSection();
            throw e;
        }
        grantSentNanos = sent;
        leaseId = id;
        state.set(State.PENDING);
        return id;
    }

    /** Whether {@code entry} is on this lease, once granted. */
    boolean carries(Entry entry) {
        State s = state.get();
        return s != State.NEW && entry != null && entry.leaseId() == leaseId;
    }

    /** Whether the lease was granted and is neither kept nor revoked yet. */
    boolean pending() {
        return state.get() == State.PENDING;
    }

    /** The lease's id; meaningful once granted. */
    long leaseId() {
        return leaseId;
    }

    /** When the grant was sent, on the time source's clock. */
    long grantSentNanos() {
        return grantSentNanos;
    }

    /** The entry won on this lease: a holder takes the lease over. */
    void keep() {
        if (state.compareAndSet(State.PENDING, State.KEPT)) {
            services.janitor().exitSection();
        }
    }

    /** Revokes a pending lease (and any entry still on it) through the janitor. */
    void revokeInBackground() {
        if (state.compareAndSet(State.PENDING, State.REVOKED)) {
            services.janitor().revokeLease(leaseId);
            services.janitor().exitSection();
        }
    }

    /**
     * As a waiter withdraws its entry {@code own} (null if not created): revokes the lease if pending, or kept with
     * {@code own} on it, as {@link #revokeNow()} does. Returns whether nothing is left to remove: the entry was on the
     * lease, or never created.
     */
    boolean revokeWith(Entry own) {
        if (pending() || carries(own)) {
            revokeNow();
            return own == null || carries(own);
        }
        return false;
    }

    /**
     * Revokes the lease (and any entry on it) from this thread, or through the janitor if that fails; also a kept
     * lease, for a won entry that no holder took over (the acquisition was interrupted or the coordinator closed).
     */
    void revokeNow() {
        State before = state.getAndUpdate(s -> s == State.NEW ? s : State.REVOKED);
        if (before != State.PENDING && before != State.KEPT) {
            return;
        }
        try {
            services.backend().revokeLease(leaseId);
        } catch (RuntimeException e) {
            services.janitor().revokeLease(leaseId);
        } finally {
            if (before == State.PENDING) {
                services.janitor().exitSection();
            }
        }
    }
}
