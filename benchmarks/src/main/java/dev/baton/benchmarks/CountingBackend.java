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
package dev.baton.benchmarks;

import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchListener;
import dev.baton.lock.tck.ForwardingBackend;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests a coordinator sends through the SPI: every call is one request to the server (a watch is counted
 * when it is registered). Keep-alives are counted apart, since they are paid per session, not per lock.
 *
 * <p>Threadsafe; counting costs one {@link LongAdder} increment per call.
 */
final class CountingBackend extends ForwardingBackend {
    private final LongAdder requests = new LongAdder();
    private final LongAdder keepAlives = new LongAdder();
    private final LongAdder watches = new LongAdder();

    private final int createAndListRequests;

    /**
     * @param delegate the backend
     * @param createAndListInOneRequest whether the backend creates and lists in one request (etcd: one Txn) or two
     */
    CountingBackend(CoordinationBackend delegate, boolean createAndListInOneRequest) {
        super(delegate);
        this.createAndListRequests = createAndListInOneRequest ? 1 : 2;
    }

    /** Requests other than keep-alives, watch registrations included. */
    long requests() {
        return requests.sum();
    }

    long keepAlives() {
        return keepAlives.sum();
    }

    /** Watch registrations alone (a waiter registers one on its predecessor). */
    long watches() {
        return watches.sum();
    }

    /** The delegate, for faults the benchmark injects (the in-memory backend's disconnect). */
    CoordinationBackend backend() {
        return delegate();
    }

    /** Counting adds no wait, so a coordinator on the in-memory backend releases on the calling thread here too. */
    @Override
    public boolean callsNeverWait() {
        return delegate().callsNeverWait();
    }

    @Override
    public long grantLease(Duration ttl) {
        requests.increment();
        return super.grantLease(ttl);
    }

    @Override
    public void keepAlive(long leaseId) {
        keepAlives.increment();
        super.keepAlive(leaseId);
    }

    @Override
    public OptionalLong keepAliveCountingFrom(long leaseId, long sentNanos) {
        // The coordinator renews through this method (ForwardingBackend sends it straight to the delegate).
        keepAlives.increment();
        return super.keepAliveCountingFrom(leaseId, sentNanos);
    }

    @Override
    public void revokeLease(long leaseId) {
        requests.increment();
        super.revokeLease(leaseId);
    }

    @Override
    public Optional<Entry> get(String key) {
        requests.increment();
        return super.get(key);
    }

    @Override
    public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        requests.increment();
        return super.createIfAbsent(key, value, leaseId);
    }

    @Override
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        requests.increment();
        return super.compareAndSet(key, expectedVersion, value, leaseId);
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        requests.increment();
        return super.compareAndDelete(key, expectedVersion);
    }

    @Override
    public CompletableFuture<Boolean> compareAndDeleteAsync(String key, long expectedVersion, Executor executor) {
        requests.increment();
        return delegate().compareAndDeleteAsync(key, expectedVersion, executor);
    }

    @Override
    public Optional<Listing> createIfAbsentAndList(String key, byte[] value, long leaseId, String prefix) {
        requests.add(createAndListRequests);
        return delegate().createIfAbsentAndList(key, value, leaseId, prefix);
    }

    @Override
    public Listing list(String prefix) {
        requests.increment();
        return super.list(prefix);
    }

    @Override
    public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
        requests.increment();
        watches.increment();
        return super.watch(keyOrPrefix, prefix, afterRevision, listener);
    }
}
