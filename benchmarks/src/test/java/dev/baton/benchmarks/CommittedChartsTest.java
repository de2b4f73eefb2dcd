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

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The charts committed with the latest full run (benchmarks/results/full, shown in BENCHMARKS.md), and those of it
 * beside its fsync variant (benchmarks/results/compare), parse, and are what the chart code draws from the committed
 * results: a change to the charts or to the results that did not regenerate them fails here.
 */
class CommittedChartsTest {
    private static final Path RUN = Paths.get("results/full");

    /** The fsync variant of the same code, and the side-by-side charts of the two. */
    private static final Path FSYNC_RUN = Paths.get("results/fsync");

    private static final Path COMPARED = Paths.get("results/compare");

    @Test
    void committed_charts_are_current_and_parse() throws Exception {
        assertCurrent(
                Charts.render(List.of(ResultSet.read(null, RUN))),
                RUN,
                "benchmarks/run summarize benchmarks/results/full");
    }

    @Test
    void committed_side_by_side_charts_are_current_and_parse() throws Exception {
        Charts.Rendered fresh =
                Charts.render(List.of(ResultSet.read("tmpfs", RUN), ResultSet.read("fsync", FSYNC_RUN)));
        assertCurrent(
                fresh,
                COMPARED,
                "benchmarks/run compare benchmarks/results/compare tmpfs=benchmarks/results/full"
                        + " fsync=benchmarks/results/fsync");
    }

    private static void assertCurrent(Charts.Rendered fresh, Path dir, String regenerate) throws Exception {
        assertThat(fresh.charts()).isNotEmpty();
        for (Map.Entry<String, String> chart : fresh.charts().entrySet()) {
            Path file = dir.resolve(chart.getKey());
            assertThat(file)
                    .as("%s is missing or stale: regenerate it with `%s`", file, regenerate)
                    .exists()
                    .hasContent(chart.getValue());
            Map<String, List<String>> panels = SvgDocs.seriesByPanel(SvgDocs.parse(Files.readString(file)));
            assertThat(panels).isNotEmpty();
            panels.forEach((panel, subjects) -> assertThat(subjects)
                    .as("series of %s in %s", panel, file)
                    .isNotEmpty()
                    .doesNotHaveDuplicates());
        }
    }
}
