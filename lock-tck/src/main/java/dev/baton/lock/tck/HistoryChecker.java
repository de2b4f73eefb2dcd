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

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Judges a recorded lock history against three rules, per lock name:
 *
 * <ul>
 *   <li><b>mutual exclusion</b>: no two hold intervals overlap; an interval runs from the acquire's return to the
 *       earlier of the release start and the loss notice;
 *   <li><b>token order</b>: fencing tokens strictly increase in the order of acquisition;
 *   <li><b>loss before handover</b>: a holder whose hold ended by loss was told so before the next holder's acquire
 *       returned.
 * </ul>
 *
 * <p>Every violation names the two conflicting records. Stateless and threadsafe.
 */
public final class HistoryChecker {
    private static final int MAX_VIOLATIONS_SHOWN = 20;

    private HistoryChecker() {}

    /**
     * Returns the longest time between two consecutive acquisitions in {@code history}, whoever made them: how long the
     * lock stood still at worst, for example across a server crash.
     *
     * @param history the holds, in any order
     * @return the longest gap in nanoseconds, or 0 with fewer than two holds
     * @throws NullPointerException if {@code history} or a record is null
     */
    public static long longestGapBetweenAcquisitions(Collection<HoldRecord> history) {
        long[] acquired =
                history.stream().mapToLong(HoldRecord::acquiredNanos).sorted().toArray();
        long longest = 0;
        for (int i = 1; i < acquired.length; i++) {
            longest = Math.max(longest, acquired[i] - acquired[i - 1]);
        }
        return longest;
    }

    /**
     * Checks a history.
     *
     * @param history the records, in any order, of any number of lock names
     * @return the report
     * @throws NullPointerException if {@code history} or a record is null
     */
    public static Report check(Collection<HoldRecord> history) {
        Map<String, List<HoldRecord>> byName = new LinkedHashMap<>();
        for (HoldRecord record : history) {
            Objects.requireNonNull(record, "record");
            byName.computeIfAbsent(record.lockName(), n -> new ArrayList<>()).add(record);
        }
        List<Violation> violations = new ArrayList<>();
        int lossesChecked = 0;
        int lossesBeforeHandover = 0;
        for (List<HoldRecord> holds : byName.values()) {
            holds.sort(Comparator.comparingLong(HoldRecord::acquiredNanos));
            HoldRecord longest = null;
            HoldRecord highestToken = null;
            for (HoldRecord hold : holds) {
                if (longest != null && hold.acquiredNanos() < longest.endNanos()) {
                    violations.add(new Violation(Kind.OVERLAP, longest, hold));
                }
                if (longest == null || hold.endNanos() > longest.endNanos()) {
                    longest = hold;
                }
                if (highestToken != null && hold.token() <= highestToken.token()) {
                    violations.add(new Violation(Kind.TOKEN_ORDER, highestToken, hold));
                }
                if (highestToken == null || hold.token() > highestToken.token()) {
                    highestToken = hold;
                }
            }
            for (int i = 0; i + 1 < holds.size(); i++) {
                HoldRecord hold = holds.get(i);
                if (!hold.endedByLoss()) {
                    continue;
                }
                HoldRecord next = holds.get(i + 1);
                lossesChecked++;
                if (hold.lostNanos().getAsLong() < next.acquiredNanos()) {
                    lossesBeforeHandover++;
                } else {
                    violations.add(new Violation(Kind.LATE_LOSS, hold, next));
                }
            }
        }
        return new Report(List.copyOf(history), violations, lossesChecked, lossesBeforeHandover);
    }

    /** The rule a {@link Violation} breaks. */
    public enum Kind {
        /** Two hold intervals of one name overlap. */
        OVERLAP,
        /** A later acquisition got a token not greater than an earlier one. */
        TOKEN_ORDER,
        /** A lost holder was told of its loss only after the next holder had acquired. */
        LATE_LOSS
    }

    /** One broken rule and the two records that show it. Immutable and threadsafe. */
    public static final class Violation {
        private final Kind kind;
        private final HoldRecord earlier;
        private final HoldRecord later;

        Violation(Kind kind, HoldRecord earlier, HoldRecord later) {
            this.kind = kind;
            this.earlier = earlier;
            this.later = later;
        }

        /**
         * Returns the rule broken.
         *
         * @return the kind
         */
        public Kind kind() {
            return kind;
        }

        /**
         * Returns the earlier of the two conflicting records (by acquisition).
         *
         * @return the record
         */
        public HoldRecord earlier() {
            return earlier;
        }

        /**
         * Returns the later of the two conflicting records (by acquisition).
         *
         * @return the record
         */
        public HoldRecord later() {
            return later;
        }

        @Override
        public String toString() {
            switch (kind) {
                case OVERLAP:
                    return "OVERLAP: " + later.client() + " acquired '" + later.lockName() + "' at "
                            + later.acquiredNanos() + " while " + earlier.client() + " held it until "
                            + (earlier.endNanos() == Long.MAX_VALUE ? "the end" : earlier.endNanos())
                            + "\n  held:     " + earlier + "\n  acquired: " + later;
                case TOKEN_ORDER:
                    return "TOKEN_ORDER: token " + later.token() + " acquired after token " + earlier.token() + " of '"
                            + later.lockName() + "'\n  earlier: " + earlier + "\n  later:   " + later;
                default:
                    return "LATE_LOSS: " + earlier.client() + " was told of its loss of '" + earlier.lockName()
                            + "' at " + earlier.lostNanos().getAsLong() + ", not before " + later.client()
                            + " acquired it at " + later.acquiredNanos() + "\n  lost:     " + earlier
                            + "\n  acquired: " + later;
            }
        }
    }

    /** The outcome of a check: figures and violations. Immutable and threadsafe. */
    public static final class Report {
        private final List<HoldRecord> history;
        private final int acquisitionsChecked;
        private final List<Violation> violations;
        private final int lossesChecked;
        private final int lossesBeforeHandover;

        Report(List<HoldRecord> history, List<Violation> violations, int lossesChecked, int lossesBeforeHandover) {
            this.history = history;
            this.acquisitionsChecked = history.size();
            this.violations = List.copyOf(violations);
            this.lossesChecked = lossesChecked;
            this.lossesBeforeHandover = lossesBeforeHandover;
        }

        /**
         * Returns how many acquisitions the history held.
         *
         * @return the count
         */
        public int acquisitionsChecked() {
            return acquisitionsChecked;
        }

        /**
         * Returns the records checked.
         *
         * @return an unmodifiable list, in the order given to the check
         */
        public List<HoldRecord> history() {
            return history;
        }

        /**
         * Returns how many acquisitions overlapped an earlier hold of the same name.
         *
         * @return the count; must be 0
         */
        public int overlaps() {
            return count(Kind.OVERLAP);
        }

        /**
         * Returns how many acquisitions got a token not greater than an earlier one.
         *
         * @return the count; must be 0
         */
        public int tokenOrderViolations() {
            return count(Kind.TOKEN_ORDER);
        }

        /**
         * Returns how many lost holds were followed by another holder, and so had their notice timing checked.
         *
         * @return the count
         */
        public int lossesChecked() {
            return lossesChecked;
        }

        /**
         * Returns the share of checked losses told before the next holder acquired.
         *
         * @return a percentage; 100 when no loss was checked
         */
        public double lossBeforeHandoverPercent() {
            return lossesChecked == 0 ? 100.0 : 100.0 * lossesBeforeHandover / lossesChecked;
        }

        /**
         * Returns every violation found.
         *
         * @return an unmodifiable list
         */
        public List<Violation> violations() {
            return violations;
        }

        /**
         * Tells whether the history broke no rule.
         *
         * @return whether there is no violation
         */
        public boolean isValid() {
            return violations.isEmpty();
        }

        /**
         * Throws when a rule was broken, with the figures, the first violations and the path of the history's
         * timeline in the message. The timeline ({@link HistoryTimeline#writeForFailure}) is named after the caller of
         * this method (a test, say); if it cannot be written, the message says why instead.
         *
         * @throws AssertionError if a rule was broken
         */
        public void assertValid() {
            if (isValid()) {
                return;
            }
            StringBuilder message = new StringBuilder("lock history breaks the rules: ").append(summary());
            String caller = StackWalker.getInstance().walk(frames -> frames.filter(f -> !isLibrary(f.getClassName()))
                    .findFirst()
                    .map(f ->
                            f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                    .orElse("check"));
            try {
                message.append("\ntimeline: ").append(HistoryTimeline.writeForFailure(caller, this));
            } catch (IOException | RuntimeException e) {
                message.append("\ntimeline not written: ").append(e);
            }
            int shown = 0;
            for (Violation violation : violations) {
                if (shown++ == MAX_VIOLATIONS_SHOWN) {
                    message.append("\n... and ")
                            .append(violations.size() - MAX_VIOLATIONS_SHOWN)
                            .append(" more");
                    break;
                }
                message.append('\n').append(violation);
            }
            throw new AssertionError(message.toString());
        }

        /**
         * Returns the figures on one line.
         *
         * @return the summary
         */
        public String summary() {
            return String.format(
                    java.util.Locale.ROOT,
                    "%d acquisitions checked, %d overlaps, %d token order violations, loss before handover %.1f%%"
                            + " (%d of %d)",
                    acquisitionsChecked,
                    overlaps(),
                    tokenOrderViolations(),
                    lossBeforeHandoverPercent(),
                    lossesBeforeHandover,
                    lossesChecked);
        }

        /** Whether a stack frame is the checker's, a test framework's or the JDK's, rather than the caller's. */
        private static boolean isLibrary(String className) {
            return className.startsWith(HistoryChecker.class.getName())
                    || className.startsWith("org.assertj.")
                    || className.startsWith("org.junit.")
                    || className.startsWith("java.")
                    || className.startsWith("jdk.")
                    || className.startsWith("sun.");
        }

        private int count(Kind kind) {
            int n = 0;
            for (Violation violation : violations) {
                if (violation.kind() == kind) {
                    n++;
                }
            }
            return n;
        }

        @Override
        public String toString() {
            return "Report{" + summary() + "}";
        }
    }
}
