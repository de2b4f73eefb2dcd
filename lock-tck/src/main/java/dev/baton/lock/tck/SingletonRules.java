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

import dev.baton.lock.Leadership;
import dev.baton.lock.LossReason;
import dev.baton.lock.SingletonOptions;
import dev.baton.lock.SingletonOptions.WhenTaskReturns;
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.SingletonRunner.State;
import dev.baton.lock.SingletonTermEnd;
import dev.baton.lock.SingletonTermEnd.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The singleton rules: the task runs on exactly one runner at a time, is interrupted when its runner
 * loses leadership, and is stopped by {@code close()}; a task that returns is not started again (its term is held
 * idle by default, or resigned for good), and a task that throws makes its runner back off, longer after each failure.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface SingletonRules extends TckRules {
    /**
     * Singleton: runs on exactly one runner at a time.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void singleton_runs_on_exactly_one_runner_at_a_time() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("singleton");
        Scenarios.SingletonProbe probe = new Scenarios.SingletonProbe(tck);
        List<SingletonRunner> runners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runners.add(tck.newClient("r" + i).coordinator().singleton(name, "r" + i, probe.task("r" + i)));
        }
        List<Integer> ran = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            int expectedStarts = round + 1;
            tck.await("task of round " + round + " to start").until(() -> probe.starts.get() == expectedStarts);
            List<Integer> leading = new ArrayList<>();
            for (int i = 0; i < runners.size(); i++) {
                if (runners.get(i).currentTerm().isPresent()) {
                    leading.add(i);
                }
            }
            assertThat(leading)
                    .as("round %d: runners with a current term", round)
                    .hasSize(1);
            int current = leading.get(0);
            assertThat(runners.get(current).termsStarted()).isEqualTo(1);
            ran.add(current);
            runners.get(current).close();
            assertThat(probe.finished)
                    .as("task of r%d finished when close() returned", current)
                    .containsKey("r" + current);
        }
        assertThat(probe.maxRunning.get()).as("tasks running at once").isEqualTo(1);
        assertThat(ran).containsExactlyInAnyOrder(0, 1, 2);
        tck.assertNoKeysLeft("after every runner closed");
    }

    /**
     * Singleton: task is interrupted when leadership is lost and another takes over.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void singleton_task_is_interrupted_when_leadership_is_lost_and_another_takes_over() throws Exception {
        TckHarness tck = tck();
        Scenarios.SingletonTrial t = Scenarios.cutOffSingletonRunner(tck, 0);
        assertThat(t.probe.interrupted).as("the cut-off task was interrupted").containsKey(t.firstId);
        assertThat(t.probe.finished).as("the cut-off task returned").containsKey(t.firstId);
        assertThat(t.probe.started).as("the other runner's task started").containsKey(t.secondId);
        assertThat(t.second.currentTerm()).as("the other runner's term").isPresent();
        assertThat(t.second.termsStarted()).isEqualTo(1);
        tck.await("the cut-off runner's listener told why its term ended")
                .until(() -> t.firstRevokedReason.get() != null);
        assertThat(t.firstRevokedReason.get()).isEqualTo(LossReason.SESSION_LOST);
        tck.await("the cut-off runner to record how its term ended")
                .until(() -> !t.first.recentTermEnds().isEmpty());
        assertThat(t.first.recentTermEnds())
                .as("how the cut-off runner's term ended")
                .extracting(SingletonTermEnd::reason)
                .containsExactly(Reason.LEADERSHIP_LOST);
        assertThat(t.first.failures())
                .as("a task interrupted by a loss did not fail")
                .isZero();
    }

    /**
     * Singleton: a task that returns keeps its term, idle, and is not started again (the default).
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void singleton_task_that_returns_keeps_its_term_idle_and_is_not_started_again() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("singleton-returns");
        List<Long> firstRuns = new CopyOnWriteArrayList<>();
        AtomicInteger secondRuns = new AtomicInteger();
        SingletonRunner first =
                tck.newClient("a").coordinator().singleton(name, "a", term -> firstRuns.add(term.fencingToken()));
        tck.await("the first runner's task to run").until(() -> !firstRuns.isEmpty());
        SingletonRunner second =
                tck.newClient("b").coordinator().singleton(name, "b", term -> secondRuns.incrementAndGet());
        tck.await("the second runner's campaign to be queued (or, wrongly, its task to run)")
                .until(() -> tck.env().keysOnServer().size() == 2 || secondRuns.get() > 0);

        // Before issue 15 the runner started a returned task again every TTL/10.
        tck.passTime(tck.env().sessionTtl().dividedBy(4));

        assertThat(firstRuns).as("terms in which the task that returned ran").hasSize(1);
        assertThat(secondRuns.get())
                .as("runs of the other runner's task while the first held")
                .isZero();
        assertThat(first.termsStarted()).isEqualTo(1);
        assertThat(first.state()).isEqualTo(State.HOLDING);
        Leadership held = first.currentTerm().orElseThrow();
        assertThat(held.fencingToken()).as("token of the term held").isEqualTo(firstRuns.get(0));
        assertThat(held.isValid()).as("the idle term is still valid").isTrue();
        assertThat(first.recentTermEnds()).as("a term held idle has not ended").isEmpty();
        assertThat(second.state()).as("the other runner waits").isEqualTo(State.CAMPAIGNING);

        first.close();

        assertThat(first.recentTermEnds())
                .extracting(SingletonTermEnd::reason)
                .as("how the idle term ended")
                .containsExactly(Reason.CLOSED);
        tck.await("the other runner's task to run once the idle term was closed")
                .until(() -> secondRuns.get() == 1 && second.state() == State.HOLDING);
        assertThat(second.currentTerm().orElseThrow().fencingToken()).isGreaterThan(firstRuns.get(0));
        second.close();
        tck.assertNoKeysLeft("after both runners closed");
    }

    /**
     * Singleton: a task that returns under {@link WhenTaskReturns#RESIGN} resigns, and its runner stops campaigning.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void singleton_task_that_returns_under_resign_resigns_and_is_not_started_again() throws Exception {
        TckHarness tck = tck();
        SingletonOptions resign = SingletonOptions.builder()
                .whenTaskReturns(WhenTaskReturns.RESIGN)
                .build();
        AtomicInteger runs = new AtomicInteger();
        SingletonRunner runner = tck.newClient("a")
                .coordinator()
                .singleton(tck.name("singleton-resigns"), "a", resign, term -> runs.incrementAndGet());
        tck.await("the task to run").until(() -> runs.get() > 0);
        tck.assertNoKeysLeft("once the task returned and the runner resigned");

        // Before issue 15 the runner started a returned task again every TTL/10.
        tck.passTime(tck.env().sessionTtl().dividedBy(4));

        assertThat(runs.get()).as("runs of the task that returned").isEqualTo(1);
        assertThat(runner.termsStarted()).isEqualTo(1);
        assertThat(runner.state()).isEqualTo(State.FINISHED);
        assertThat(runner.currentTerm()).isEmpty();
        assertThat(runner.recentTermEnds()).extracting(SingletonTermEnd::reason).containsExactly(Reason.RETURNED);
        tck.assertNoKeysLeft("a finished runner campaigns no more");
        runner.close();
    }

    /**
     * Singleton: a task that throws makes its runner resign and wait before campaigning again, at least the backoff
     * set, and longer after each failure in a row.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void singleton_task_that_throws_backs_off_longer_after_each_failure() throws Exception {
        TckHarness tck = tck();
        Duration first = tck.env().sessionTtl().dividedBy(20);
        Duration cap = first.multipliedBy(4);
        SingletonOptions options =
                SingletonOptions.builder().failureBackoff(first, cap).build();
        List<Stamp> started = new CopyOnWriteArrayList<>();
        SingletonRunner runner = tck.newClient("a")
                .coordinator()
                .singleton(tck.name("singleton-throws"), "a", options, term -> {
                    started.add(tck.stamp());
                    throw new IllegalStateException("failure " + started.size());
                });
        int runs = 4;
        tck.passTimeUntil(
                first.multipliedBy(1 + 2 + 4).plus(tck.livenessSlack()),
                () -> started.size() >= runs,
                () -> tck.await("the failed task's runner to back off")
                        .until(() -> runner.state() != State.RUNNING || started.size() >= runs),
                "the task to have run " + runs + " times");
        tck.await("the last failure to be recorded").until(() -> runner.failures() >= runs);

        // Lower bounds only, each twice the last: how long a campaign takes on top varies with the machine's load.
        Duration[] backoffs = {first, first.multipliedBy(2), cap};
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < runs; i++) {
            long gap = started.get(i).nanos() - started.get(i - 1).nanos();
            gaps.add(gap / 1_000_000);
            assertThat(gap)
                    .as("run %d started at least %s after run %d failed", i + 1, backoffs[i - 1], i)
                    .isGreaterThanOrEqualTo(backoffs[i - 1].toNanos());
        }
        assertThat(runner.recentTermEnds())
                .extracting(SingletonTermEnd::reason)
                .as("how the terms ended")
                .containsOnly(Reason.THREW);
        assertThat(runner.recentTermEnds().get(0).failure()).isEqualTo("java.lang.IllegalStateException: failure 1");
        tck.report(
                "singleton backoff",
                "gaps between runs of a failing task %s ms (first backoff %d ms, cap %d ms)",
                gaps,
                first.toMillis(),
                cap.toMillis());
        runner.close();
        tck.assertNoKeysLeft("after the runner closed");
    }

    /**
     * Singleton: close stops the task.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void singleton_close_stops_the_task() throws Exception {
        TckHarness tck = tck();
        Scenarios.SingletonProbe probe = new Scenarios.SingletonProbe(tck);
        SingletonRunner runner =
                tck.newClient("a").coordinator().singleton(tck.name("singleton-close"), "a", probe.task("a"));
        tck.await("the task to start").until(() -> probe.started.containsKey("a"));
        assertThat(runner.currentTerm()).isPresent();
        runner.close();
        assertThat(probe.interrupted).as("the task was interrupted by close()").containsKey("a");
        assertThat(probe.finished).as("the task returned before close() did").containsKey("a");
        assertThat(probe.running.get()).isZero();
        assertThat(runner.currentTerm()).as("term after close").isEmpty();
        runner.close();
        assertThat(probe.starts.get()).as("task starts after close").isEqualTo(1);
        tck.assertNoKeysLeft("after the runner closed");
    }
}
