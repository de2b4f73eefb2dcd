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
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.NoSuchLeaseException;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.TxnResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs the backend's requests against etcd: one request under the whole request timeout, or an idempotent one in
 * failover attempts over the client's endpoints.
 *
 * <p>Immutable and threadsafe.
 */
final class EtcdRequests {
    private static final Duration MIN_ATTEMPT = Duration.ofMillis(250);
    private static final Duration MAX_ATTEMPT = Duration.ofSeconds(1);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    private final EtcdCalls calls;
    private final String description;
    private final Duration requestTimeout;
    private final BooleanSupplier closed;

    EtcdRequests(EtcdCalls calls, String description, Duration requestTimeout, BooleanSupplier closed) {
        this.calls = calls;
        this.description = description;
        this.requestTimeout = requestTimeout;
        this.closed = closed;
    }

    EtcdCalls calls() {
        return calls;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    /** Waits for one request's answer up to the request timeout. */
    <T> T await(CompletableFuture<T> call, String what) {
        return calls.await(call, requestTimeout, what);
    }

    /**
     * Commits a {@code Txn} that writes with a lease (or {@link Entry#NO_LEASE}) in one request, reporting "lease not
     * found" as {@link NoSuchLeaseException}. Not retried: a lost answer would leave the caller not knowing whether
     * the write happened.
     */
    TxnResponse commit(Txn txn, long leaseId, String what) {
        try {
            return await(txn.commit(), what);
        } catch (BackendUnavailableException e) {
            if (leaseId != Entry.NO_LEASE && EtcdCalls.isLeaseNotFound(e.getCause())) {
                throw new NoSuchLeaseException(leaseId);
            }
            throw e;
        }
    }

    /**
     * Runs an idempotent request (a read, a revoke, a compare-and-delete) in attempts within the request timeout, the
     * first of at most {@link #attemptTimeout()}, each later one twice as long as the one before. jetcd spreads calls
     * over the endpoints round-robin, so a new attempt goes to the next member: a request stuck on a stopped member
     * (its sockets stay open, it answers nothing) or failing on a killed one moves on to a member that can reach the
     * leader, instead of waiting out the whole request timeout. Access denials (they are no {@link
     * BackendUnavailableException}) and "lease not found" are not retried.
     */
    <T> T withFailover(Supplier<CompletableFuture<T>> call, String what) {
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        long attempt = attemptTimeout().toNanos();
        int attempts = 0;
        while (true) {
            long started = System.nanoTime();
            long left = deadline - started;
            attempts++;
            try {
                return calls.await(call.get(), Duration.ofNanos(Math.min(left, attempt)), what);
            } catch (BackendUnavailableException e) {
                if (EtcdCalls.isLeaseNotFound(e.getCause())
                        || Thread.currentThread().isInterrupted()
                        || closed.getAsBoolean()
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
}
