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
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records and judges the history of read-write locks: {@link HoldRecord}s of two modes on one {@link
 * HistoryRecorder}'s clock. The rules, per lock name:
 *
 * <ul>
 *   <li><b>exclusion</b> ({@link HistoryChecker.Kind#OVERLAP}): no write hold's interval overlaps any other hold's,
 *       read or write; read holds may overlap each other;
 *   <li><b>token order</b> ({@link HistoryChecker.Kind#TOKEN_ORDER}): a write hold's token is greater than that of
 *       every hold that ended before it was acquired, and smaller than that of every hold acquired after it ended;
 *   <li><b>loss before handover</b> ({@link HistoryChecker.Kind#LATE_LOSS}): a hold that ended by loss was told so
 *       before the next hold it excludes (any hold after a write, a write after a read) was acquired.
 * </ul>
 *
 * <p>Threadsafe.
 */
public final class ReadWriteHistory {
    private final HistoryRecorder recorder;
    private final ConcurrentLinkedQueue<HistoryRecorder.Hold> reads = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<HistoryRecorder.Hold> writes = new ConcurrentLinkedQueue<>();

    /** Creates a history on {@link System#nanoTime()}. */
    public ReadWriteHistory() {
        this(new HistoryRecorder());
    }

    /**
     * Creates a history on a recorder of the caller's choice (for its clock).
     *
     * @param recorder the recorder whose clock the holds are stamped with
     * @throws NullPointerException if {@code recorder} is null
     */
    public ReadWriteHistory(HistoryRecorder recorder) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    /**
     * Records that a read acquire call just returned.
     *
     * @param client who holds the lock
     * @param lockName the lock's name
     * @param token the handle's fencing token
     * @return the hold, to report its release and loss on
     */
    public HistoryRecorder.Hold read(String client, String lockName, long token) {
        HistoryRecorder.Hold hold = recorder.acquired(client, lockName, token);
        reads.add(hold);
        return hold;
    }

    /**
     * Records that a write acquire call just returned.
     *
     * @param client who holds the lock
     * @param lockName the lock's name
     * @param token the handle's fencing token
     * @return the hold, to report its release and loss on
     */
    public HistoryRecorder.Hold write(String client, String lockName, long token) {
        HistoryRecorder.Hold hold = recorder.acquired(client, lockName, token);
        writes.add(hold);
        return hold;
    }

    /**
     * Checks the history recorded so far.
     *
     * @return the report; its acquisitions count reads and writes
     */
    public HistoryChecker.Report check() {
        return check(records(reads), records(writes));
    }

    private static List<HoldRecord> records(Collection<HistoryRecorder.Hold> holds) {
        List<HoldRecord> out = new ArrayList<>();
        for (HistoryRecorder.Hold hold : holds) {
            out.add(hold.toRecord());
        }
        return out;
    }

    /**
     * Checks a read-write history.
     *
     * @param reads the read holds, in any order, of any number of lock names
     * @param writes the write holds, likewise
     * @return the report
     * @throws NullPointerException if an argument or a record is null
     */
    public static HistoryChecker.Report check(Collection<HoldRecord> reads, Collection<HoldRecord> writes) {
        Map<String, List<HoldRecord>> byName = new LinkedHashMap<>();
        Set<HoldRecord> writeSet = Collections.newSetFromMap(new IdentityHashMap<>());
        for (HoldRecord r : reads) {
            byName.computeIfAbsent(Objects.requireNonNull(r, "record").lockName(), n -> new ArrayList<>())
                    .add(r);
        }
        for (HoldRecord w : writes) {
            byName.computeIfAbsent(Objects.requireNonNull(w, "record").lockName(), n -> new ArrayList<>())
                    .add(w);
            writeSet.add(w);
        }
        List<HistoryChecker.Violation> violations = new ArrayList<>();
        int[] losses = new int[2]; // checked, told before the next excluded hold
        for (List<HoldRecord> holds : byName.values()) {
            holds.sort(Comparator.comparingLong(HoldRecord::acquiredNanos));
            for (int i = 0; i < holds.size(); i++) {
                HoldRecord hold = holds.get(i);
                boolean write = writeSet.contains(hold);
                if (write) {
                    checkWrite(holds, i, writeSet, violations);
                }
                if (hold.endedByLoss()) {
                    checkLoss(holds, i, write, writeSet, violations, losses);
                }
            }
        }
        List<HoldRecord> all = new ArrayList<>(reads);
        all.addAll(writes);
        return new HistoryChecker.Report(List.copyOf(all), violations, losses[0], losses[1]);
    }

    /** The exclusion and token rules of the write hold at {@code w} against every other hold of its name. */
    private static void checkWrite(
            List<HoldRecord> holds, int w, Set<HoldRecord> writeSet, List<HistoryChecker.Violation> violations) {
        HoldRecord write = holds.get(w);
        for (int j = 0; j < holds.size(); j++) {
            HoldRecord other = holds.get(j);
            if (j == w || (j < w && writeSet.contains(other))) {
                continue; // a pair of writes is judged once, from the earlier one
            }
            HoldRecord earlier = j < w ? other : write;
            HoldRecord later = j < w ? write : other;
            if (later.acquiredNanos() < earlier.endNanos()) {
                violations.add(new HistoryChecker.Violation(HistoryChecker.Kind.OVERLAP, earlier, later));
            } else if (earlier.token() >= later.token()) {
                violations.add(new HistoryChecker.Violation(HistoryChecker.Kind.TOKEN_ORDER, earlier, later));
            }
        }
    }

    private static void checkLoss(
            List<HoldRecord> holds,
            int i,
            boolean write,
            Set<HoldRecord> writeSet,
            List<HistoryChecker.Violation> violations,
            int[] losses) {
        HoldRecord lost = holds.get(i);
        for (int j = i + 1; j < holds.size(); j++) {
            HoldRecord next = holds.get(j);
            if (!write && !writeSet.contains(next)) {
                continue; // readers do not exclude readers
            }
            losses[0]++;
            if (lost.lostNanos().getAsLong() < next.acquiredNanos()) {
                losses[1]++;
            } else {
                violations.add(new HistoryChecker.Violation(HistoryChecker.Kind.LATE_LOSS, lost, next));
            }
            return;
        }
    }
}
