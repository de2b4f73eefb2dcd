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
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** Blocking waits on a {@link QueueAttempt}, shared by the mutex and the election. */
final class Waits {
    private Waits() {}

    /** Checks a caller's timeout; returns it in nanoseconds, saturated for huge values. */
    static long timeoutNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        return TimeSource.saturatedNanos(timeout);
    }

    /**
     * Waits for the attempt; {@code timeoutNanos < 0} waits forever. On timeout or interrupt the attempt is abandoned
     * and its entry removed before returning; an attempt that won just as the timeout struck is returned as won, one
     * that won just as the thread was interrupted is withdrawn (released) and the interrupt thrown.
     */
    static Optional<Entry> await(QueueAttempt attempt, long timeoutNanos) throws InterruptedException {
        try {
            if (timeoutNanos < 0) {
                return attempt.result().get();
            }
            return attempt.result().get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException timedOut) {
            if (attempt.abandon()) {
                attempt.withdraw();
                return Optional.empty();
            }
            return attempt.result().join();
        } catch (InterruptedException interrupted) {
            attempt.abandon();
            attempt.withdraw();
            throw interrupted;
        } catch (ExecutionException failed) {
            RuntimeException cause = Failures.unwrap(failed);
            // A backend call that the caller's interrupt cut short fails the attempt (the backend keeps the interrupt
            // flag set); the caller asked to be interrupted, so that is what it is told. Cleanup is already queued.
            if (Thread.interrupted()) {
                InterruptedException interrupted = new InterruptedException("interrupted while acquiring");
                interrupted.initCause(cause);
                throw interrupted;
            }
            throw cause;
        }
    }

    /**
     * Starts the attempt on the calling thread and waits for it as {@link #await} does; an attempt that timed out or
     * lost its try is reported to the observer and answers empty.
     */
    static Optional<Entry> run(Services services, String name, QueueAttempt attempt, long timeoutNanos, boolean tryOnly)
            throws InterruptedException {
        attempt.start();
        // A try-only attempt settles after one look at the queue, so it needs no timer of its own.
        Optional<Entry> won = await(attempt, tryOnly ? -1 : timeoutNanos);
        if (won.isEmpty()) {
            services.observation().lockTimedOut(name, attempt.startedNanos);
        }
        return won;
    }

    /** Turns a won entry into what the caller returns: a lock handle or an election term. */
    @FunctionalInterface
    interface Winner<T extends AutoCloseable> {
        T accept(SessionKeeper.Session session, QueueAttempt attempt, Entry won);
    }

    /**
     * Runs an attempt without blocking the caller: the whole attempt, from opening a session to creating the entry,
     * runs on the blocking executor. Cancelling the returned future abandons the wait and removes the entry; a result
     * that arrives after the cancellation is closed at once. {@code ended} is told of an attempt that ended without
     * a winner (cancelled or failed).
     */
    static <T extends AutoCloseable> CompletableFuture<T> async(
            Services services,
            Supplier<SessionKeeper.Session> sessionFor,
            Function<SessionKeeper.Session, QueueAttempt> begin,
            Winner<T> winner,
            Consumer<QueueAttempt> ended) {
        CompletableFuture<T> out = new CompletableFuture<>();
        services.blocking().execute(() -> {
            try {
                SessionKeeper.Session session = sessionFor.get();
                QueueAttempt attempt = begin.apply(session);
                out.whenComplete((result, failure) -> {
                    if (out.isCancelled() && attempt.abandon()) {
                        attempt.withdraw();
                        ended.accept(attempt);
                    }
                });
                attempt.result().whenComplete((won, failure) -> {
                    if (failure != null) {
                        ended.accept(attempt);
                        out.completeExceptionally(Failures.unwrap(failure));
                        return;
                    }
                    try {
                        T result = winner.accept(session, attempt, won.orElseThrow());
                        if (!out.complete(result)) {
                            close(result);
                        }
                    } catch (RuntimeException e) {
                        out.completeExceptionally(e);
                    }
                });
                attempt.start();
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private static void close(AutoCloseable result) {
        try {
            result.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing an unwanted result failed", e);
        }
    }
}
