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

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs every recipe example and checks what it says happens, and that it closed everything it opened (each one
 * leaves the JVM-wide default cluster closed and no thread running).
 */
@Timeout(60)
class ExamplesTest {

    @Test
    void mutex_excludes_the_other_holder_and_the_store_rejects_the_older_token() throws Exception {
        ExampleRun run = ExampleRun.of(MutexExample::run);
        long tokenOfA = run.number("A holds orders/42, token (\\d+)");
        long tokenOfB = run.number("B holds orders/42, token (\\d+)");
        run.lineOf("B's tryAcquire while A holds it: empty");
        assertThat(tokenOfB).isGreaterThan(tokenOfA);
        run.lineOf("the store rejects A's late write with token " + tokenOfA);
    }

    @Test
    void ttl_lock_holder_is_told_before_the_next_holder_gets_it() throws Exception {
        ExampleRun run = ExampleRun.of(TtlLockExample::run);
        run.lineOf("B's tryAcquire while A holds it: empty");
        long toldAt = run.number("A told at \\+(\\d+) ms that its lock is gone: EXPIRED");
        long bHoldsAt = run.number("B holds reports/nightly at \\+(\\d+) ms");
        assertThat(toldAt).as("told before the server gave the lock to B").isLessThan(bHoldsAt);
        assertThat(run.lineOf("A told at")).isLessThan(run.lineOf("B holds reports/nightly"));
        assertThat(run.number("B holds reports/nightly at \\+\\d+ ms, token (\\d+)"))
                .isGreaterThan(run.number("A holds reports/nightly for at most 1000 ms, token (\\d+)"));
    }

    @Test
    void lease_renewal_restores_the_remaining_time_and_auto_renewal_keeps_it_past_its_ttl() throws Exception {
        ExampleRun run = ExampleRun.of(LeaseExample::run);
        List<Long> before = run.numbers("(\\d+) ms left before renew\\(\\)");
        List<Long> after = run.numbers("ms left before renew\\(\\), (\\d+) ms after");
        assertThat(before).hasSize(2);
        assertThat(after).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(after.get(i)).isGreaterThan(before.get(i)).isLessThanOrEqualTo(1_000);
        }
        run.lineOf("auto-renewed lease after 2000 ms (2 TTLs): valid true");
        assertThat(run.output()).doesNotContain("auto-renewed lease lost");
    }

    @Test
    void election_elects_the_next_candidate_with_a_larger_token_when_the_leader_resigns() throws Exception {
        ExampleRun run = ExampleRun.of(ElectionExample::run);
        long tokenOfA = run.number("host-a elected, token (\\d+)");
        long tokenOfB = run.number("host-b elected, token (\\d+)");
        run.lineOf("host-b elected while host-a leads: false");
        assertThat(tokenOfB).isGreaterThan(tokenOfA);
        run.lineOf("dashboard sees: host-a (token " + tokenOfA + ") at \"host-a:8080\"");
        run.lineOf("dashboard sees: host-b (token " + tokenOfB + ") at \"host-b:8080\"");
    }

    @Test
    void singleton_runs_on_one_host_at_a_time_and_moves_when_the_leader_stops() throws Exception {
        ExampleRun run = ExampleRun.of(SingletonExample::run);
        long tokenOfA = run.number("invoicer runs on host-a, token (\\d+)");
        long tokenOfB = run.number("invoicer runs on host-b, token (\\d+)");
        assertThat(tokenOfB).isGreaterThan(tokenOfA);
        assertThat(run.lineOf("invoicer on host-a stopped")).isLessThan(run.lineOf("invoicer runs on host-b"));
        run.lineOf("invoicer on host-b stopped");
    }

    @Test
    void failover_tells_the_cut_off_leader_before_the_other_node_is_elected() throws Exception {
        ExampleRun run = ExampleRun.of(FailoverExample::run);
        long cutAt = run.number("\\[\\+\\s*(\\d+) ms\\] cutting node-a off");
        long toldAt = run.number("\\[\\+\\s*(\\d+) ms\\] node-a told it lost leadership");
        long electedAt = run.number("\\[\\+\\s*(\\d+) ms\\] node-b elected");
        assertThat(run.lineOf("node-a elected")).isLessThan(run.lineOf("cutting node-a off"));
        assertThat(toldAt).as("told before the other node was elected").isLessThan(electedAt);
        // Not before its local deadline: the last renewal (at most TTL/3 before the cut) + TTL - margin (TTL/5).
        assertThat(toldAt - cutAt).isGreaterThanOrEqualTo(2_000 - 400 - 667);
        run.lineOf("terms started: node-a 1, node-b 1");
    }
}
