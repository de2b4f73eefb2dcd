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

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.examples.DemoResult.Failover;
import dev.baton.examples.DemoResult.Leases;
import dev.baton.examples.DemoResult.TtlLock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the whole demo on the embedded in-memory backend and checks what it narrates: the demo itself judges nothing. */
class DemoTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void demo_runs_to_its_end_and_every_property_it_narrates_holds() throws Exception {
        AtomicReference<DemoResult> saw = new AtomicReference<>();
        ExampleRun run = ExampleRun.of(out -> saw.set(Demo.run(out)));
        DemoResult result = saw.get();

        assertThat(result.stoppedEarly()).as(run.output()).isEmpty();

        // The mutex: every hand-off, one holder at a time, tokens strictly increasing.
        assertThat(result.orderTokens())
                .hasSize(Demo.WORKER_COUNT * Demo.ROUNDS_PER_WORKER)
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(result.mostOrderHoldersAtOnce()).isEqualTo(1);

        // The election: one leader at a time, each term with a larger token, seen in order by the observer.
        assertThat(result.mostLeadersAtOnce()).isEqualTo(1);
        assertThat(result.leaderTokens()).hasSize(2).isSorted().doesNotHaveDuplicates();
        assertThat(result.observedLeaderTokens()).isNotEmpty().isSorted();

        TtlLock ttlLock = result.ttlLock().orElseThrow();
        assertThat(ttlLock.takenWhileHeld())
                .as("tryAcquire got the TTL lock while it was held")
                .isFalse();
        assertThat(ttlLock.firstValidWhenSecondGotIt()).isFalse();
        assertThat(ttlLock.holderTold()).isTrue();
        assertThat(ttlLock.secondToken()).isGreaterThan(ttlLock.firstToken());
        assertThat(ttlLock.waited()).isGreaterThan(ttlLock.ttl().dividedBy(2));

        Leases leases = result.leases().orElseThrow();
        assertThat(leases.remainingAfterRenew())
                .isGreaterThan(leases.remainingBeforeRenew())
                .isLessThanOrEqualTo(leases.ttl());
        assertThat(leases.autoRenewedStillValid()).isTrue();

        Failover failover = result.failover().orElseThrow();
        assertThat(failover.toldNode()).isEqualTo(failover.oldLeader());
        assertThat(failover.newLeader()).isNotEqualTo(failover.oldLeader());
        assertThat(failover.oldLeaderTold()).isLessThan(failover.newLeaderElected());
        // Told at its local deadline: the last acknowledged renewal (at most a renew interval, TTL/3, before the cut)
        // plus TTL minus the margin (TTL/5). Earlier would mean a spurious loss.
        Duration ttl = failover.sessionTtl();
        assertThat(failover.oldLeaderTold())
                .isGreaterThanOrEqualTo(ttl.minus(ttl.dividedBy(5)).minus(ttl.dividedBy(3)));
        // Liveness: the next leader within the TTL plus slack.
        assertThat(failover.newLeaderElected())
                .isLessThanOrEqualTo(ttl.multipliedBy(3).dividedBy(2));
        assertThat(failover.staleWriteRejected()).isTrue();

        // Release and close left nothing on the cluster (the cut-off node's session expired on its own).
        assertThat(result.keysLeft()).isEmpty();
        assertThat(result.leasesLeft()).isZero();
        assertThat(run.output()).contains("elected leader of demo/leader (token ");
    }
}
