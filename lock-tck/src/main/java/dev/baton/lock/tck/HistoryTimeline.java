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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A lock history drawn as one self-contained HTML page: a lane per client, each hold a bar from its acquisition to
 * its release or loss with its fencing token on it, a mark where the holder was told of a loss, faults shaded across
 * the lanes, and every violation the {@link HistoryChecker} found drawn in red and listed with a link to it. The page
 * carries its own script and styles (no network); it draws on a canvas, so it stays responsive with tens of thousands
 * of holds, and zooms (wheel, buttons, {@code +}/{@code -}) and pans (drag, arrow keys).
 *
 * <p>In the page, every drawn violation is an element {@code #violation-N} of class {@code violation} (with
 * {@code data-kind}, {@code data-earlier-hold} and {@code data-later-hold}), every hold in a violation an element
 * {@code #hold-N} of class {@code hold}, and every entry of the list an {@code a.violation-link} whose {@code href} is
 * {@code #violation-N}. Instants are shown relative to the earliest one, in the recording clock's nanoseconds.
 *
 * <p>Immutable and threadsafe. Build one with {@link #builder(String)}.
 */
public final class HistoryTimeline {
    /** The most violations drawn and listed; the page says how many more there were. */
    public static final int MAX_VIOLATIONS = 2000;

    private static final String TEMPLATE_RESOURCE = "history-timeline.html";
    private static final String DATA_MARKER = "/*@@TIMELINE_DATA@@*/";

    private final String title;
    private final List<String> notes;
    private final List<HoldRecord> holds;
    private final List<HistoryChecker.Violation> violations;
    private final List<Fault> faults;

    private HistoryTimeline(Builder builder) {
        this.title = builder.title;
        this.notes = List.copyOf(builder.notes);
        this.holds = List.copyOf(builder.holds);
        this.violations = List.copyOf(builder.violations);
        this.faults = List.copyOf(builder.faults);
    }

    /**
     * Starts a timeline.
     *
     * @param title the page's title, shown as text
     * @return a builder, not threadsafe
     * @throws NullPointerException if {@code title} is null
     */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /**
     * Writes the timeline of a history that failed its check, under {@link #failureDirectory()}, with a unique name
     * that starts with {@code label} and the time (UTC).
     *
     * @param label what failed (a test's name, say), used in the title and, reduced to safe characters, the file name
     * @param report the failed check, with the records it judged
     * @return the written file
     * @throws IOException if the directory or the file cannot be written
     * @throws NullPointerException if an argument is null
     */
    public static Path writeForFailure(String label, HistoryChecker.Report report) throws IOException {
        Objects.requireNonNull(label, "label");
        HistoryTimeline timeline = builder("Lock history of " + label)
                .note(report.summary())
                .add(report)
                .build();
        Path dir = failureDirectory();
        Files.createDirectories(dir);
        String safe = label.replaceAll("[^A-Za-z0-9_.-]+", "_");
        String prefix = "history-" + safe.substring(0, Math.min(safe.length(), 80)) + "-"
                + LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))
                + "-";
        Path file = Files.createTempFile(dir, prefix, ".html");
        return timeline.write(file);
    }

    /**
     * Returns where failed checks write their timelines: {@code target/baton-timelines} of the working directory
     * when it has a {@code target} directory (a Maven build), else {@code baton-timelines} in {@code java.io.tmpdir}.
     *
     * @return the directory, which may not exist yet
     */
    public static Path failureDirectory() {
        Path target = Path.of(System.getProperty("user.dir", "."), "target");
        Path base = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("baton-timelines").toAbsolutePath();
    }

    /**
     * Writes the page to {@code file}, creating its parent directories, replacing the file if it exists.
     *
     * @param file where to write
     * @return {@code file}
     * @throws IOException if it cannot be written
     */
    public Path write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toHtml(), StandardCharsets.UTF_8);
        return file;
    }

    /**
     * Returns the page.
     *
     * @return the whole HTML document
     * @throws UncheckedIOException if the page's template cannot be read from the class path
     */
    public String toHtml() {
        String template = template();
        int at = template.indexOf(DATA_MARKER);
        return template.substring(0, at)
                + TimelineJson.of(title, notes, holds, violations, faults)
                + template.substring(at + DATA_MARKER.length());
    }

    private static String template() {
        try (InputStream in = HistoryTimeline.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("the timeline's template " + TEMPLATE_RESOURCE
                        + " is missing beside " + HistoryTimeline.class));
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.contains(DATA_MARKER)) {
                throw new UncheckedIOException(
                        new IOException("the timeline's template has no " + DATA_MARKER + " marker"));
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A fault (a nemesis's action, a cut-off) shaded across every lane from its start to its end.
     *
     * @param label what the fault was, shown as text
     * @param startNanos when it began, on the history's clock
     * @param endNanos when it was undone, on the history's clock
     */
    public record Fault(String label, long startNanos, long endNanos) {
        /**
         * Checks the fault.
         *
         * @param label what the fault was, shown as text
         * @param startNanos when it began, on the history's clock
         * @param endNanos when it was undone, on the history's clock
         * @throws NullPointerException if {@code label} is null
         * @throws IllegalArgumentException if it ends before it starts
         */
        public Fault {
            Objects.requireNonNull(label, "label");
            if (endNanos < startNanos) {
                throw new IllegalArgumentException(
                        "a fault must not end (" + endNanos + ") before it starts (" + startNanos + "): " + label);
            }
        }
    }

    /** Collects what a {@link HistoryTimeline} shows. Not threadsafe. */
    public static final class Builder {
        private final String title;
        private final List<String> notes = new ArrayList<>();
        private final Map<HoldKey, HoldRecord> holdsByKey = new LinkedHashMap<>();
        private final List<HoldRecord> holds = new ArrayList<>();
        private final List<HistoryChecker.Violation> violations = new ArrayList<>();
        private final List<Fault> faults = new ArrayList<>();

        private Builder(String title) {
            this.title = Objects.requireNonNull(title, "title");
        }

        /**
         * Adds a line of text shown under the title (a summary, a command to rerun).
         *
         * @param line the text
         * @return this builder
         * @throws NullPointerException if {@code line} is null
         */
        public Builder note(String line) {
            notes.add(Objects.requireNonNull(line, "line"));
            return this;
        }

        /**
         * Adds the records a check judged and the violations it found.
         *
         * @param report the check
         * @return this builder
         * @throws NullPointerException if {@code report} is null
         */
        public Builder add(HistoryChecker.Report report) {
            return add(report.history(), report.violations());
        }

        /**
         * Adds holds and violations found among them. A violation's records are matched to the holds by client, lock
         * name, token and acquisition instant, so the holds drawn may carry more than the checker saw (a loss notice
         * that the check left out, say).
         *
         * @param records the holds to draw; a hold with the same client, name, token and acquisition as one added
         *     before replaces it
         * @param found violations among them, from {@link HistoryChecker.Report#violations()}
         * @return this builder
         * @throws NullPointerException if an argument or an element is null
         */
        public Builder add(Collection<HoldRecord> records, Collection<HistoryChecker.Violation> found) {
            for (HoldRecord record : records) {
                holdsByKey.put(HoldKey.of(Objects.requireNonNull(record, "record")), record);
            }
            for (HistoryChecker.Violation violation : found) {
                violations.add(Objects.requireNonNull(violation, "violation"));
            }
            return this;
        }

        /**
         * Adds a fault, shaded across every lane.
         *
         * @param label what the fault was
         * @param startNanos when it began
         * @param endNanos when it was undone
         * @return this builder
         * @throws NullPointerException if {@code label} is null
         * @throws IllegalArgumentException if it ends before it starts
         */
        public Builder fault(String label, long startNanos, long endNanos) {
            faults.add(new Fault(label, startNanos, endNanos));
            return this;
        }

        /**
         * Builds the timeline. A violation whose records were not added is drawn from its own records.
         *
         * @return the timeline
         */
        public HistoryTimeline build() {
            holds.clear();
            holds.addAll(holdsByKey.values());
            Map<HoldKey, HoldRecord> known = new HashMap<>(holdsByKey);
            for (HistoryChecker.Violation violation : violations) {
                for (HoldRecord record : List.of(violation.earlier(), violation.later())) {
                    if (known.putIfAbsent(HoldKey.of(record), record) == null) {
                        holds.add(record);
                    }
                }
            }
            return new HistoryTimeline(this);
        }
    }

    /** What identifies a hold across two records of it. */
    record HoldKey(String client, String lockName, long token, long acquiredNanos) {
        static HoldKey of(HoldRecord record) {
            return new HoldKey(record.client(), record.lockName(), record.token(), record.acquiredNanos());
        }
    }
}
