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

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data of a {@link HistoryTimeline} page, as the JSON its script reads. Holds are arrays, not objects, to keep
 * 10,000 of them small: {@code [lane, name, token, start, end, told, endedByLoss]}, instants relative to the earliest
 * one, {@code -1} for a hold that never ended or a loss never told. Every string is escaped so that it cannot end the
 * {@code <script>} element it is embedded in ({@code <}, {@code >}, {@code &} and the JavaScript line separators
 * become {@code \\uXXXX}). Stateless.
 */
final class TimelineJson {
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private TimelineJson() {}

    static String of(
            String title,
            List<String> notes,
            List<HoldRecord> holds,
            List<HistoryChecker.Violation> violations,
            List<HistoryTimeline.Fault> faults) {
        long origin = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (HoldRecord hold : holds) {
            origin = Math.min(origin, hold.acquiredNanos());
            last = Math.max(last, hold.acquiredNanos());
            last = Math.max(last, finite(hold.endNanos(), last));
            last = Math.max(last, hold.lostNanos().orElse(last));
            last = Math.max(last, hold.releaseStartNanos().orElse(last));
        }
        for (HistoryTimeline.Fault fault : faults) {
            origin = Math.min(origin, fault.startNanos());
            last = Math.max(last, fault.endNanos());
        }
        if (origin == Long.MAX_VALUE) {
            origin = 0;
            last = 0;
        }
        Map<String, Integer> lanes = new LinkedHashMap<>();
        Map<String, Integer> names = new LinkedHashMap<>();
        Map<HistoryTimeline.HoldKey, Integer> index = new HashMap<>();
        StringBuilder json = new StringBuilder(64 + holds.size() * 48);
        json.append("{\"title\":");
        string(json, title);
        json.append(",\"notes\":[");
        for (int i = 0; i < notes.size(); i++) {
            json.append(i == 0 ? "" : ",");
            string(json, notes.get(i));
        }
        json.append("],\"span\":").append(last - origin).append(",\"holds\":[");
        for (int i = 0; i < holds.size(); i++) {
            HoldRecord hold = holds.get(i);
            index.put(HistoryTimeline.HoldKey.of(hold), i);
            json.append(i == 0 ? "[" : ",[")
                    .append(lanes.computeIfAbsent(hold.client(), c -> lanes.size()))
                    .append(',')
                    .append(names.computeIfAbsent(hold.lockName(), n -> names.size()))
                    .append(',');
            if (Math.abs(hold.token()) <= MAX_SAFE_INTEGER) {
                json.append(hold.token());
            } else {
                string(json, Long.toString(hold.token()));
            }
            json.append(',')
                    .append(hold.acquiredNanos() - origin)
                    .append(',')
                    .append(hold.endNanos() == Long.MAX_VALUE ? -1 : hold.endNanos() - origin)
                    .append(',')
                    .append(hold.lostNanos().isPresent() ? hold.lostNanos().getAsLong() - origin : -1)
                    .append(',')
                    .append(hold.endedByLoss() ? 1 : 0)
                    .append(']');
        }
        json.append("],\"lanes\":");
        strings(json, lanes.keySet());
        json.append(",\"names\":");
        strings(json, names.keySet());
        json.append(",\"faults\":[");
        for (int i = 0; i < faults.size(); i++) {
            HistoryTimeline.Fault fault = faults.get(i);
            json.append(i == 0 ? "[" : ",[");
            string(json, fault.label());
            json.append(',')
                    .append(fault.startNanos() - origin)
                    .append(',')
                    .append(fault.endNanos() - origin)
                    .append(']');
        }
        json.append("],\"violations\":[");
        int shown = Math.min(violations.size(), HistoryTimeline.MAX_VIOLATIONS);
        for (int i = 0; i < shown; i++) {
            violation(json.append(i == 0 ? "" : ","), violations.get(i), index, origin, last);
        }
        return json.append("],\"violationsLeftOut\":")
                .append(violations.size() - shown)
                .append('}')
                .toString();
    }

    /** {@code [kind, earlier hold, later hold, from, to, text]}: the stretch of time that shows the broken rule. */
    private static void violation(
            StringBuilder json,
            HistoryChecker.Violation violation,
            Map<HistoryTimeline.HoldKey, Integer> index,
            long origin,
            long last) {
        HoldRecord earlier = violation.earlier();
        HoldRecord later = violation.later();
        long from = later.acquiredNanos();
        long to =
                switch (violation.kind()) {
                    case OVERLAP -> Math.min(finite(earlier.endNanos(), last), finite(later.endNanos(), last));
                    case LATE_LOSS -> earlier.lostNanos().orElse(from);
                    case TOKEN_ORDER -> from;
                };
        json.append('[');
        string(json, violation.kind().name());
        json.append(',')
                .append(index.get(HistoryTimeline.HoldKey.of(earlier)))
                .append(',')
                .append(index.get(HistoryTimeline.HoldKey.of(later)))
                .append(',')
                .append(from - origin)
                .append(',')
                .append(Math.max(from, to) - origin)
                .append(',');
        string(json, violation.toString());
        json.append(']');
    }

    private static long finite(long instant, long instead) {
        return instant == Long.MAX_VALUE ? instead : instant;
    }

    private static void strings(StringBuilder json, Iterable<String> values) {
        json.append('[');
        boolean first = true;
        for (String value : values) {
            json.append(first ? "" : ",");
            string(json, value);
            first = false;
        }
        json.append(']');
    }

    /** Appends a JSON string that is also safe inside an HTML {@code <script>} element. */
    static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
