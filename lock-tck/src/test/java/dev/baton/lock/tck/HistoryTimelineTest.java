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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The history timeline page (issue 17), read as text: the data it embeds for a history with a known overlap, the
 * escaping of names, the size of a 10,000-hold page, and the kit's failure message that names the page. How the page
 * looks in a browser is {@link TimelineBrowserTest}'s.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 60)
class HistoryTimelineTest {
    /** a holds x from 1000 to 3000 (released); b acquires x at 2000, while a still holds it: one overlap. */
    static HistoryChecker.Report knownOverlap() {
        return HistoryChecker.check(List.of(
                new HoldRecord("client-a", "x", 1, 1_000, OptionalLong.of(3_000), OptionalLong.empty()),
                new HoldRecord("client-b", "x", 2, 2_000, OptionalLong.of(4_000), OptionalLong.empty()),
                new HoldRecord("client-a", "x", 3, 5_000, OptionalLong.empty(), OptionalLong.of(6_000))));
    }

    @Test
    void an_overlap_is_drawn_between_its_two_holds_and_listed_with_its_text() {
        HistoryChecker.Report report = knownOverlap();
        assertThat(report.overlaps()).isEqualTo(1);

        String html = HistoryTimeline.builder("known overlap")
                .add(report)
                .fault("pause client-a", 1_500, 2_500)
                .build()
                .toHtml();
        String json = data(html);

        // holds: [lane, name, token, start, end, told, endedByLoss], instants from the earliest (1000)
        assertThat(json)
                .contains("\"holds\":[[0,0,1,0,2000,-1,0],[1,0,2,1000,3000,-1,0],[0,0,3,4000,5000,5000,1]]")
                .contains("\"lanes\":[\"client-a\",\"client-b\"]")
                .contains("\"faults\":[[\"pause client-a\",500,1500]]");
        // the overlap: holds 0 and 1, from b's acquisition to a's release, with the checker's own text
        assertThat(json)
                .contains("\"violations\":[[\"OVERLAP\",0,1,1000,2000,\"OVERLAP: client-b acquired 'x' at 2000");
        assertThat(json).contains("\"violationsLeftOut\":0");
        // the page draws each violation as #violation-N and lists it with a link to that id
        assertThat(html)
                .contains("el.id = \"violation-\" + n;")
                .contains("a.href = \"#violation-\" + n;")
                .doesNotContain("http://", "https://", "<link", " src=");
    }

    @Test
    void names_that_look_like_markup_cannot_break_the_page() {
        String evil = "</script><script>alert(1)</script>&amp;\"'\\\u2028<!--";
        HoldRecord a = new HoldRecord(evil, evil, 1, 10, OptionalLong.of(30), OptionalLong.empty());
        HoldRecord b = new HoldRecord("b", evil, 2, 20, OptionalLong.of(40), OptionalLong.empty());

        String html = HistoryTimeline.builder(evil)
                .note(evil)
                .add(HistoryChecker.check(List.of(a, b)))
                .fault(evil, 10, 20)
                .build()
                .toHtml();

        assertThat(count(html, "</script>"))
                .as("only the template's own script ends")
                .isEqualTo(2);
        assertThat(html).doesNotContain("<script>alert").doesNotContain("\u2028");
        assertThat(data(html))
                .contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u0026amp;\\\"'"
                        + "\\\\\\u2028\\u003c!--");
        // the page's text goes in through textContent and attributes only
        assertThat(html)
                .doesNotContain("innerHTML")
                .doesNotContain("insertAdjacentHTML")
                .doesNotContain("eval(");
    }

    @Test
    void ten_thousand_holds_make_a_page_of_about_half_a_megabyte() {
        List<HoldRecord> history = new ArrayList<>();
        long t = 1_000_000_000L;
        for (int i = 0; i < 10_000; i++) {
            long acquired = t + i * 3_000_000L; // 3 ms apart: a 30 s run, 12 clients in turn
            history.add(new HoldRecord(
                    "coordinator-" + (i % 3) + "-thread-" + (i % 4),
                    "exclusion",
                    i + 1,
                    acquired,
                    OptionalLong.of(acquired + 2_000_000L),
                    OptionalLong.empty()));
        }

        String html = HistoryTimeline.builder("10,000 holds")
                .add(HistoryChecker.check(history))
                .build()
                .toHtml();

        assertThat(count(data(html), "],[")).isEqualTo(9_999);
        assertThat(html.getBytes(StandardCharsets.UTF_8).length).isBetween(200_000, 1_000_000);
    }

    @Test
    void violations_beyond_the_cap_are_counted_not_drawn() {
        List<HoldRecord> history = new ArrayList<>();
        for (int i = 0; i <= HistoryTimeline.MAX_VIOLATIONS + 5; i++) {
            history.add(new HoldRecord("c" + i, "x", 1, 10 + i, OptionalLong.of(10_000), OptionalLong.empty()));
        }
        HistoryChecker.Report report = HistoryChecker.check(history);

        String json = data(HistoryTimeline.builder("many").add(report).build().toHtml());

        assertThat(count(json, "[\"TOKEN_ORDER\"") + count(json, "[\"OVERLAP\""))
                .isEqualTo(HistoryTimeline.MAX_VIOLATIONS);
        assertThat(json)
                .contains("\"violationsLeftOut\":" + (report.violations().size() - HistoryTimeline.MAX_VIOLATIONS));
    }

    @Test
    void a_failed_check_names_its_timeline_in_the_assertion_message() throws Exception {
        Throwable failure = catchThrowable(knownOverlap()::assertValid);

        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("1 overlaps");
        Matcher path = Pattern.compile("\ntimeline: (\\S+\\.html)\n").matcher(failure.getMessage());
        assertThat(path.find()).as(failure.getMessage()).isTrue();
        Path file = Path.of(path.group(1));
        assertThat(file)
                .isAbsolute()
                .startsWith(HistoryTimeline.failureDirectory())
                .isRegularFile();
        assertThat(file.getFileName().toString())
                .startsWith("history-HistoryTimelineTest.a_failed_check_names_its_timeline_in_the_assertion_message-");
        assertThat(Files.readString(file)).contains("[\"OVERLAP\",0,1,");
    }

    @Test
    void two_failures_write_two_files() {
        Throwable first = catchThrowable(knownOverlap()::assertValid);
        Throwable second = catchThrowable(knownOverlap()::assertValid);

        assertThat(timeline(first)).isNotEqualTo(timeline(second));
    }

    @Test
    void a_fault_that_ends_before_it_starts_is_refused() {
        assertThatThrownBy(() -> HistoryTimeline.builder("t").fault("cut", 20, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not end (10) before it starts (20): cut");
    }

    private static String timeline(Throwable failure) {
        Matcher path = Pattern.compile("\ntimeline: (\\S+\\.html)\n").matcher(failure.getMessage());
        assertThat(path.find()).as(failure.getMessage()).isTrue();
        return path.group(1);
    }

    /** The JSON the page embeds. */
    static String data(String html) {
        String open = "<script type=\"application/json\" id=\"timeline-data\">";
        int from = html.indexOf(open) + open.length();
        return html.substring(from, html.indexOf("</script>", from));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }
}
