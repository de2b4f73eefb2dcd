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

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a failed or abandoned operation may have left on the server: a queue entry whose create was not
 * acknowledged, a release whose answer was lost, a lease that was granted but never used. Retries with backoff until
 * it succeeds or the coordinator closes; whatever is left then dies with its lease.
 *
 * <p>Removal is always of this coordinator's own unique keys, conditional on the version read just before, so it
 * can never remove another holder's entry.
 */
final class Janitor {
    private static final Logger log = LoggerFactory.getLogger(Janitor.class);

    private final CoordinationBackend backend;
    private final TimeSource time;
    private final Executor blocking;
    /** Whether a first attempt runs on the calling thread: the backend's calls never wait (see the SPI). */
    private final boolean attemptsInline;

    private final Duration maxBackoff;
    private final Duration lateWriteWindow;
    private final Set<Job> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Guards the sections' count; waited on by {@link #closeSections(Duration)}. */
    private final Object sectionLock = new Object();
    /** Sections running that may leave something for a cleanup (see {@link #enterSection()}). */
    @GuardedBy("sectionLock")
    private int sections;
    /** Set once the coordinator closes: no section may start after it. */
    @GuardedBy("sectionLock")
    private boolean closing;

    /**
     * @param maxBackoff the longest pause between two attempts of one cleanup
     * @param lateWriteWindow how long a key that is absent is watched for, in case a write whose answer was lost lands
     *     late; at least the session TTL, after which the session lease such a write names has expired
     */
    Janitor(
            CoordinationBackend backend,
            TimeSource time,
            Executor blocking,
            Duration maxBackoff,
            Duration lateWriteWindow) {
        this.backend = backend;
        this.time = time;
        this.blocking = blocking;
        this.attemptsInline = backend.callsNeverWait();
        this.maxBackoff = maxBackoff;
        this.lateWriteWindow = lateWriteWindow;
    }

    /**
     * Deletes {@code key} (whatever its version) eventually. Safe only for keys this coordinator created.
     *
     * <p>A key that is absent is not taken as gone for good: a create whose answer was lost may still be in flight
     * (held in a connection that a partition stalled) and land after the first read. Such an entry would sit in a
     * queue on a live session, holding the lock for no one. So an absent key is read again, with backoff, for
     * {@code lateWriteWindow}, and deleted if it appears.
     */
    void deleteKey(String key) {
        long watchUntil = time.nanoTime() + lateWriteWindow.toNanos();
        submit(new Job("delete " + key, () -> {
            Optional<Entry> entry = backend.get(key);
            if (entry.isPresent()) {
                if (!backend.compareAndDelete(key, entry.get().version())) {
                    throw new StillPending("the key changed between read and delete");
                }
                return;
            }
            if (time.nanoTime() - watchUntil < 0) {
                throw new StillPending("absent for now; a late write may still land");
            }
        }));
    }

    /**
     * Runs {@code attempt} once on the blocking executor and, if it throws, hands the cleanup to {@code retry} (which
     * submits a retried job): a release's removal goes on in the background, so a release never waits for a server
     * that does not answer. The returned future completes when the first attempt ended, either way. When the
     * backend's calls never wait ({@link CoordinationBackend#callsNeverWait()}), the first attempt runs on the calling
     * thread instead, and the future is complete on return: the hop to another thread and back would cost more than
     * the call.
     *
     * <p>The first attempt is a section (see {@link #enterSection()}): a coordinator closed while it is still queued
     * or running waits for it before it closes the backend, so the removal reaches the server while it is still open
     * (on a busy machine the attempt can outlast the release's own short wait for it).
     */
    CompletableFuture<Void> attemptInBackground(String description, Runnable attempt, Runnable retry) {
        boolean section = enterSection();
        CompletableFuture<Void> first = start(() -> CompletableFuture.runAsync(attempt, firstAttempts()));
        return settle(description, first, ignored -> {}, retry, section);
    }

    /**
     * Deletes this coordinator's key {@code key} at {@code version} as {@link #attemptInBackground} runs an attempt,
     * through {@link CoordinationBackend#compareAndDeleteAsync}: a backend with an asynchronous client sends the delete
     * from the calling thread, without the hop to the blocking executor. {@code deleted} runs with the key when this
     * attempt deleted it; a failed attempt leaves the key to {@link #deleteKey(String)}.
     */
    CompletableFuture<Void> deleteInBackground(String key, long version, Consumer<String> deleted) {
        boolean section = enterSection();
        return settle(
                "release " + key,
                start(() -> backend.compareAndDeleteAsync(key, version, firstAttempts())),
                wasDeleted -> {
                    if (wasDeleted) {
                        deleted.accept(key);
                    }
                },
                () -> deleteKey(key),
                section);
    }

    /** Where a first attempt runs: on the calling thread when the backend's calls never wait. */
    private Executor firstAttempts() {
        return attemptsInline ? Runnable::run : blocking;
    }

    /** Starts an attempt; an executor that refuses it (the coordinator is closing) fails it. */
    private static <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> attempt) {
        try {
            return attempt.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Once {@code attempt} ended: its outcome to {@code onSuccess}, a failure to {@code retry}; ends the section. */
    private <T> CompletableFuture<Void> settle(
            String description, CompletableFuture<T> attempt, Consumer<T> onSuccess, Runnable retry, boolean section) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt.whenComplete((outcome, failure) -> {
            try {
                if (failure == null) {
                    onSuccess.accept(outcome);
                } else {
                    log.debug("'{}' failed, retrying in the background: {}", description, failure.toString());
                    retry.run();
                }
            } catch (RuntimeException e) {
                log.warn("'{}': what followed the attempt failed", description, e);
            } finally {
                if (section) {
                    exitSection();
                }
                done.complete(null);
            }
        });
        return done;
    }

    /** Revokes {@code leaseId} eventually. */
    void revokeLease(long leaseId) {
        submit(new Job("revoke lease " + Long.toHexString(leaseId), () -> backend.revokeLease(leaseId)));
    }

    /**
     * Revokes {@code leaseId} once the loss callbacks queued so far have run, or after {@code bound}, whichever comes
     * first. A lost holder's listeners thus run before this coordinator itself lets a successor in; the bound (at
     * most the safety margin) keeps a slow listener from delaying the hand-over past the server's own expiry.
     */
    void revokeAfterCallbacks(SerialExecutor callbacks, long leaseId, Duration bound) {
        AtomicBoolean once = new AtomicBoolean();
        Runnable revoke = () -> {
            if (once.compareAndSet(false, true)) {
                revokeLease(leaseId);
            }
        };
        TimeSource.Cancellable fallback = time.schedule(bound, revoke);
        callbacks.whenIdle(() -> {
            fallback.cancel();
            revoke.run();
        });
    }

    /**
     * Starts a section of work that may create something on the server that only a cleanup would remove (a lease
     * granted for a session or a TTL lock): the coordinator's close lets the sections already running finish before
     * it closes the backend, so that their cleanups still reach the server. Returns false, starting nothing, once the
     * coordinator is closing; every true answer must be followed by {@link #exitSection()}.
     */
    boolean enterSection() {
        synchronized (sectionLock) {
            if (closing) {
                return false;
            }
            sections++;
            return true;
        }
    }

    /** Ends a section started by {@link #enterSection()}. */
    void exitSection() {
        synchronized (sectionLock) {
            if (--sections == 0) {
                sectionLock.notifyAll();
            }
        }
    }

    /**
     * Refuses new sections and waits, up to {@code bound}, for the running ones to end. Returns whether they all did.
     */
    boolean closeSections(Duration bound) {
        synchronized (sectionLock) {
            return closeSectionsLocked(bound);
        }
    }

    @GuardedBy("sectionLock")
    private boolean closeSectionsLocked(Duration bound) {
        closing = true;
        long end = System.nanoTime() + bound.toNanos();
        boolean interrupted = false;
        try {
            while (sections > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    sectionLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void submit(Job job) {
        if (closed) {
            // Submitted after the last attempts at close (by a section that ended meanwhile): one try, here and now.
            try {
                job.action().run();
            } catch (RuntimeException e) {
                log.debug("cleanup '{}' abandoned after close: {}", job.description(), e.toString());
            }
            return;
        }
        pending.add(job);
        run(job, Duration.ofMillis(100));
    }

    private void run(Job job, Duration nextBackoff) {
        blocking.execute(() -> {
            if (closed) {
                return;
            }
            try {
                job.action().run();
                pending.remove(job);
            } catch (RuntimeException e) {
                if (!(e instanceof StillPending)) {
                    log.debug("cleanup '{}' failed, retrying in {}: {}", job.description(), nextBackoff, e.toString());
                }
                Duration after = nextBackoff.multipliedBy(2).compareTo(maxBackoff) > 0
                        ? maxBackoff
                        : nextBackoff.multipliedBy(2);
                time.schedule(nextBackoff, () -> run(job, after));
            }
        });
    }

    /** Tries every pending job once more, on the calling thread, then stops retrying. */
    void closeAfterLastAttempt() {
        for (Job job : pending) {
            try {
                job.action().run();
            } catch (RuntimeException e) {
                log.debug("cleanup '{}' abandoned at close: {}", job.description(), e.toString());
            }
        }
        closed = true;
        pending.clear();
    }

    /** Thrown by a job that must run again later although nothing failed. */
    private static final class StillPending extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StillPending(String why) {
            super(why, null, false, false);
        }
    }

    /** One cleanup; identity, not value, equality: two jobs for one key are both kept. */
    private static final class Job {
        private final String description;
        private final Runnable action;

        Job(String description, Runnable action) {
            this.description = description;
            this.action = action;
        }

        String description() {
            return description;
        }

        Runnable action() {
            return action;
        }
    }
}
