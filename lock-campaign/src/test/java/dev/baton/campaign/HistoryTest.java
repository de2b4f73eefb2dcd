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

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.tck.HistoryTimeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The campaign's checks against hand-made event logs: each violation the campaign exists to catch is seen, and the
 * known limit (a paused holder told only when it runs again) is not counted as an overlap.
 */
class HistoryTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private Path log(String client, String... lines) throws Exception {
        Path p = dir.resolve("client-" + client + ".events");
        Files.write(p, List.of(lines));
        return p;
    }

    /**
     * Issue 11 point 1: the holder's local deadline is 1,000 ms ahead when the waiter acquires (2,100 ms), and the holder
     * is told only afterwards (2,300 ms).
     */
    private History waiterAcquiresWhileTheHolderIsValid() throws Exception {
        Path a = log(
                "a.0",
                1000 * MS + " ACQ_OK 5 " + 2600 * MS,
                1500 * MS + " VALID 5 " + 3100 * MS,
                2300 * MS + " LOST 5 SESSION_LOST",
                2301 * MS + " REL_START 5");
        Path c = log("c.0", 2100 * MS + " ACQ_OK 9 " + 3700 * MS, 2200 * MS + " REL_START 9");
        return History.read(List.of(a, c));
    }

    @Test
    void a_waiter_acquiring_while_the_holder_is_still_valid_is_an_overlap() throws Exception {
        History h = waiterAcquiresWhileTheHolderIsValid();

        assertThat(h.checkLocks().overlaps()).isEqualTo(1);
        assertThat(h.checkLocks().tokenOrderViolations()).isZero();
    }

    @Test
    void a_paused_holder_is_valid_only_until_its_last_logged_deadline() throws Exception {
        // Paused from 1,100 ms: its last deadline was 2,700 ms; told at 5,000 ms when it ran again.
        Path a = log(
                "a.0",
                1000 * MS + " ACQ_OK 5 " + 2600 * MS,
                1100 * MS + " VALID 5 " + 2700 * MS,
                5000 * MS + " LOST 5 SESSION_LOST",
                5000 * MS + " WRITE_SEND 5 1",
                5001 * MS + " REL_START 5");
        Path c = log("c.0", 3200 * MS + " ACQ_OK 9 " + 4800 * MS, 3300 * MS + " REL_START 9");
        History h = History.read(List.of(a, c));

        assertThat(h.checkLocks().overlaps()).isZero();
        assertThat(h.writesAfterLoss()).containsExactly(0, 1);
        assertThat(h.gaps().get(0).nanos()).isEqualTo(500 * MS);
    }

    @Test
    void a_release_call_that_takes_seconds_is_counted() throws Exception {
        // Issue 11 point 2: close() blocked for the request timeout while a member was down.
        Path a = log(
                "a.0",
                1000 * MS + " ACQ_OK 5 " + 2600 * MS,
                1010 * MS + " REL_START 5",
                6010 * MS + " REL_END 5",
                6100 * MS + " ACQ_OK 6 " + 7700 * MS,
                6110 * MS + " REL_START 6",
                6120 * MS + " REL_END 6");
        History h = History.read(List.of(a));

        assertThat(h.slowReleases()).containsExactly(1, 5000);
    }

    @Test
    void tokens_going_backwards_and_two_valid_leaders_are_seen() throws Exception {
        Path a = log(
                "a.0",
                1000 * MS + " ACQ_OK 9 " + 2600 * MS,
                1010 * MS + " REL_START 9",
                1000 * MS + " ELECTED 3",
                1500 * MS + " TVALID 3",
                1600 * MS + " RESIGN_START 3");
        Path c = log(
                "c.0",
                1100 * MS + " ACQ_OK 7 " + 2700 * MS,
                1110 * MS + " REL_START 7",
                1400 * MS + " ELECTED 4",
                1700 * MS + " RESIGN_START 4");
        History h = History.read(List.of(a, c));

        assertThat(h.checkLocks().tokenOrderViolations()).isEqualTo(1);
        assertThat(h.checkTerms().overlaps()).isEqualTo(1);
    }

    @Test
    void two_singleton_tasks_that_both_saw_their_term_valid_at_once_are_an_overlap() throws Exception {
        Path a = log("a.0", 1000 * MS + " S_START 3", 1300 * MS + " S_VALID 3", 1400 * MS + " S_STOP 3");
        Path c = log("c.0", 1200 * MS + " S_START 4", 1250 * MS + " S_VALID 4", 1500 * MS + " S_STOP 4");
        History h = History.read(List.of(a, c));

        assertThat(h.checkSingletonRuns().overlaps()).isEqualTo(1);
    }

    @Test
    void a_write_accepted_below_the_highest_token_is_stale_and_one_before_the_newer_holders_write_is_superseded()
            throws Exception {
        Path a = log("a.0", 1000 * MS + " ACQ_OK 5 " + 2600 * MS, 1010 * MS + " REL_START 5");
        Path c = log("c.0", 1100 * MS + " ACQ_OK 9 " + 2700 * MS, 1300 * MS + " REL_START 9");
        History h = History.read(List.of(a, c));
        List<FencedResource.Write> writes = List.of(
                new FencedResource.Write(1005 * MS, "a.0", 5, 1, true, 0),
                new FencedResource.Write(1150 * MS, "a.0", 5, 2, true, 5),
                new FencedResource.Write(1200 * MS, "c.0", 9, 3, true, 5),
                new FencedResource.Write(1250 * MS, "a.0", 5, 4, true, 9));

        assertThat(h.staleAccepted(writes)).containsExactly(1, 2);
    }

    @Test
    void a_release_long_after_the_deadline_without_a_loss_notice_is_a_silent_loss_and_a_truncated_line_is_ignored()
            throws Exception {
        Path a = log(
                "a.0",
                1000 * MS + " ACQ_OK 5 " + 2600 * MS,
                4000 * MS + " REL_START 5",
                4001 * MS + " LOST 5 RELEASED");
        Files.writeString(a, "4100000000 ACQ_OK 7", java.nio.file.StandardOpenOption.APPEND); // cut by SIGKILL
        History h = History.read(List.of(a));

        assertThat(h.silentLosses()).isEqualTo(1);
        assertThat(h.locks).hasSize(1);
    }

    @Test
    void the_timeline_draws_the_overlap_between_the_two_holds_and_marks_the_late_loss_notice() throws Exception {
        History h = waiterAcquiresWhileTheHolderIsValid();

        String html = h.drawOn(
                        HistoryTimeline.builder("campaign").fault("CLIENT_PAUSE_LONG a.0", 1200 * MS, 2250 * MS),
                        h.checkLocks(),
                        h.checkTerms(),
                        h.checkSingletonRuns())
                .build()
                .toHtml();

        // [lane, name, token, start, end, told, endedByLoss], from a's acquisition: a is told at 1,300 ms and ends
        // there
        assertThat(html)
                .contains("\"holds\":[[0,0,5,0,1300000000,1300000000,1],[1,0,9,1100000000,1200000000,-1,0]]")
                .contains("\"lanes\":[\"a.0\",\"c.0\"],\"names\":[\"lock\"]")
                .contains("\"faults\":[[\"CLIENT_PAUSE_LONG a.0\",200000000,1250000000]]")
                .contains("\"violations\":[[\"OVERLAP\",0,1,1100000000,1200000000,");
    }
}
