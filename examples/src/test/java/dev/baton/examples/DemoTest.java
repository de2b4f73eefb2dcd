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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the whole demo on the in-memory backend and checks the properties it narrates. */
class DemoTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void demo_succeeds_and_the_cut_off_leader_is_told_before_the_next_is_elected() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DemoResult result;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            result = Demo.run(out);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(output);

        assertThat(result.problems()).as(output).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.orderTokens()).hasSize(12).isSorted().doesNotHaveDuplicates();
        assertThat(result.leaderTokens())
                .hasSizeGreaterThanOrEqualTo(2)
                .isSorted()
                .doesNotHaveDuplicates();

        assertThat(result.failover()).isPresent();
        Failover failover = result.failover().orElseThrow();
        assertThat(failover.newLeader()).isNotEqualTo(failover.oldLeader());
        assertThat(failover.oldLeaderTold()).isLessThan(failover.newLeaderElected());
        assertThat(failover.oldLeaderToldFirst()).isTrue();
        // Told at its local deadline: the last acknowledged renewal (at most a renew interval, TTL/3, before the cut)
        // plus TTL minus the margin (TTL/5). Earlier would mean a spurious loss.
        Duration ttl = failover.sessionTtl();
        assertThat(failover.oldLeaderTold())
                .isGreaterThanOrEqualTo(ttl.minus(ttl.dividedBy(5)).minus(ttl.dividedBy(3)));
        // Liveness: the next leader within the TTL plus slack.
        assertThat(failover.newLeaderElected())
                .isLessThanOrEqualTo(ttl.multipliedBy(3).dividedBy(2));
        assertThat(output).contains("elected leader of demo/leader (token ").contains("OK: ");
    }
}
