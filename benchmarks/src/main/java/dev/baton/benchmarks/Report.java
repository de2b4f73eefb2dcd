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
package dev.baton.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The step after measuring, runnable on its own against stored runs: {@code summarize DIR} renders {@code
 * summary.md} and the charts from the run in DIR, and {@code compare OUT LABEL=DIR...} draws the charts of several
 * runs side by side (a tmpfs and an fsync variant, say) into OUT.
 */
final class Report {
    private Report() {}

    /**
     * Renders the summary and the charts of the run stored in {@code dir}, into {@code dir}. The summary is kept as it
     * is when the run's sidecars are missing but its summary is there (a run committed without them), since it was
     * made from figures that only the sidecars hold.
     *
     * @return what was written, a line each
     */
    static List<String> summarize(Path dir) throws IOException {
        ResultSet set = ResultSet.read(null, dir);
        List<String> lines = new ArrayList<>();
        Path summary = dir.resolve("summary.md");
        if (set.hasSidecars() || !Files.exists(summary)) {
            Files.writeString(summary, Summary.render(set));
            lines.add("Wrote " + summary);
        } else {
            lines.add("Kept " + summary + ": " + set.sidecars() + " is missing, and the summary's hand-off, request,"
                    + " overlap and held-mutex figures come from it");
        }
        lines.addAll(Charts.write(dir, List.of(set)));
        return lines;
    }

    /**
     * Draws the charts of several runs side by side into {@code out}.
     *
     * @param runs {@code LABEL=DIR} each, in the order the columns should have
     * @return what was written, a line each
     * @throws IllegalArgumentException if a run is not given as {@code LABEL=DIR}
     */
    static List<String> compare(Path out, List<String> runs) throws IOException {
        List<ResultSet> sets = new ArrayList<>();
        for (String run : runs) {
            int eq = run.indexOf('=');
            if (eq <= 0 || eq == run.length() - 1) {
                throw new IllegalArgumentException(
                        "'" + run + "': give each run as LABEL=DIR, such as tmpfs=benchmarks/results/full");
            }
            sets.add(ResultSet.read(run.substring(0, eq), Paths.get(run.substring(eq + 1))));
        }
        return Charts.write(out, sets);
    }

    /**
     * Runs {@code summarize DIR} or {@code compare OUT LABEL=DIR...}.
     *
     * @throws IllegalArgumentException if the arguments are not one of those
     * @throws IOException if a run cannot be read or a file written
     */
    static void main(String... args) throws IOException {
        List<String> lines;
        if (args.length == 2 && args[0].equals("summarize")) {
            lines = summarize(Paths.get(args[1]));
        } else if (args.length >= 3 && args[0].equals("compare")) {
            lines = compare(Paths.get(args[1]), List.of(args).subList(2, args.length));
        } else {
            throw new IllegalArgumentException("usage: summarize DIR | compare OUT LABEL=DIR [LABEL=DIR...]");
        }
        lines.forEach(System.out::println);
    }
}
