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

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A renewal counts only once a later one confirmed its term, driven by hand; the last case replays the etcd 3.5.16
 * leader-pause violation (a renewal answered by the resumed old leader under its old term).
 */
class RenewalConfirmationsTest {
    private static final long LEASE = 7;
    private static final long MS = 1_000_000L;
    private final RenewalConfirmations confirmations = new RenewalConfirmations(Duration.ofMillis(200));

    /** A counting renewal of {@link #LEASE} under {@code term}, sent at {@code sentMs} and answered 5 ms later. */
    private OptionalLong renewal(long term, long sentMs) {
        return confirmations.acknowledged(LEASE, true, term, sentMs * MS, sentMs * MS, (sentMs + 5) * MS);
    }

    @Test
    void the_first_renewal_counts_only_when_the_next_confirms_it_and_then_from_its_own_send_time() {
        assertThat(renewal(2, 0)).isEmpty();
        assertThat(renewal(2, 600)).hasValue(0);
        assertThat(renewal(2, 1200)).hasValue(600 * MS);
    }

    @Test
    void a_renewal_sent_within_the_gap_after_the_pending_answer_confirms_nothing_and_leaves_it_pending() {
        assertThat(renewal(2, 0)).isEmpty();
        assertThat(renewal(2, 100)).isEmpty();
        assertThat(renewal(2, 300)).hasValue(0);
    }

    @Test
    void a_renewal_under_another_term_confirms_nothing() {
        assertThat(renewal(2, 0)).isEmpty();
        assertThat(renewal(3, 600)).isEmpty();
        assertThat(renewal(3, 1200)).hasValue(600 * MS);
    }

    @Test
    void a_renewal_the_guard_does_not_count_drops_the_pending_one() {
        assertThat(renewal(2, 0)).isEmpty();
        assertThat(confirmations.acknowledged(LEASE, false, 3, 600 * MS, 600 * MS, 605 * MS))
                .isEmpty();
        assertThat(renewal(2, 1200)).as("the dropped renewal never counts").isEmpty();
    }

    @Test
    void a_renewal_answered_by_a_resumed_old_leader_under_its_old_term_never_counts() {
        // Term 2 renewals confirm each other until the leader is stopped at 1,000 ms; the others elect term 3.
        assertThat(renewal(2, 0)).isEmpty();
        assertThat(renewal(2, 600)).hasValue(0);
        // Sent to the stopped leader at 4,550 ms, answered when it resumes at 4,900 ms, under its old term 2.
        assertThat(confirmations.acknowledged(LEASE, true, 2, 4550 * MS, 4550 * MS, 4900 * MS))
                .as("the stale answer confirms the last sound renewal only, sent before the stop")
                .hasValue(600 * MS);
        // The next renewal, 600 ms later, is answered under term 3: the guard does not count it yet.
        assertThat(confirmations.acknowledged(LEASE, false, 3, 5500 * MS, 5500 * MS, 5505 * MS))
                .isEmpty();
        assertThat(renewal(3, 6100)).as("the stale answer is never confirmed").isEmpty();
    }

    @Test
    void forgetting_a_lease_drops_its_pending_renewal() {
        assertThat(renewal(2, 0)).isEmpty();
        confirmations.forget(LEASE);
        assertThat(renewal(2, 600)).isEmpty();
    }
}
