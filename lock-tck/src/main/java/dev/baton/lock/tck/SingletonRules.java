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

import dev.baton.lock.LossReason;
import dev.baton.lock.SingletonRunner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The singleton rules: the task runs on exactly one runner at a time, is interrupted when its runner
 * loses leadership, and is stopped by {@code close()}.
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
