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

import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/**
 * The {@code -Dbaton.bench.only} selection: a regex that matches no benchmark class name whole, or that does not
 * compile, is refused with a message naming it and the benchmarks, before any server starts. The {@code
 * -Dbaton.bench.forkArgs} arguments go to the forked JVMs after the run's own properties.
 */
class BenchmarkMainTest {
    private static final List<String> BENCHMARKS = BenchmarkMain.benchmarks(Profile.QUICK);

    @Test
    void the_benchmarks_are_every_class_the_profile_runs_once_each() {
        assertThat(BENCHMARKS)
                .containsExactly(
                        "UncontendedCycleBenchmark",
                        "PairedCycleBenchmark",
                        "BesidePeerBenchmark",
                        "OneRequestBenchmark",
                        "ContentionBenchmark",
                        "ManyLocksBenchmark",
                        "FailoverBenchmark",
                        "HeldMutexesBenchmark");
        assertThat(BenchmarkMain.benchmarks(Profile.FULL)).isEqualTo(BENCHMARKS);
    }

    @Test
    void a_regex_matching_no_whole_class_name_is_refused_naming_it_and_the_benchmarks() {
        // "Contention" alone is a prefix: the selection matches whole names, as String.matches does.
        for (String regex : List.of("Contention", "NoSuchBenchmark.*")) {
            assertThatThrownBy(() -> BenchmarkMain.selection(regex, BENCHMARKS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("-Dbaton.bench.only=" + regex + " matches no benchmark")
                    .hasMessageContaining("whole class name")
                    .hasMessageEndingWith(String.join(", ", BENCHMARKS));
        }
    }

    @Test
    void an_invalid_regex_is_refused_naming_it_and_the_benchmarks() {
        assertThatThrownBy(() -> BenchmarkMain.selection("(Contention", BENCHMARKS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasCauseInstanceOf(PatternSyntaxException.class)
                .hasMessageStartingWith("-Dbaton.bench.only=(Contention is not a valid regular expression (")
                .hasMessageEndingWith(String.join(", ", BENCHMARKS));
    }

    @Test
    void a_regex_matching_some_benchmarks_selects_exactly_those() {
        var selected = BenchmarkMain.selection("(Contention|ManyLocks).*", BENCHMARKS);

        assertThat(BENCHMARKS.stream().filter(b -> selected.matcher(b).matches()))
                .containsExactly("ContentionBenchmark", "ManyLocksBenchmark");
        assertThat(BENCHMARKS)
                .allMatch(b ->
                        BenchmarkMain.selection(".*", BENCHMARKS).matcher(b).matches());
    }

    @Test
    void fork_args_follow_the_properties_split_on_spaces_and_none_adds_nothing() {
        String[] properties = {"-Da=1", "-Db=2"};

        assertThat(BenchmarkMain.withForkArgs(properties, " -XX:StartFlightRecording=filename=x.jfr  -Xmx1g "))
                .containsExactly("-Da=1", "-Db=2", "-XX:StartFlightRecording=filename=x.jfr", "-Xmx1g");
        assertThat(BenchmarkMain.withForkArgs(properties, "")).containsExactly("-Da=1", "-Db=2");
    }
}
