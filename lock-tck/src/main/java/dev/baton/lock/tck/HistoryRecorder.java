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

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Records {@link HoldRecord}s from many threads on one clock. The clock is made strictly increasing across all
 * threads (each reading is greater than every earlier one), so two events never share an instant and the order of
 * readings is the order in which the events happened: an acquire that returned after a release began always reads
 * later.
 *
 * <p>Threadsafe.
 */
public final class HistoryRecorder {
    private final LongSupplier clock;
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    private final ConcurrentLinkedQueue<Hold> holds = new ConcurrentLinkedQueue<>();

    /** Creates a recorder on {@link System#nanoTime()}. */
    public HistoryRecorder() {
        this(System::nanoTime);
    }

    /**
     * Creates a recorder on a clock of the caller's choice, for example a manual time source.
     *
     * @param clock a monotonic clock in nanoseconds
     * @throws NullPointerException if {@code clock} is null
     */
    public HistoryRecorder(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reads the clock: never less than the clock itself, and strictly greater than every earlier reading.
     *
     * @return the instant
     */
    public long now() {
        long reading = clock.getAsLong();
        return last.updateAndGet(previous -> Math.max(previous + 1, reading));
    }

    /**
     * Records that an acquire call just returned. Call it right after the call returns, before touching the
     * protected resource.
     *
     * @param client who holds the lock
     * @param lockName the lock's name
     * @param token the handle's fencing token
     * @return the hold, to report its release and loss on
     * @throws NullPointerException if {@code client} or {@code lockName} is null
     */
    public Hold acquired(String client, String lockName, long token) {
        Hold hold = new Hold(client, lockName, token, now());
        holds.add(hold);
        return hold;
    }

    /**
     * Returns every hold recorded so far.
     *
     * @return a snapshot of the records, in the order the holds were recorded
     */
    public List<HoldRecord> history() {
        List<HoldRecord> records = new ArrayList<>();
        for (Hold hold : holds) {
            records.add(hold.toRecord());
        }
        return records;
    }

    /**
     * Checks the history recorded so far.
     *
     * @return the checker's report
     */
    public HistoryChecker.Report check() {
        return HistoryChecker.check(history());
    }

    /** One hold being recorded. Threadsafe: release and loss may be reported from different threads. */
    public final class Hold {
        private final String client;
        private final String lockName;
        private final long token;
        private final long acquiredNanos;
        private final AtomicLong releaseStartNanos = new AtomicLong(Long.MIN_VALUE);
        private final AtomicLong lostNanos = new AtomicLong(Long.MIN_VALUE);

        private Hold(String client, String lockName, long token, long acquiredNanos) {
            this.client = Objects.requireNonNull(client, "client");
            this.lockName = Objects.requireNonNull(lockName, "lockName");
            this.token = token;
            this.acquiredNanos = acquiredNanos;
        }

        /** Records that the release call is about to begin; only the first call counts. */
        public void releasing() {
            releaseStartNanos.compareAndSet(Long.MIN_VALUE, now());
        }

        /** Records that the holder was told of the loss (call it from the loss listener); only the first counts. */
        public void lost() {
            lostNanos.compareAndSet(Long.MIN_VALUE, now());
        }

        /**
         * Returns the hold as recorded so far.
         *
         * @return the record
         */
        public HoldRecord toRecord() {
            return new HoldRecord(
                    client, lockName, token, acquiredNanos, optional(releaseStartNanos), optional(lostNanos));
        }

        private OptionalLong optional(AtomicLong instant) {
            long value = instant.get();
            return value == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(value);
        }
    }
}
