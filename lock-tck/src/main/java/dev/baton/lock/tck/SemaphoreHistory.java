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
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records and judges the history of semaphores: {@link HoldRecord}s that each hold some permits, on one {@link
 * HistoryRecorder}'s clock. The rules, per semaphore name:
 *
 * <ul>
 *   <li><b>capacity</b> ({@link HistoryChecker.Kind#OVERLAP}): when a hold is acquired, its permits and those of every
 *       hold still valid then (acquired, and neither released nor told of its loss) add up to at most the limit;
 *   <li><b>token order</b> ({@link HistoryChecker.Kind#TOKEN_ORDER}): a hold whose acquire call began after another
 *       hold's acquire call returned has the greater token (holders share a semaphore, so tokens order the queue, not
 *       exclusive tenures);
 *   <li><b>loss before handover</b> ({@link HistoryChecker.Kind#LATE_LOSS}): a hold that ended by loss was told so
 *       before its permits went to someone else: before the first later acquisition that would exceed the limit if the
 *       lost hold still counted. (A late notice also breaks the capacity rule; it is reported once, as this.)
 * </ul>
 *
 * <p>Threadsafe.
 */
public final class SemaphoreHistory {
    private final HistoryRecorder recorder;
    private final ConcurrentLinkedQueue<Permits> holds = new ConcurrentLinkedQueue<>();

    /** Creates a history on {@link System#nanoTime()}. */
    public SemaphoreHistory() {
        this(new HistoryRecorder());
    }

    /**
     * Creates a history on a recorder of the caller's choice (for its clock).
     *
     * @param recorder the recorder whose clock the holds are stamped with
     * @throws NullPointerException if {@code recorder} is null
     */
    public SemaphoreHistory(HistoryRecorder recorder) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    /**
     * Reads the clock right before an acquire call, for {@link #acquired}.
     *
     * @return the instant
     */
    public long asking() {
        return recorder.now();
    }

    /**
     * Records that an acquire call just returned.
     *
     * @param client who holds the permits
     * @param name the semaphore's name
     * @param token the handle's fencing token
     * @param permits the permits the handle holds
     * @param limit the semaphore's limit
     * @param askedNanos what {@link #asking()} read before the call
     * @return the hold, to report its release and loss on
     */
    public HistoryRecorder.Hold acquired(
            String client, String name, long token, int permits, int limit, long askedNanos) {
        HistoryRecorder.Hold hold = recorder.acquired(client, name, token);
        holds.add(new Permits(hold, permits, limit, askedNanos));
        return hold;
    }

    /**
     * Checks the history recorded so far.
     *
     * @return the report
     */
    public HistoryChecker.Report check() {
        List<Held> records = new ArrayList<>();
        for (Permits p : holds) {
            records.add(new Held(p.hold.toRecord(), p.permits, p.limit, p.askedNanos));
        }
        return check(records);
    }

    /**
     * One recorded hold of a semaphore. Immutable and threadsafe.
     *
     * @param record the hold's interval, token and loss
     * @param permits the permits it held
     * @param limit the semaphore's limit
     * @param askedNanos when its acquire call began, on the record's clock
     */
    public record Held(HoldRecord record, int permits, int limit, long askedNanos) {
        /**
         * Checks the arguments.
         *
         * @param record the hold's interval, token and loss
         * @param permits the permits it held
         * @param limit the semaphore's limit
         * @param askedNanos when its acquire call began, on the record's clock
         * @throws NullPointerException if {@code record} is null
         */
        public Held {
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * Checks a semaphore history.
     *
     * @param history the holds, in any order, of any number of semaphores
     * @return the report
     * @throws NullPointerException if {@code history} or a hold is null
     */
    public static HistoryChecker.Report check(Collection<Held> history) {
        Map<String, List<Held>> byName = new LinkedHashMap<>();
        for (Held h : history) {
            byName.computeIfAbsent(Objects.requireNonNull(h, "hold").record().lockName(), n -> new ArrayList<>())
                    .add(h);
        }
        List<HistoryChecker.Violation> violations = new ArrayList<>();
        int[] losses = new int[2]; // checked, told before their permits went to someone else
        for (List<Held> holds : byName.values()) {
            holds.sort(Comparator.comparingLong(h -> h.record().acquiredNanos()));
            for (int i = 0; i < holds.size(); i++) {
                checkCapacity(holds, i, violations);
                if (holds.get(i).record().endedByLoss()) {
                    checkLoss(holds, i, losses);
                }
            }
            checkTokens(holds, violations);
        }
        return new HistoryChecker.Report(history.stream().map(Held::record).toList(), violations, losses[0], losses[1]);
    }

    /** The capacity rule at the acquisition of the hold at {@code i}, among holds sorted by acquisition. */
    private static void checkCapacity(List<Held> holds, int i, List<HistoryChecker.Violation> violations) {
        Held acquired = holds.get(i);
        long at = acquired.record().acquiredNanos();
        long sum = acquired.permits();
        Held blamed = null;
        for (int j = 0; j < i; j++) {
            Held other = holds.get(j);
            if (other.record().endNanos() > at) {
                sum += other.permits();
                if (blamed == null
                        || (other.record().endedByLoss() && !blamed.record().endedByLoss())) {
                    blamed = other;
                }
            }
        }
        if (sum > acquired.limit()) {
            HistoryChecker.Kind kind =
                    blamed.record().endedByLoss() ? HistoryChecker.Kind.LATE_LOSS : HistoryChecker.Kind.OVERLAP;
            violations.add(new HistoryChecker.Violation(kind, blamed.record(), acquired.record()));
        }
    }

    /**
     * Finds the acquisition that took the permits of the lost hold at {@code i}: the first later one that would have
     * exceeded the limit had the lost hold still counted; counts whether the loss was told before it.
     */
    private static void checkLoss(List<Held> holds, int i, int[] losses) {
        Held lost = holds.get(i);
        for (int k = i + 1; k < holds.size(); k++) {
            Held next = holds.get(k);
            long at = next.record().acquiredNanos();
            long sum = (long) next.permits() + lost.permits();
            for (int j = 0; j < k; j++) {
                Held other = holds.get(j);
                if (j != i && other.record().endNanos() > at) {
                    sum += other.permits();
                }
            }
            if (sum > next.limit()) {
                losses[0]++;
                if (lost.record().lostNanos().getAsLong() < at) {
                    losses[1]++;
                }
                return;
            }
        }
    }

    /** The token rule: each hold's token against the greatest token of the holds acquired before it was asked for. */
    private static void checkTokens(List<Held> byAcquisition, List<HistoryChecker.Violation> violations) {
        List<Held> byAsking = new ArrayList<>(byAcquisition);
        byAsking.sort(Comparator.comparingLong(Held::askedNanos));
        int next = 0;
        Held greatest = null;
        for (Held later : byAsking) {
            while (next < byAcquisition.size()
                    && byAcquisition.get(next).record().acquiredNanos() < later.askedNanos()) {
                Held candidate = byAcquisition.get(next++);
                if (greatest == null
                        || candidate.record().token() > greatest.record().token()) {
                    greatest = candidate;
                }
            }
            if (greatest != null && greatest.record().token() >= later.record().token()) {
                violations.add(new HistoryChecker.Violation(
                        HistoryChecker.Kind.TOKEN_ORDER, greatest.record(), later.record()));
            }
        }
    }

    private record Permits(HistoryRecorder.Hold hold, int permits, int limit, long askedNanos) {}
}
