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
package dev.baton.zookeeper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The reaper's expiry rule, on server times only: a lease node's mtime and TTL against the mtime the ZooKeeper leader
 * gives a write to the clock node. The local estimate of the server's time only decides whether the clock is worth
 * reading.
 */
class LeaseReaperRuleTest {
    private static final long INTERVAL = 100;

    @Test
    void a_lease_expires_ttl_after_its_last_write_by_the_servers_clock() {
        long mtime = 1_700_000_000_000L;
        long expiry = LeaseReaper.expiry(mtime, 2000);
        assertThat(expiry).isEqualTo(mtime + 2000);
        assertThat(LeaseReaper.hasExpired(expiry, mtime)).as("just renewed").isFalse();
        assertThat(LeaseReaper.hasExpired(expiry, mtime + 1999))
                .as("1 ms before the TTL")
                .isFalse();
        assertThat(LeaseReaper.hasExpired(expiry, mtime + 2000))
                .as("exactly the TTL")
                .isTrue();
        assertThat(LeaseReaper.hasExpired(expiry, mtime + 60_000))
                .as("long after")
                .isTrue();
    }

    @Test
    void a_renewal_moves_the_expiry_to_ttl_after_the_renewal() {
        long granted = 1_000_000;
        long renewed = granted + 1500;
        long now = granted + 2500;
        assertThat(LeaseReaper.hasExpired(LeaseReaper.expiry(granted, 2000), now))
                .isTrue();
        assertThat(LeaseReaper.hasExpired(LeaseReaper.expiry(renewed, 2000), now))
                .isFalse();
    }

    @Test
    void without_an_estimate_every_lease_is_worth_reading_the_clock_for() {
        assertThat(LeaseReaper.worthReadingTheClock(Long.MAX_VALUE - 1, Long.MAX_VALUE, INTERVAL))
                .isTrue();
        assertThat(LeaseReaper.worthReadingTheClock(0, Long.MAX_VALUE, INTERVAL))
                .isTrue();
    }

    @Test
    void the_estimate_only_skips_leases_due_more_than_two_intervals_ahead() {
        long estimate = 5_000_000;
        assertThat(LeaseReaper.worthReadingTheClock(estimate - 1, estimate, INTERVAL))
                .as("overdue")
                .isTrue();
        assertThat(LeaseReaper.worthReadingTheClock(estimate + 2 * INTERVAL, estimate, INTERVAL))
                .as("due within two intervals: a local clock slower than the server's is absorbed")
                .isTrue();
        assertThat(LeaseReaper.worthReadingTheClock(estimate + 2 * INTERVAL + 1, estimate, INTERVAL))
                .as("due later")
                .isFalse();
    }

    @Test
    void a_fast_local_clock_costs_a_request_but_never_expires_a_lease_early() {
        long mtime = 10_000_000;
        long expiry = LeaseReaper.expiry(mtime, 2000);
        long serverNow = mtime + 1000;
        long estimateRunningFast = serverNow + 60_000;
        assertThat(LeaseReaper.worthReadingTheClock(expiry, estimateRunningFast, INTERVAL))
                .as("the estimate says due: the clock is read")
                .isTrue();
        assertThat(LeaseReaper.hasExpired(expiry, serverNow))
                .as("the server's clock says not yet: the lease stays")
                .isFalse();
    }
}
