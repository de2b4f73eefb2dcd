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
package dev.baton.etcd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.etcd.internal.LeaderChangeGuard.ClusterStatus;
import dev.baton.etcd.internal.LeaderChangeGuard.MemberStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The leader-change rule, driven by hand: which acknowledged renewals may extend a holder's deadline as the raft term
 * moves, and what a probe of the members must show before they count again.
 */
class LeaderChangeGuardTest {
    private static final long A = 0xA;
    private static final long B = 0xB;
    private static final long C = 0xC;
    private static final Duration GRACE = Duration.ofMillis(500);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Queue<Runnable> probes = new ArrayDeque<>();
    private ClusterStatus nextStatus;
    private final LeaderChangeGuard guard = new LeaderChangeGuard(() -> nextStatus, probes::add, now::get, GRACE);

    private static ClusterStatus status(MemberStatus a, MemberStatus b, MemberStatus c) {
        Map<Long, MemberStatus> answers = new HashMap<>();
        if (a != null) {
            answers.put(A, a);
        }
        if (b != null) {
            answers.put(B, b);
        }
        if (c != null) {
            answers.put(C, c);
        }
        return new ClusterStatus(Set.of(A, B, C), answers);
    }

    private static MemberStatus at(long term, long leader) {
        return new MemberStatus(term, leader, "3.4.23");
    }

    private void runProbes(ClusterStatus answer) {
        nextStatus = answer;
        while (!probes.isEmpty()) {
            probes.poll().run();
        }
    }

    @Test
    void renewals_under_the_trusted_term_count() {
        guard.seed(status(at(2, A), at(2, A), at(2, A)));
        assertThat(guard.counts(2, now.get())).isTrue();
        assertThat(probes).isEmpty();
    }

    @Test
    void a_new_term_stops_counting_until_the_old_leader_answers_with_the_new_term_and_the_grace_passed() {
        guard.seed(status(at(2, A), at(2, A), at(2, A)));

        assertThat(guard.counts(3, now.get()))
                .as("first renewal under the new term")
                .isFalse();
        runProbes(status(null, at(3, B), at(3, B))); // the old leader A does not answer (stopped)
        assertThat(guard.counts(3, now.get())).as("old leader not heard from").isFalse();
        runProbes(status(at(2, A), at(3, B), at(3, B))); // A runs again but has not heard of term 3
        assertThat(guard.counts(3, now.get()))
                .as("old leader still in the old term")
                .isFalse();
        runProbes(status(at(3, B), at(3, B), at(3, B))); // A stepped down
        long confirmed = now.get();
        assertThat(guard.counts(3, confirmed)).as("sent within the grace").isFalse();
        assertThat(guard.counts(3, confirmed + GRACE.toNanos() - 1))
                .as("sent just before the grace ended")
                .isFalse();
        assertThat(guard.counts(3, confirmed + GRACE.toNanos()))
                .as("sent after the grace")
                .isTrue();
    }

    @Test
    void a_follower_that_has_not_answered_does_not_hold_up_a_one_term_change() {
        guard.seed(status(at(2, A), at(2, A), at(2, A)));
        guard.counts(3, now.get());
        runProbes(status(at(3, B), at(3, B), null)); // C is down, but it never led
        assertThat(guard.counts(3, now.get() + GRACE.toNanos())).isTrue();
    }

    @Test
    void a_jump_of_more_than_one_term_needs_every_member_but_the_new_leader() {
        guard.seed(status(at(2, A), at(2, A), at(2, A)));
        guard.counts(4, now.get());
        runProbes(status(at(4, B), at(4, B), null)); // C may have led term 3
        assertThat(guard.counts(4, now.get() + GRACE.toNanos())).isFalse();
        runProbes(status(at(4, B), at(4, B), at(4, B)));
        assertThat(guard.counts(4, now.get() + GRACE.toNanos())).isTrue();
    }

    @Test
    void an_answer_under_an_older_term_never_counts() {
        guard.seed(status(at(3, B), at(3, B), at(3, B)));
        assertThat(guard.counts(2, now.get()))
                .as("answered by a member still in term 2")
                .isFalse();
        assertThat(guard.counts(3, now.get())).isTrue();
    }

    @Test
    void an_unknown_old_leader_means_every_member_but_the_new_leader_must_answer() {
        assertThat(guard.counts(2, now.get())).as("first term seen, no seed").isTrue();
        runProbes(new ClusterStatus(Set.of(A, B, C), Map.of())); // nobody answered: leader of term 2 unknown
        guard.counts(3, now.get());
        runProbes(status(null, at(3, B), at(3, B)));
        assertThat(guard.counts(3, now.get() + GRACE.toNanos())).isFalse();
    }

    @Test
    void switched_off_every_renewal_counts() {
        guard.seed(status(at(2, A), at(2, A), at(2, A)));
        guard.enabled(false);
        assertThat(guard.counts(3, now.get())).isTrue();
        assertThat(guard.counts(1, now.get())).isTrue();
    }
}
