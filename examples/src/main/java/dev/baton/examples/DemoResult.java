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
 * What one run of the {@link Demo} saw, as data, for its test to check: the demo narrates, {@code DemoTest} judges.
 * Immutable.
 *
 * @param stoppedEarly why the story stopped before its end (an awaited event never came, or an exception), or empty
 * @param orderTokens the fencing tokens of the hand-offs of {@code orders/42}, in the order they were acquired
 * @param mostOrderHoldersAtOnce the most workers that held {@code orders/42} at the same time
 * @param leaderTokens the fencing tokens of the leadership terms, in the order they began
 * @param mostLeadersAtOnce the most singleton tasks that ran at the same time
 * @param observedLeaderTokens the leader tokens an observer saw, in the order it saw them
 * @param ttlLock what happened to the TTL lock nobody released, or empty when the run did not get that far
 * @param leases what happened to the two leases, or empty when the run did not get that far
 * @param failover the failover, or empty when the run did not get that far
 * @param keysLeft the keys left on the cluster after everything was closed
 * @param leasesLeft the leases left on the cluster after everything was closed
 */
public record DemoResult(
        Optional<String> stoppedEarly,
        List<Long> orderTokens,
        int mostOrderHoldersAtOnce,
        List<Long> leaderTokens,
        int mostLeadersAtOnce,
        List<Long> observedLeaderTokens,
        Optional<TtlLock> ttlLock,
        Optional<Leases> leases,
        Optional<Failover> failover,
        List<String> keysLeft,
        int leasesLeft) {

    /**
     * Copies the lists, so that the result is immutable.
     *
     * @param stoppedEarly why the story stopped before its end, or empty
     * @param orderTokens the fencing tokens of the hand-offs of {@code orders/42}, in acquisition order
     * @param mostOrderHoldersAtOnce the most workers that held {@code orders/42} at the same time
     * @param leaderTokens the fencing tokens of the leadership terms, in the order they began
     * @param mostLeadersAtOnce the most singleton tasks that ran at the same time
     * @param observedLeaderTokens the leader tokens an observer saw, in the order it saw them
     * @param ttlLock what happened to the TTL lock, or empty
     * @param leases what happened to the leases, or empty
     * @param failover the failover, or empty
     * @param keysLeft the keys left on the cluster after close
     * @param leasesLeft the leases left on the cluster after close
     */
    public DemoResult {
        orderTokens = List.copyOf(orderTokens);
        leaderTokens = List.copyOf(leaderTokens);
        observedLeaderTokens = List.copyOf(observedLeaderTokens);
        keysLeft = List.copyOf(keysLeft);
    }

    /**
     * The TTL lock whose holder never releases it.
     *
     * @param firstToken the token of the holder that never releases it
     * @param secondToken the token of the node that got the lock after it expired
     * @param takenWhileHeld whether the second node's {@code tryAcquire} got the lock while the first held it
     * @param firstValidWhenSecondGotIt whether the first handle was still valid when the second node got the lock
     * @param holderTold whether the first holder's {@code onLost} listener was called
     * @param waited how long after the first acquisition the second node got the lock
     * @param ttl the lock's TTL
     */
    public record TtlLock(
            long firstToken,
            long secondToken,
            boolean takenWhileHeld,
            boolean firstValidWhenSecondGotIt,
            boolean holderTold,
            Duration waited,
            Duration ttl) {}

    /**
     * The lease renewed by hand and the one renewed in the background.
     *
     * @param remainingBeforeRenew what the hand-renewed lease had left just before {@code renew()}
     * @param remainingAfterRenew what it had left just after
     * @param autoRenewedStillValid whether the auto-renewed lease was still valid after the failover, well past its TTL
     * @param ttl both leases' TTL
     */
    public record Leases(
            Duration remainingBeforeRenew, Duration remainingAfterRenew, boolean autoRenewedStillValid, Duration ttl) {}

    /**
     * The timings of the failover, each measured from the instant the old leader was cut off.
     *
     * @param oldLeader the node that was cut off
     * @param toldNode the node whose task was interrupted first after the cut
     * @param newLeader the node elected after it
     * @param oldLeaderTold when the old leader's task was interrupted
     * @param newLeaderElected when the new leader's task started
     * @param sessionTtl the session TTL the coordinators ran with
     * @param staleWriteRejected whether the leader-state store rejected a write with the old leader's token
     */
    public record Failover(
            String oldLeader,
            String toldNode,
            String newLeader,
            Duration oldLeaderTold,
            Duration newLeaderElected,
            Duration sessionTtl,
            boolean staleWriteRejected) {}
}
