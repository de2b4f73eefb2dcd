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

import dev.baton.lock.CoordinatorObserver;
import dev.baton.lock.LossReason;
import dev.baton.lock.SessionState;
import dev.baton.lock.SingletonTermEnd;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the recipes' events to the user's {@link CoordinatorObserver}, on a thread of its own: the recipes call it
 * where the events happen (under no lock of theirs, possibly on the timer thread or in a renewal) and it only measures
 * the duration and queues the call, so a slow or failing observer can never hold up a lock, a renewal or a deadline.
 * Without an observer ({@link #NONE}) every method returns at once and nothing is allocated. Threadsafe.
 */
final class Observation implements AutoCloseable {
    /** Observes nothing. */
    static final Observation NONE = new Observation();

    /** Events queued for a slow observer before further ones are dropped. */
    static final int QUEUE_CAPACITY = 10_000;

    private static final Logger log = LoggerFactory.getLogger(Observation.class);

    private final CoordinatorObserver observer; // null for NONE
    private final TimeSource time;
    private final ThreadPoolExecutor thread;
    private final AtomicBoolean warnedThrew = new AtomicBoolean();
    private final AtomicBoolean warnedDropped = new AtomicBoolean();

    private Observation() {
        this.observer = null;
        this.time = null;
        this.thread = null;
    }

    /** An observation of {@code observer} on one daemon thread from {@code threads}, started on first use. */
    Observation(CoordinatorObserver observer, TimeSource time, ThreadFactory threads) {
        this.observer = observer;
        this.time = time;
        this.thread = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                threads,
                (task, executor) -> dropped(executor));
    }

    /** The coordinator's clock, or 0 without an observer (the reading is then never used). */
    long now() {
        return observer == null ? 0 : time.nanoTime();
    }

    void lockAcquired(String name, long startNanos) {
        if (observer != null) {
            Duration waited = since(startNanos);
            report(o -> o.lockAcquired(name, waited));
        }
    }

    void lockTimedOut(String name, long startNanos) {
        if (observer != null) {
            Duration waited = since(startNanos);
            report(o -> o.lockTimedOut(name, waited));
        }
    }

    void lockEnded(String name, LossReason reason, long acquiredNanos) {
        if (observer != null) {
            Duration held = since(acquiredNanos);
            report(o -> o.lockEnded(name, reason, held));
        }
    }

    void sessionStateChanged(SessionState previous, SessionState current) {
        if (observer != null) {
            report(o -> o.sessionStateChanged(previous, current));
        }
    }

    void sessionRenewed(long sentNanos) {
        if (observer != null) {
            Duration latency = since(sentNanos);
            report(o -> o.sessionRenewed(latency));
        }
    }

    void elected(String name) {
        if (observer != null) {
            report(o -> o.elected(name));
        }
    }

    void leadershipEnded(String name, LossReason reason, long electedNanos) {
        if (observer != null) {
            Duration held = since(electedNanos);
            report(o -> o.leadershipEnded(name, reason, held));
        }
    }

    void singletonTermEnded(String name, SingletonTermEnd.Reason reason, Duration taskRan) {
        if (observer != null) {
            report(o -> o.singletonTermEnded(name, reason, taskRan));
        }
    }

    private Duration since(long startNanos) {
        return Duration.ofNanos(Math.max(0, time.nanoTime() - startNanos));
    }

    private void report(Consumer<CoordinatorObserver> event) {
        // Never throws: a full queue, or one shut down, drops the event through the rejection handler.
        thread.execute(() -> {
            try {
                event.accept(observer);
            } catch (RuntimeException | Error e) {
                if (warnedThrew.compareAndSet(false, true)) {
                    log.warn(
                            "the coordinator's observer {} threw; its events are dropped when it throws (logged"
                                    + " once)",
                            observer,
                            e);
                }
            }
        });
    }

    private void dropped(ThreadPoolExecutor executor) {
        if (!executor.isShutdown() && warnedDropped.compareAndSet(false, true)) {
            log.warn(
                    "the coordinator's observer {} is more than {} events behind; dropping events while it catches"
                            + " up (logged once)",
                    observer,
                    QUEUE_CAPACITY);
        }
    }

    /** Delivers what is queued (waiting at most a second) and stops the thread; later events are dropped. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(1, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
