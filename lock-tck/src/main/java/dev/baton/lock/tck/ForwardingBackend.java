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

import dev.baton.lock.Subscription;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * A backend that passes every call to another: the base of decorators that inject faults or, in the kit's
 * self-test, break a backend on purpose. Subclasses override the calls they change.
 *
 * <p>Threadsafe if the delegate is.
 */
public abstract class ForwardingBackend implements CoordinationBackend {
    private final CoordinationBackend delegate;
    private final boolean forwardsCreateAndList;
    private final boolean forwardsAsyncDelete;

    /**
     * Creates a decorator.
     *
     * @param delegate the backend calls go to
     * @throws NullPointerException if {@code delegate} is null
     */
    protected ForwardingBackend(CoordinationBackend delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        // A subclass that changes createIfAbsent or list must see the combined call as those two calls, or its
        // change would be bypassed; one that changes neither passes the combined call on, one request on servers
        // that can do it in one.
        this.forwardsCreateAndList = !overrides("createIfAbsent", String.class, byte[].class, long.class)
                && !overrides("list", String.class);
        // Likewise, the asynchronous delete goes to the delegate only when this decorator leaves compareAndDelete be.
        this.forwardsAsyncDelete = !overrides("compareAndDelete", String.class, long.class);
    }

    private boolean overrides(String method, Class<?>... parameters) {
        try {
            return getClass().getMethod(method, parameters).getDeclaringClass() != ForwardingBackend.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("CoordinationBackend." + method + " is missing", e);
        }
    }

    /**
     * Returns the backend calls go to.
     *
     * @return the delegate
     */
    protected final CoordinationBackend delegate() {
        return delegate;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public Duration minimumTtl() {
        return delegate.minimumTtl();
    }

    @Override
    public Duration maximumTtl() {
        return delegate.maximumTtl();
    }

    @Override
    public long grantLease(Duration ttl) {
        return delegate.grantLease(ttl);
    }

    @Override
    public long grantDetachedLease(Duration ttl) {
        return delegate.grantDetachedLease(ttl);
    }

    @Override
    public void keepAlive(long leaseId) {
        delegate.keepAlive(leaseId);
    }

    @Override
    public OptionalLong keepAliveCountingFrom(long leaseId, long sentNanos) {
        return delegate.keepAliveCountingFrom(leaseId, sentNanos);
    }

    @Override
    public void revokeLease(long leaseId) {
        delegate.revokeLease(leaseId);
    }

    @Override
    public Optional<Entry> get(String key) {
        return delegate.get(key);
    }

    @Override
    public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        return delegate.createIfAbsent(key, value, leaseId);
    }

    @Override
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        return delegate.compareAndSet(key, expectedVersion, value, leaseId);
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        return delegate.compareAndDelete(key, expectedVersion);
    }

    /**
     * Passes the call on to the delegate when this decorator does not override {@link #compareAndDelete}; otherwise
     * runs that method through this decorator on {@code executor}.
     */
    @Override
    public CompletableFuture<Boolean> compareAndDeleteAsync(String key, long expectedVersion, Executor executor) {
        if (forwardsAsyncDelete) {
            return delegate.compareAndDeleteAsync(key, expectedVersion, executor);
        }
        return CoordinationBackend.super.compareAndDeleteAsync(key, expectedVersion, executor);
    }

    /**
     * Passes the call on to the delegate when this decorator overrides neither {@link #createIfAbsent} nor {@link
     * #list}; otherwise makes those two calls through this decorator.
     */
    @Override
    public Optional<Listing> createIfAbsentAndList(String key, byte[] value, long leaseId, String prefix) {
        if (forwardsCreateAndList) {
            return delegate.createIfAbsentAndList(key, value, leaseId, prefix);
        }
        return CoordinationBackend.super.createIfAbsentAndList(key, value, leaseId, prefix);
    }

    @Override
    public Listing list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        return delegate.watch(keyOrPrefix, prefix, afterRevision, listener);
    }

    @Override
    public Subscription onLeaseLost(LongConsumer listener) {
        return delegate.onLeaseLost(listener);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
