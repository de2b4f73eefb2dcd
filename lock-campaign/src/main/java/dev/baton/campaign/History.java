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
package dev.baton.campaign;

import dev.baton.lock.tck.HistoryChecker;
import dev.baton.lock.tck.HistoryTimeline;
import dev.baton.lock.tck.HoldRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The clients' event logs read back and checked, on the one clock they share (see {@link CampaignClient}).
 *
 * <p>A hold is valid from its acquire's return until the earliest of: its release call, its onLost notice, and the
 * latest local deadline the client logged for it (read as now + remaining(), never later than the true deadline). A
 * paused or killed holder logs nothing more, so its validity ends at the deadline it last saw: what it would believe
 * had it kept running. An election term is valid likewise until its resignation, its onRevoked notice, or the last
 * instant its client saw {@code isValid()} true (every 20 ms while leading); a singleton task's run until it stopped or
 * the last instant it saw its term valid.
 */
final class History {
    /** One acquisition (of the lock, or a term of the election) as the client logged it. */
    static final class Hold {
        final String client;
        final long token;
        final long acquired;
        long deadline;
        long told = Long.MAX_VALUE;
        long releaseStart = Long.MAX_VALUE;
        long releaseEnd = Long.MAX_VALUE;
        final List<Long> writesSent = new ArrayList<>();

        Hold(String client, long token, long acquired, long deadline) {
            this.client = client;
            this.token = token;
            this.acquired = acquired;
            this.deadline = deadline;
        }

        long validEnd() {
            return Math.min(deadline, Math.min(told, releaseStart));
        }

        HoldRecord record(String name) {
            return record(name, OptionalLong.empty());
        }

        /** As {@link #record}, with the onLost notice, which the checks leave out, for the timeline to mark. */
        HoldRecord drawn(String name) {
            return record(name, told == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(told));
        }

        private HoldRecord record(String name, OptionalLong lostNanos) {
            return new HoldRecord(client, name, token, acquired, OptionalLong.of(validEnd()), lostNanos);
        }
    }

    final List<Hold> locks = new ArrayList<>();
    final List<Hold> terms = new ArrayList<>();
    final List<Hold> singletonRuns = new ArrayList<>();
    int acquireFailures;
    int electionFailures;

    static History read(List<Path> logs) throws IOException {
        History h = new History();
        for (Path log : logs) {
            if (Files.exists(log)) {
                h.readOne(log);
            }
        }
        return h;
    }

    private void readOne(Path log) throws IOException {
        String client = log.getFileName().toString().replace("client-", "").replace(".events", "");
        Map<Long, Hold> lockByToken = new LinkedHashMap<>();
        Map<Long, Hold> termByToken = new LinkedHashMap<>();
        Map<Long, Hold> runByToken = new LinkedHashMap<>();
        String text = Files.readString(log, java.nio.charset.StandardCharsets.US_ASCII);
        // A SIGKILL can cut the last line short: only whole lines count.
        text = text.substring(0, text.lastIndexOf('\n') + 1);
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 2) {
                continue;
            }
            long t = Long.parseLong(f[0]);
            switch (f[1]) {
                case "ACQ_OK" -> {
                    Hold hold = new Hold(client, Long.parseLong(f[2]), t, Long.parseLong(f[3]));
                    lockByToken.put(hold.token, hold);
                    locks.add(hold);
                }
                case "VALID" -> {
                    Hold hold = lockByToken.get(Long.parseLong(f[2]));
                    hold.deadline = Math.max(hold.deadline, Long.parseLong(f[3]));
                }
                case "LOST" -> {
                    // onLost also reports the holder's own release (RELEASED): only the other reasons tell of a loss.
                    Hold hold = lockByToken.get(Long.parseLong(f[2]));
                    if (!f[3].equals("RELEASED")) {
                        hold.told = Math.min(hold.told, t);
                    }
                }
                case "WRITE_SEND" -> lockByToken
                        .get(Long.parseLong(f[2]))
                        .writesSent
                        .add(t);
                case "REL_START" -> {
                    Hold hold = lockByToken.get(Long.parseLong(f[2]));
                    hold.releaseStart = Math.min(hold.releaseStart, t);
                }
                case "REL_END" -> {
                    Hold hold = lockByToken.get(Long.parseLong(f[2]));
                    hold.releaseEnd = Math.min(hold.releaseEnd, t);
                }
                case "ACQ_FAIL" -> acquireFailures++;
                case "ELECTED" -> {
                    Hold term = new Hold(client, Long.parseLong(f[2]), t, t);
                    termByToken.put(term.token, term);
                    terms.add(term);
                }
                case "TVALID" -> {
                    Hold term = termByToken.get(Long.parseLong(f[2]));
                    if (term != null) {
                        term.deadline = Math.max(term.deadline, t);
                    }
                }
                case "REVOKED" -> {
                    Hold term = termByToken.get(Long.parseLong(f[2]));
                    if (term != null && !f[3].equals("RELEASED")) {
                        term.told = Math.min(term.told, t);
                    }
                }
                case "RESIGN_START" -> {
                    Hold term = termByToken.get(Long.parseLong(f[2]));
                    term.releaseStart = Math.min(term.releaseStart, t);
                }
                case "EL_FAIL" -> electionFailures++;
                case "S_START" -> {
                    Hold run = new Hold(client, Long.parseLong(f[2]), t, t);
                    runByToken.put(run.token, run);
                    singletonRuns.add(run);
                }
                case "S_VALID" -> {
                    Hold run = runByToken.get(Long.parseLong(f[2]));
                    if (run != null) {
                        run.deadline = Math.max(run.deadline, t);
                    }
                }
                case "S_STOP" -> {
                    Hold run = runByToken.get(Long.parseLong(f[2]));
                    if (run != null) {
                        run.releaseStart = Math.min(run.releaseStart, t);
                    }
                }
                default -> {
                    // HELLO, READY, CLOSED, ACQ_INVOKE, EL_INVOKE, WRITE_OK, WRITE_REJ, RESIGN_END
                }
            }
        }
    }

    HistoryChecker.Report checkLocks() {
        return HistoryChecker.check(locks.stream().map(h -> h.record("lock")).toList());
    }

    HistoryChecker.Report checkTerms() {
        return HistoryChecker.check(terms.stream().map(h -> h.record("leader")).toList());
    }

    HistoryChecker.Report checkSingletonRuns() {
        return HistoryChecker.check(
                singletonRuns.stream().map(h -> h.record("singleton")).toList());
    }

    /**
     * Adds the lock, election and singleton holds to {@code timeline}, a lane per client process, with the violations
     * the checks found among them.
     */
    HistoryTimeline.Builder drawOn(
            HistoryTimeline.Builder timeline,
            HistoryChecker.Report lockCheck,
            HistoryChecker.Report termCheck,
            HistoryChecker.Report singletonCheck) {
        return timeline.add(locks.stream().map(h -> h.drawn("lock")).toList(), lockCheck.violations())
                .add(terms.stream().map(h -> h.drawn("leader")).toList(), termCheck.violations())
                .add(singletonRuns.stream().map(h -> h.drawn("singleton")).toList(), singletonCheck.violations());
    }

    /** Writes sent after the holder's onLost notice, and after its logged deadline. */
    long[] writesAfterLoss() {
        long afterTold = 0;
        long afterDeadline = 0;
        for (Hold h : locks) {
            for (long w : h.writesSent) {
                if (w > h.told) {
                    afterTold++;
                }
                if (w > h.deadline) {
                    afterDeadline++;
                }
            }
        }
        return new long[] {afterTold, afterDeadline};
    }

    /** How many release calls ({@code close()}) took over a second, and the longest one, in milliseconds. */
    long[] slowReleases() {
        long over = 0;
        long longest = 0;
        for (Hold h : locks) {
            if (h.releaseEnd != Long.MAX_VALUE && h.releaseStart != Long.MAX_VALUE) {
                long millis = (h.releaseEnd - h.releaseStart) / 1_000_000;
                longest = Math.max(longest, millis);
                if (millis > 1000) {
                    over++;
                }
            }
        }
        return new long[] {over, longest};
    }

    /** Holds whose client released after the deadline had passed (by over 100 ms) without ever being told. */
    long silentLosses() {
        long ms100 = 100_000_000L;
        return locks.stream()
                .filter(h -> h.releaseStart != Long.MAX_VALUE
                        && h.releaseStart > h.deadline + ms100
                        && h.told == Long.MAX_VALUE)
                .count();
    }

    /**
     * Writes the resource accepted with a token lower than one it had accepted before (must be 0), and writes it
     * accepted from a holder while a newer holder had already acquired (the window fencing leaves open until the newer
     * holder's first write arrives).
     */
    long[] staleAccepted(List<FencedResource.Write> writes) {
        List<Hold> byTime = new ArrayList<>(locks);
        byTime.sort(Comparator.comparingLong(h -> h.acquired));
        long[] times = byTime.stream().mapToLong(h -> h.acquired).toArray();
        long[] maxToken = new long[times.length];
        long max = Long.MIN_VALUE;
        for (int i = 0; i < times.length; i++) {
            max = Math.max(max, byTime.get(i).token);
            maxToken[i] = max;
        }
        long stale = 0;
        long superseded = 0;
        long highest = Long.MIN_VALUE;
        for (FencedResource.Write w : writes) {
            if (!w.accepted()) {
                continue;
            }
            if (w.token() < highest) {
                stale++;
            }
            highest = Math.max(highest, w.token());
            int i = Arrays.binarySearch(times, w.nanos());
            int idx = i >= 0 ? i : -i - 2;
            if (idx >= 0 && maxToken[idx] > w.token()) {
                superseded++;
            }
        }
        return new long[] {stale, superseded};
    }

    /** A stretch with no valid holder: from the end of one hold to the next acquisition. */
    record Gap(long from, long to) {
        long nanos() {
            return to - from;
        }
    }

    /** Every stretch with no valid lock holder, longest first. */
    List<Gap> gaps() {
        List<Hold> byTime = new ArrayList<>(locks);
        byTime.sort(Comparator.comparingLong(h -> h.acquired));
        List<Gap> gaps = new ArrayList<>();
        long coveredUntil = Long.MIN_VALUE;
        for (Hold h : byTime) {
            if (coveredUntil != Long.MIN_VALUE && h.acquired > coveredUntil) {
                gaps.add(new Gap(coveredUntil, h.acquired));
            }
            coveredUntil = Math.max(coveredUntil, h.validEnd());
        }
        gaps.sort(Comparator.comparingLong(Gap::nanos).reversed());
        return gaps;
    }
}
