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
package dev.baton.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.baton.inmemory.tck.BrokenBackendKitRuns.CasIgnoresVersionKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.DeleteKeepsKeyKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.KeyWatchesFireOnSiblingsKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.KeysCheckedForSlashesOnlyKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.LaggingReadsKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.LeasesExpireEarlyKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.LeasesNeverExpireKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.ListNewestFirstKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.ListingsCountOnePermitKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.ListingsHideWritersKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.SequenceRunsBackwardsKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.UnbrokenKitRun;
import dev.baton.inmemory.tck.BrokenBackendKitRuns.WatchesDropDeletesKitRun;
import dev.baton.lock.tck.TckTimeout;
import dev.baton.lock.tck.TckTimeoutExtension;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The conformance kit tests itself: run over a backend broken in one way, the kit tests meant to catch that defect
 * must fail (the Reactive Streams TCK's {@code ..._shouldFailBy_...}); run over the sound backend through the same
 * plumbing, the same tests pass, so each failure is the defect's doing. Every run uses a manual clock and short
 * waits, so the whole self-test takes seconds.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 120)
class BrokenBackendsAreCaughtTest {
    /** Passes on every broken backend here: shows the runs work and that failures are specific. */
    private static final String CONTROL = "errors_invalid_names_are_rejected_with_the_rule_and_nothing_written";

    private static final String SPI_CAS = "spi_compare_and_set_with_a_stale_version_fails_and_changes_nothing";
    private static final String SPI_CAD = "spi_compare_and_delete_with_a_stale_version_fails_and_changes_nothing";
    private static final String SPI_SEQUENCE = "spi_create_sequence_strictly_grows_and_is_never_reused";
    private static final String SPI_LIST = "spi_list_orders_by_create_sequence_and_isolates_prefixes";
    private static final String SPI_LEASE_EXPIRY = "spi_lease_expiry_deletes_attached_keys_and_emits_a_delete_event";
    private static final String SPI_WATCH = "spi_watch_delivers_changes_in_revision_order_from_after_revision";
    private static final String SPI_KEY_RULE =
            "spi_keys_that_break_the_shared_key_rule_are_refused_and_nothing_written";
    private static final String EXCLUSION = "mutex_excludes_concurrent_holders_across_coordinators";
    private static final String TOKENS = "mutex_fencing_tokens_strictly_increase_across_acquisitions_and_coordinators";
    private static final String NO_HERD = "mutex_release_wakes_only_the_next_waiter";
    private static final String RW_EXCLUSION = "rwlock_writer_excludes_every_other_holder_across_coordinators";
    private static final String RW_SHARE = "rwlock_readers_share_and_a_writer_waits_for_all_of_them";
    private static final String RW_FIFO = "rwlock_reader_behind_a_waiting_writer_waits_for_it";
    private static final String RW_WAKE = "rwlock_writer_release_wakes_the_readers_behind_it_and_nobody_else";
    private static final String RW_DOWNGRADE = "rwlock_downgrade_keeps_the_token_lets_readers_in_and_keeps_writers_out";
    private static final String RW_TRY = "rwlock_try_and_timeout_while_written_leave_nothing_behind";
    private static final String MULTI_EXCLUSION =
            "multilock_overlapping_sets_neither_overlap_nor_deadlock_under_contention";
    private static final String MULTI_TIMEOUT = "multilock_timeout_and_lost_try_release_what_was_taken";
    private static final String SEM_CAPACITY = "semaphore_never_more_than_its_permits_held_across_coordinators";
    private static final String SEM_FIFO =
            "semaphore_waiters_are_served_in_fifo_order_even_when_fewer_permits_would_fit";
    private static final String SEM_WAKE = "semaphore_release_wakes_the_first_waiter_and_no_herd";
    private static final String SEM_LIMITS = "semaphore_limit_mismatch_is_refused_naming_both_limits_and_nothing_left";
    private static final String SEM_TRY = "semaphore_try_timeout_and_cancelled_wait_leave_nothing_behind";
    private static final String SEM_CUT_OFF = "semaphore_cut_off_holder_is_told_before_its_permits_go_to_a_waiter";
    private static final String FIFO = "mutex_serves_waiters_in_fifo_order";
    private static final String ASYNC_HANDOFF = "mutex_async_acquire_completes_when_the_holder_releases";
    private static final String ONE_LEADER = "election_has_exactly_one_leader_among_candidates";
    private static final String PARTICIPANTS = "election_participants_are_listed_in_campaign_order_leader_first";
    private static final String TTL_HELD = "ttl_lock_is_not_free_before_its_ttl";
    private static final String TTL_EXTENDED =
            "ttl_lock_extension_holds_past_the_original_ttl_and_the_holder_is_told_first";
    private static final String MINIMUM_HOLD = "ttl_lock_minimum_hold_outlasts_an_early_release_and_then_frees_itself";
    private static final String EARLY_LOSS = "early_loss_mutex_holder_is_told_before_the_waiter_acquires";
    private static final String EARLY_LOSS_ELECTION = "early_loss_election_leader_is_revoked_before_another_is_elected";
    private static final String EARLY_LOSS_SINGLETON = "early_loss_singleton_task_is_interrupted_before_another_starts";
    private static final String LIVENESS = "liveness_lock_of_a_cut_off_holder_is_free_within_session_ttl_plus_slack";
    private static final String NO_LEAKS = "no_leaks_after_release";
    private static final String BAD_DURATIONS = "errors_bad_durations_are_rejected_and_nothing_written";

    @Test
    void compare_and_set_ignoring_the_version_is_caught() {
        assertCaught(CasIgnoresVersionKitRun.class, SPI_CAS);
    }

    @Test
    void leases_that_never_expire_are_caught() {
        assertCaught(LeasesNeverExpireKitRun.class, SPI_LEASE_EXPIRY, LIVENESS, EARLY_LOSS, TTL_EXTENDED, MINIMUM_HOLD);
    }

    @Test
    void leases_that_expire_early_are_caught_by_the_early_loss_tests() {
        assertCaught(
                LeasesExpireEarlyKitRun.class,
                EARLY_LOSS,
                EARLY_LOSS_ELECTION,
                EARLY_LOSS_SINGLETON,
                TTL_HELD,
                TTL_EXTENDED,
                MINIMUM_HOLD,
                SPI_LEASE_EXPIRY);
    }

    @Test
    void listing_newest_first_is_caught() {
        assertCaught(
                ListNewestFirstKitRun.class,
                SPI_LIST,
                EXCLUSION,
                FIFO,
                ONE_LEADER,
                PARTICIPANTS,
                RW_EXCLUSION,
                MULTI_EXCLUSION);
    }

    @Test
    void create_sequence_running_backwards_is_caught() {
        assertCaught(SequenceRunsBackwardsKitRun.class, SPI_SEQUENCE, SPI_LIST, TOKENS, EXCLUSION);
    }

    @Test
    void listings_that_hide_writers_from_readers_are_caught_by_the_read_write_rules() {
        assertCaught(ListingsHideWritersKitRun.class, RW_EXCLUSION, RW_FIFO, RW_WAKE, RW_DOWNGRADE, RW_TRY);
    }

    @Test
    void listings_that_count_one_permit_per_acquisition_are_caught_by_the_semaphore_rules() {
        assertCaught(ListingsCountOnePermitKitRun.class, SEM_CAPACITY, SEM_FIFO, SEM_TRY, SEM_CUT_OFF);
    }

    @Test
    void watches_dropping_delete_events_are_caught() {
        assertCaught(
                WatchesDropDeletesKitRun.class,
                SPI_WATCH,
                SPI_LEASE_EXPIRY,
                FIFO,
                ASYNC_HANDOFF,
                SEM_FIFO,
                SEM_WAKE,
                SEM_CUT_OFF);
    }

    @Test
    void key_watches_that_fire_on_sibling_changes_are_caught_as_a_herd() {
        assertCaught(KeyWatchesFireOnSiblingsKitRun.class, NO_HERD, SEM_WAKE);
    }

    @Test
    void compare_and_delete_that_keeps_the_key_is_caught() {
        assertCaught(DeleteKeepsKeyKitRun.class, SPI_CAD, NO_LEAKS, ASYNC_HANDOFF);
    }

    @Test
    void keys_checked_for_slashes_only_are_caught_by_the_shared_key_rule() {
        assertCaught(KeysCheckedForSlashesOnlyKitRun.class, SPI_KEY_RULE);
    }

    @Test
    void the_same_tests_pass_on_the_sound_backend() {
        Set<String> all = new LinkedHashSet<>(List.of(
                CONTROL,
                SPI_CAS,
                SPI_CAD,
                SPI_SEQUENCE,
                SPI_LIST,
                SPI_LEASE_EXPIRY,
                SPI_WATCH,
                SPI_KEY_RULE,
                EXCLUSION,
                TOKENS,
                FIFO,
                ASYNC_HANDOFF,
                RW_EXCLUSION,
                RW_SHARE,
                RW_FIFO,
                RW_WAKE,
                RW_DOWNGRADE,
                RW_TRY,
                MULTI_EXCLUSION,
                MULTI_TIMEOUT,
                SEM_CAPACITY,
                SEM_FIFO,
                SEM_WAKE,
                SEM_LIMITS,
                SEM_TRY,
                SEM_CUT_OFF,
                ONE_LEADER,
                PARTICIPANTS,
                TTL_HELD,
                TTL_EXTENDED,
                MINIMUM_HOLD,
                EARLY_LOSS,
                EARLY_LOSS_ELECTION,
                EARLY_LOSS_SINGLETON,
                LIVENESS,
                NO_LEAKS));
        Outcome outcome = run(UnbrokenKitRun.class, all);
        assertThat(outcome.failed)
                .as("kit tests failing on the sound backend: %s", outcome.messages)
                .isEmpty();
        assertThat(outcome.succeeded).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void the_leak_checks_converge_on_reads_of_the_server_that_lag_behind_it() {
        Set<String> selected = Set.of(CONTROL, NO_LEAKS, BAD_DURATIONS);
        Outcome outcome = run(LaggingReadsKitRun.class, selected);
        assertThat(outcome.failed)
                .as("kit tests failing when the reads of the server lag: %s", outcome.messages)
                .isEmpty();
        assertThat(outcome.succeeded).containsExactlyInAnyOrderElementsOf(selected);
    }

    /** Runs the control and the given tests over a broken backend; the control must pass, the others fail. */
    private static void assertCaught(Class<?> kitRun, String... mustFail) {
        Set<String> selected = new LinkedHashSet<>(List.of(mustFail));
        selected.add(CONTROL);
        Outcome outcome = run(kitRun, selected);
        assertThat(outcome.failed)
                .as("%s: tests that failed", kitRun.getSimpleName())
                .isNotEmpty();
        assertThat(outcome.failed)
                .as(
                        "%s: tests meant to catch the defect that failed (messages: %s)",
                        kitRun.getSimpleName(), outcome.messages)
                .containsExactlyInAnyOrder(mustFail);
        assertThat(outcome.succeeded)
                .as("%s: the control passes", kitRun.getSimpleName())
                .containsExactly(CONTROL);
    }

    private static Outcome run(Class<?> kitRun, Set<String> methods) {
        List<MethodSelector> selectors = new ArrayList<>();
        for (String method : methods) {
            selectors.add(selectMethod(kitRun, method));
        }
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectors.toArray(new MethodSelector[0]))
                .execute();
        Outcome outcome = new Outcome();
        results.testEvents().finished().stream().forEach(event -> {
            String method = methodOf(event);
            TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
            if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                outcome.succeeded.add(method);
            } else {
                outcome.failed.add(method);
                String message = result.getThrowable().map(Throwable::toString).orElse("?");
                outcome.messages.add(method + ": " + firstLine(message));
                System.out.println("[baton-tck self-test] " + kitRun.getSimpleName() + " caught by " + method + ": "
                        + firstLine(message));
            }
        });
        assertThat(outcome.succeeded.size() + outcome.failed.size())
                .as("tests run of %s (a name that matches no test?)", methods)
                .isEqualTo(methods.size());
        return outcome;
    }

    private static String methodOf(Event event) {
        return event.getTestDescriptor()
                .getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> ((MethodSource) source).getMethodName())
                .orElseThrow(() -> new AssertionError("no method source: " + event));
    }

    private static String firstLine(String message) {
        String trimmed = message.strip();
        int end = trimmed.indexOf('\n');
        String line = end < 0 ? trimmed : trimmed.substring(0, end);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static final class Outcome {
        final Set<String> succeeded = new TreeSet<>();
        final Set<String> failed = new TreeSet<>();
        final List<String> messages = new ArrayList<>();
    }
}
