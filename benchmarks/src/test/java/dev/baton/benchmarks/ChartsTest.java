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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The charts drawn from a small stored run (src/test/resources/fixture-run: a few subjects of each scenario, hand-off
 * sidecars for etcd's subjects only, and a subject named with markup characters): each parses as XML and has exactly
 * one series per subject the run holds for its panel.
 */
class ChartsTest {
    private static final Path FIXTURE = Paths.get("src/test/resources/fixture-run");
    private static final String ODD = "odd <\"peer\"> & 'co'";

    @Test
    void every_chart_parses_and_has_one_series_per_subject_in_each_panel() throws Exception {
        Charts.Rendered r = Charts.render(List.of(ResultSet.read(null, FIXTURE)));

        assertThat(r.charts()).containsOnlyKeys(Charts.CONTENTION, Charts.HAND_OFF, Charts.CYCLE, Charts.FAILOVER);
        assertThat(r.missing()).isEmpty();
        assertThat(series(r, Charts.CONTENTION))
                .containsExactly(
                        Map.entry("inmemory", List.of("baton-inmemory", "reentrantlock-fair")),
                        Map.entry("etcd", List.of("baton-etcd", "jetcd-lock")),
                        Map.entry("other", List.of(ODD)));
        // Hand-off percentiles exist only where the run kept sidecars: etcd's subjects here.
        assertThat(series(r, Charts.HAND_OFF)).containsExactly(Map.entry("etcd", List.of("baton-etcd", "jetcd-lock")));
        assertThat(series(r, Charts.CYCLE))
                .containsExactly(
                        Map.entry("inmemory", List.of("baton-inmemory")),
                        Map.entry("etcd", List.of("baton-etcd", "jetcd-lock", "etcd-put-delete")));
        assertThat(series(r, Charts.FAILOVER))
                .containsExactly(Map.entry("session TTL 2000 ms", List.of("killed", "resigned")));
    }

    @Test
    void contention_chart_draws_each_subject_at_every_contender_count_and_the_floor() throws Exception {
        Document doc = SvgDocs.parse(
                Charts.render(List.of(ResultSet.read(null, FIXTURE))).charts().get(Charts.CONTENTION));

        var etcd = SvgDocs.groups(doc.getDocumentElement(), "panel").get(1);
        for (var series : SvgDocs.groups(etcd, "series")) {
            assertThat(series.getElementsByTagNameNS("*", "circle").getLength())
                    .as("points of %s (1 and 4 contenders)", series.getAttribute("data-subject"))
                    .isEqualTo(2);
        }
        assertThat(SvgDocs.groups(etcd, "reference"))
                .singleElement()
                .satisfies(ref -> assertThat(ref.getAttribute("data-label")).startsWith("floor etcd-put-delete: "));
    }

    @Test
    void runs_given_together_stand_side_by_side_with_their_labels() throws Exception {
        Charts.Rendered r = Charts.render(List.of(ResultSet.read("tmpfs", FIXTURE), ResultSet.read("fsync", FIXTURE)));

        for (String chart : r.charts().keySet()) {
            Map<String, List<String>> panels = series(r, chart);
            if (chart.equals(Charts.FAILOVER)) {
                assertThat(panels.keySet()).containsExactly("tmpfs", "fsync");
            } else {
                assertThat(panels).containsKeys("etcd · tmpfs", "etcd · fsync");
                assertThat(panels.get("etcd · fsync")).isEqualTo(panels.get("etcd · tmpfs"));
            }
        }
    }

    @Test
    void hand_off_chart_is_left_out_when_the_run_kept_no_sidecars(@TempDir Path dir) throws Exception {
        Files.copy(FIXTURE.resolve("results.json"), dir.resolve("results.json"));

        Charts.Rendered r = Charts.render(List.of(ResultSet.read(null, dir)));

        assertThat(r.charts()).doesNotContainKey(Charts.HAND_OFF).containsKey(Charts.CONTENTION);
        assertThat(r.missing()).singleElement().asString().startsWith(Charts.HAND_OFF + ": no contention sidecars");
    }

    @Test
    void summarize_writes_the_charts_and_keeps_a_summary_the_missing_sidecars_would_spoil(@TempDir Path dir)
            throws Exception {
        Files.copy(FIXTURE.resolve("results.json"), dir.resolve("results.json"));
        Files.writeString(dir.resolve("summary.md"), "the run's own summary");

        List<String> lines = Report.summarize(dir);

        assertThat(Files.readString(dir.resolve("summary.md"))).isEqualTo("the run's own summary");
        assertThat(lines.get(0)).startsWith("Kept ");
        for (String chart : List.of(Charts.CONTENTION, Charts.CYCLE, Charts.FAILOVER)) {
            SvgDocs.parse(Files.readString(dir.resolve(chart)));
        }
    }

    @Test
    void a_run_summarized_as_it_ends_has_its_profile_and_machine_in_the_summary(@TempDir Path dir) throws Exception {
        // What BenchmarkMain does once JMH is done: results.json and sidecars/ are there; run.properties, then
        // summarize.
        Files.copy(FIXTURE.resolve("results.json"), dir.resolve("results.json"));
        Files.createDirectories(dir.resolve("sidecars"));
        ResultSet.writeRun(dir, Summary.runProperties(Profile.FULL, "tmpfs", 1181.4));

        List<String> lines = Report.summarize(dir);

        assertThat(lines.get(0)).isEqualTo("Wrote " + dir.resolve("summary.md"));
        assertThat(Files.readString(dir.resolve("summary.md")))
                .startsWith("# Baton benchmarks: full profile\n\nMachine: "
                        + Runtime.getRuntime().availableProcessors() + " cores, ")
                .contains(". Run took 1181 s.");
        assertThat(ResultSet.read(null, dir).label()).isEqualTo("tmpfs");
    }

    @Test
    void summarize_renders_the_summary_from_the_stored_run() throws Exception {
        String summary = Summary.render(ResultSet.read(null, FIXTURE));

        assertThat(summary)
                .contains("| etcd | `jetcd-lock` | peer | 397 | 2,576 | 452 | 2,214 | 1.45× |")
                .contains("| etcd | 4 | 355 | `jetcd-lock` | 40.1 | 8.85× | 874 / 77,312 | 1,877 / 628,039 | 3.98 |")
                .contains("| etcd | killed | 2000 | 3 |");
    }

    @Test
    void compare_names_a_run_given_without_a_label() {
        assertThatThrownBy(() -> Report.compare(Paths.get("unused"), List.of(FIXTURE.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LABEL=DIR");
    }

    private static Map<String, List<String>> series(Charts.Rendered r, String chart) throws Exception {
        return SvgDocs.seriesByPanel(SvgDocs.parse(r.charts().get(chart)));
    }
}
