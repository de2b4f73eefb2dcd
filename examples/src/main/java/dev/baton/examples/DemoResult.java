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
package dev.baton.examples;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one run of the {@link Demo} saw. Immutable.
 *
 * @param problems every broken expectation, in the order found; empty when the run succeeded
 * @param orderTokens the fencing tokens of the hand-offs of {@code orders/42}, in the order they were acquired
 * @param leaderTokens the fencing tokens of the leadership terms, in the order they began
 * @param failover the failover, or empty when the run did not get that far
 */
public record DemoResult(
        List<String> problems, List<Long> orderTokens, List<Long> leaderTokens, Optional<Failover> failover) {

    /**
     * Copies the lists, so that the result is immutable.
     *
     * @param problems every broken expectation, in the order found; empty when the run succeeded
     * @param orderTokens the fencing tokens of the hand-offs of {@code orders/42}, in the order they were acquired
     * @param leaderTokens the fencing tokens of the leadership terms, in the order they began
     * @param failover the failover, or empty when the run did not get that far
     */
    public DemoResult {
        problems = List.copyOf(problems);
        orderTokens = List.copyOf(orderTokens);
        leaderTokens = List.copyOf(leaderTokens);
    }

    /**
     * Tells whether every expectation held.
     *
     * @return whether the run succeeded
     */
    public boolean succeeded() {
        return problems.isEmpty();
    }

    /**
     * Returns the process exit code for this result.
     *
     * @return 0 on success, 1 otherwise
     */
    public int exitCode() {
        return succeeded() ? 0 : 1;
    }

    /**
     * The timings of the failover, each measured from the instant the old leader was cut off.
     *
     * @param oldLeader the node that was cut off
     * @param newLeader the node elected after it
     * @param oldLeaderTold when the old leader's task was interrupted
     * @param newLeaderElected when the new leader's task started
     * @param sessionTtl the session TTL the coordinators ran with
     */
    public record Failover(
            String oldLeader,
            String newLeader,
            Duration oldLeaderTold,
            Duration newLeaderElected,
            Duration sessionTtl) {

        /**
         * Tells whether the old leader was told it lost before the new one was elected.
         *
         * @return whether the ordering held
         */
        public boolean oldLeaderToldFirst() {
            return oldLeaderTold.compareTo(newLeaderElected) < 0;
        }
    }
}
