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
package dev.baton.lock.spi;

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Subscription;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * The primitives a backend offers to the recipes. Keys passed in are relative to the backend's own namespace and
 * consist only of ASCII letters, digits and {@code . _ ~ % - /}; they never start or end with {@code /}.
 *
 * <p>Implementations must be threadsafe. Every call is one request to the server (or a bounded number, stated by the
 * implementation), blocks until answered, and throws {@link BackendUnavailableException} when the server cannot be
 * reached or does not answer within the backend's request timeout. A call that throws may or may not have taken
 * effect; the recipes are written for that.
 */
public interface CoordinationBackend extends AutoCloseable {
    /**
     * Describes the backend and where it connects, for messages and logs. Must not contain secrets.
     *
     * @return a short description
     */
    String describe();

    /**
     * Returns the shortest lease TTL the server honours; shorter TTLs are rejected by the recipes with a message
     * naming this limit.
     *
     * @return the minimum TTL
     */
    Duration minimumTtl();

    /**
     * Returns the longest lease TTL the server honours.
     *
     * @return the maximum TTL
     */
    Duration maximumTtl();

    /**
     * Grants a lease that expires {@code ttl} after the server received the request unless kept alive. When it
     * expires or is revoked, every key attached to it is deleted.
     *
     * @param ttl the TTL, within {@link #minimumTtl()} and {@link #maximumTtl()}
     * @return the lease id, never {@link Entry#NO_LEASE}
     * @throws BackendUnavailableException if the server could not be reached
     */
    long grantLease(Duration ttl);

    /**
     * Grants a lease as {@link #grantLease(Duration)} does, that must also outlive this client: only its TTL or a
     * {@link #revokeLease(long) revoke} may end it, never the end of the client's connection or session, nor {@link
     * #close()}. The recipes ask for one where a lock must stay taken after its holder's process is gone (a TTL
     * lock's minimum hold, which keeps the lock on the server after the holder released it and exited).
     *
     * <p>Optional: the default calls {@link #grantLease(Duration)}, which is right for backends whose leases never
     * depend on the client (etcd, Consul, in-memory). A backend that ties some leases to its client (ZooKeeper ties
     * the short ones to its ZooKeeper session) overrides it. A wrapper that overrides {@code grantLease} must
     * override this too.
     *
     * @param ttl the TTL, within {@link #minimumTtl()} and {@link #maximumTtl()}
     * @return the lease id, never {@link Entry#NO_LEASE}
     * @throws BackendUnavailableException if the server could not be reached
     */
    default long grantDetachedLease(Duration ttl) {
        return grantLease(ttl);
    }

    /**
     * Renews a lease for another full TTL from when the server receives the request.
     *
     * @param leaseId the lease
     * @throws NoSuchLeaseException if the lease expired or was revoked
     * @throws BackendUnavailableException if the server could not be reached
     */
    void keepAlive(long leaseId);

    /**
     * Renews a lease as {@link #keepAlive(long)} does, and tells from which renewal the caller's local deadline may
     * count. The coordinator's deadline is {@code sendTime(renewal) + ttl - margin}, which is safe only if the server
     * will not expire the lease before {@code ttl} after it received that renewal. A backend that knows of a
     * server-side condition under which a renewal the server acknowledged does not (yet) prove that (etcd: a stalled
     * former leader that still holds its own, older view of lease expiry and may revoke leases once it runs again)
     * answers with the send time of an <em>earlier</em> renewal of the lease that it can now vouch for, or with
     * nothing: the lease was renewed, but the deadline stays where earlier renewals put it. The coordinator renews
     * sooner while renewals are not counted from themselves.
     *
     * <p>Optional: the default renews with {@link #keepAlive(long)} and answers {@code sentNanos}, the plain rule for
     * backends without such a condition. A wrapper that overrides {@code keepAlive} must override this too.
     *
     * @param leaseId the lease
     * @param sentNanos when the caller sent this renewal, on the caller's clock: an opaque value the backend may hand
     *     back, now or from a later call for the same lease, and never compares with its own clock
     * @return the send time, among the values passed for this lease, from which the deadline may count now; empty if
     *     none may
     * @throws NoSuchLeaseException if the lease expired or was revoked
     * @throws BackendUnavailableException if the server could not be reached
     */
    default OptionalLong keepAliveCountingFrom(long leaseId, long sentNanos) {
        keepAlive(leaseId);
        return OptionalLong.of(sentNanos);
    }

    /**
     * Revokes a lease and deletes its keys. Revoking an unknown lease does nothing.
     *
     * @param leaseId the lease
     * @throws BackendUnavailableException if the server could not be reached
     */
    void revokeLease(long leaseId);

    /**
     * Reads one key.
     *
     * @param key the key
     * @return the entry, or empty when absent
     * @throws BackendUnavailableException if the server could not be reached
     */
    Optional<Entry> get(String key);

    /**
     * Creates a key attached to a lease, only if it does not exist: one atomic step on the server.
     *
     * @param key the key
     * @param value the value
     * @param leaseId the lease the key lives and dies with
     * @return the created entry, with a creation sequence greater than any before it; empty if the key existed
     * @throws NoSuchLeaseException if the lease does not exist
     * @throws BackendUnavailableException if the server could not be reached
     */
    Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId);

    /**
     * Replaces a key's value and lease only if its version is still {@code expectedVersion}. The creation sequence
     * is kept.
     *
     * @param key the key
     * @param expectedVersion the version the caller last saw
     * @param value the new value
     * @param leaseId the lease the key is attached to afterwards
     * @return the updated entry, or empty when the key is absent or its version differs
     * @throws NoSuchLeaseException if the lease does not exist
     * @throws BackendUnavailableException if the server could not be reached
     */
    Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId);

    /**
     * Deletes a key only if its version is still {@code expectedVersion}.
     *
     * @param key the key
     * @param expectedVersion the version the caller last saw
     * @return whether the key was deleted
     * @throws BackendUnavailableException if the server could not be reached
     */
    boolean compareAndDelete(String key, long expectedVersion);

    /**
     * Starts a {@link #compareAndDelete(String, long)} and answers its outcome later, for a caller that must not wait
     * on a server that may not answer (a release: it waits a short while for the answer and leaves a late one to a
     * background cleanup). One attempt: whatever fails completes the future exceptionally, and the caller retries.
     *
     * <p>Optional: the default runs {@link #compareAndDelete(String, long)} on {@code executor}. A backend whose client
     * is asynchronous overrides it to send the request from the calling thread and complete the future with the answer
     * (etcd), which spares a hop to another thread and back; its future must complete, exceptionally after at most a
     * request timeout, even if the server never answers. A wrapper that overrides {@code compareAndDelete} must
     * override this too.
     *
     * @param key the key
     * @param expectedVersion the version the caller last saw
     * @param executor where the default runs the blocking call (the caller passes a direct executor when {@link
     *     #callsNeverWait()})
     * @return completes with whether the key was deleted, or exceptionally (for example with {@link
     *     BackendUnavailableException})
     */
    default CompletableFuture<Boolean> compareAndDeleteAsync(String key, long expectedVersion, Executor executor) {
        return CompletableFuture.supplyAsync(() -> compareAndDelete(key, expectedVersion), executor);
    }

    /**
     * Lists the keys directly or indirectly under {@code prefix + "/"}, ordered by creation sequence, as of one
     * revision.
     *
     * @param prefix the prefix, without trailing {@code /}
     * @return the entries and the revision they were read at
     * @throws BackendUnavailableException if the server could not be reached
     */
    Listing list(String prefix);

    /**
     * Creates a key as {@link #createIfAbsent} does and, when it was created, lists {@code prefix} as {@link #list}
     * does, as of a revision no older than the create: a waiter's first step, which joins the queue and sees its place
     * in it. A backend that can do both in one request overrides this (etcd: one {@code Txn} whose success branch
     * holds the put and the range); the default makes the two calls. If the listing fails after the create took
     * effect, the exception propagates and the key may exist, as when {@link #createIfAbsent}'s answer is lost.
     *
     * @param key the key, directly or indirectly under {@code prefix + "/"}
     * @param value the value
     * @param leaseId the lease the key lives and dies with
     * @param prefix the prefix to list, without trailing {@code /}
     * @return the listing, which holds the created entry unless it already expired; empty if the key existed
     * @throws NoSuchLeaseException if the lease does not exist
     * @throws BackendUnavailableException if the server could not be reached
     */
    default Optional<Listing> createIfAbsentAndList(String key, byte[] value, long leaseId, String prefix) {
        if (createIfAbsent(key, value, leaseId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(list(prefix));
    }

    /**
     * Watches a key, or every key under {@code prefix + "/"}, for changes after {@code afterRevision}. Events are
     * delivered one at a time, in revision order, without gaps; when that can no longer be promised (history
     * compacted, connection lost and not resumable) the backend calls {@link WatchListener#onReset(String)} once
     * and delivers nothing more. Listeners may be called on a client library's thread and must hand work off. Events
     * (replayed ones, or a reset) may be delivered before this method returns; callers must be ready for that.
     *
     * @param keyOrPrefix the key or prefix
     * @param prefix whether {@code keyOrPrefix} names a prefix
     * @param afterRevision deliver changes with a revision greater than this
     * @param listener the listener
     * @return the watch; closing it stops delivery
     * @throws BackendUnavailableException if the server could not be reached
     */
    Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener);

    /**
     * Registers a listener that the backend calls, with a lease id, when it learns on its own that a lease it granted
     * can no longer be kept alive: for example, when its client library reports that the connection's session, which
     * the lease was tied to, expired or was closed. The coordinator then declares its session lost at once, instead
     * of at its next {@link #keepAlive(long)} (up to a third of the TTL later). Only a hint that makes loss faster:
     * being told early is always safe, and the coordinator's own deadline and {@link NoSuchLeaseException} stay what
     * safety rests on. A backend must not report a lease it could still renew.
     *
     * <p>Optional: the default never calls the listener. The listener may be called on a client library's thread; it
     * hands its work off and returns at once.
     *
     * @param listener called with the id of a lease that is gone
     * @return the registration; closing it stops the calls
     */
    default Subscription onLeaseLost(LongConsumer listener) {
        return () -> {};
    }

    /**
     * Tells whether every call of this backend answers without waiting on anything outside this JVM's memory: no
     * network, no disk, no other process, so that no call can stall for long. The coordinator then makes a release's
     * server-side delete on the releasing thread, instead of handing it to a background thread and waiting a short
     * while for it (which it does so that a server that does not answer never holds a release up).
     *
     * <p>Optional: the default answers false, which is always safe. The in-memory backend answers true. A wrapper must
     * answer false if it may add waits (a fault injector does), and may pass its delegate's answer on otherwise.
     *
     * @return whether no call ever waits on a network, a disk or another process
     */
    default boolean callsNeverWait() {
        return false;
    }

    /** Releases client resources the backend created; the server's state is left as it is. Idempotent. */
    @Override
    void close();
}
