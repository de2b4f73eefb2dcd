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
package dev.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.inmemory.InMemoryBackend;
import dev.baton.inmemory.InMemoryCluster;
import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorObserver;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.Leadership;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.LossReason;
import dev.baton.lock.SessionState;
import dev.baton.lock.SingletonOptions;
import dev.baton.lock.SingletonRunner;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each meter of {@link BatonMetrics} moves as its lock, session or election does, over the in-memory backend. */
@Timeout(60)
class BatonMetricsTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** Short, so that a lost session is noticed (at the next renewal, a third of it later) within the test. */
    private static final Duration SHORT_SESSION = Duration.ofMillis(900);

    private final InMemoryCluster cluster = new InMemoryCluster();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        cluster.close();
        registry.close();
    }

    private Coordinator observed(CoordinatorObserver observer) {
        return InMemoryBackend.builder()
                .cluster(cluster)
                .coordinatorBuilder()
                .sessionTtl(SHORT_SESSION)
                .observer(observer)
                .build();
    }

    private Coordinator unobserved() {
        return InMemoryBackend.builder().cluster(cluster).coordinatorBuilder().build();
    }

    private double count(String name, String... tags) {
        Search s = registry.find(name).tags(tags);
        return s.counter() != null ? s.counter().count() : s.timer().count();
    }

    private double state(SessionState s) {
        return registry.get(BatonMetrics.SESSION_STATE)
                .tag(BatonMetrics.STATE_TAG, s.name().toLowerCase(Locale.ROOT))
                .gauge()
                .value();
    }

    @Test
    void an_acquisition_and_its_release_record_wait_count_and_hold_time_and_no_loss() throws Exception {
        try (Coordinator c = observed(BatonMetrics.of(registry))) {
            try (LockHandle h = c.lock("orders/42").acquire(PROMPTLY)) {
                assertThat(h.isValid()).isTrue();
            }
            await().atMost(PROMPTLY).until(() -> count(BatonMetrics.LOCK_HELD) == 1);
            assertThat(count(BatonMetrics.LOCK_ACQUISITIONS)).isEqualTo(1);
            assertThat(count(BatonMetrics.LOCK_WAIT)).isEqualTo(1);
            assertThat(count(BatonMetrics.LOCK_TIMEOUTS)).isZero();
            assertThat(registry.find(BatonMetrics.LOCK_LOSSES).counters())
                    .as("a release is no loss")
                    .allSatisfy(counter -> assertThat(counter.count()).isZero());
        }
    }

    @Test
    void the_wait_timer_measures_the_wait_behind_another_holder() throws Exception {
        try (Coordinator holder = unobserved();
                Coordinator waiter = observed(BatonMetrics.of(registry))) {
            LockHandle held = holder.lock("jobs").acquire(PROMPTLY);
            var acquiring = waiter.lock("jobs").acquireAsync();
            // The wait is timed from when the attempt began, on another thread: only once its entry is queued has it
            // surely begun, so the 300 ms are counted from there (on a busy machine the attempt can start late).
            await().atMost(PROMPTLY).until(() -> cluster.keys().size() == 2);
            Thread.sleep(300); // the wait being measured, not a synchronisation
            held.close();
            try (LockHandle h = acquiring.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)) {
                assertThat(h.isValid()).isTrue();
            }
            await().atMost(PROMPTLY).until(() -> count(BatonMetrics.LOCK_WAIT) == 1);
            assertThat(registry.get(BatonMetrics.LOCK_WAIT).timer().totalTime(TimeUnit.MILLISECONDS))
                    .isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void attempts_that_time_out_count_as_timeouts_not_acquisitions() throws Exception {
        try (Coordinator holder = unobserved();
                Coordinator waiter = observed(BatonMetrics.of(registry));
                LockHandle held = holder.lock("jobs").acquire(PROMPTLY)) {
            assertThatThrownBy(() -> waiter.lock("jobs").acquire(Duration.ofMillis(100)))
                    .isInstanceOf(LockAcquisitionTimeoutException.class);
            assertThat(waiter.lock("jobs").tryAcquire()).isEmpty();

            await().atMost(PROMPTLY).until(() -> count(BatonMetrics.LOCK_TIMEOUTS) == 2);
            assertThat(count(BatonMetrics.LOCK_ACQUISITIONS)).isZero();
            assertThat(held.isValid()).isTrue();
        }
    }

    @Test
    void a_lost_session_counts_a_loss_by_reason_and_moves_the_state_gauge() throws Exception {
        try (Coordinator c = observed(BatonMetrics.of(registry))) {
            LockHandle h = c.lock("jobs").acquire(PROMPTLY);
            await().atMost(PROMPTLY).until(() -> state(SessionState.CONNECTED) == 1);

            cluster.expireAllLeases(); // the coordinator learns it at its next renewal

            await().atMost(PROMPTLY)
                    .until(() -> count(BatonMetrics.LOCK_LOSSES, BatonMetrics.REASON_TAG, "session_lost") == 1);
            assertThat(h.isValid()).isFalse();
            assertThat(count(BatonMetrics.LOCK_HELD)).isEqualTo(1);
            assertThat(count(BatonMetrics.LOCK_LOSSES, BatonMetrics.REASON_TAG, "expired"))
                    .isZero();
            // The coordinator opens a new session after the loss.
            await().atMost(PROMPTLY).until(() -> state(SessionState.CONNECTED) == 1);
        }
        assertThat(state(SessionState.CLOSED)).isEqualTo(1);
        assertThat(state(SessionState.CONNECTED)).isZero();
    }

    @Test
    void a_ttl_lock_that_runs_out_counts_as_expired() throws Exception {
        try (Coordinator c = observed(BatonMetrics.of(registry))) {
            LockHandle h =
                    c.lock("report", LockOptions.ttl(Duration.ofMillis(300))).acquire(PROMPTLY);
            await().atMost(PROMPTLY)
                    .until(() -> count(BatonMetrics.LOCK_LOSSES, BatonMetrics.REASON_TAG, "expired") == 1);
            assertThat(h.isValid()).isFalse();
        }
    }

    @Test
    void the_state_gauge_follows_suspension_recovery_and_close() throws Exception {
        InMemoryBackend backend = InMemoryBackend.builder().cluster(cluster).build();
        try (Coordinator c = Coordinator.builder(backend)
                .sessionTtl(Duration.ofSeconds(3))
                .closeBackendOnClose(true)
                .observer(BatonMetrics.of(registry))
                .build()) {
            await().atMost(PROMPTLY).until(() -> state(SessionState.CONNECTED) == 1);
            backend.disconnect();
            await().atMost(PROMPTLY).until(() -> state(SessionState.SUSPENDED) == 1);
            assertThat(state(SessionState.CONNECTED)).isZero();
            backend.reconnect();
            await().atMost(PROMPTLY).until(() -> state(SessionState.CONNECTED) == 1);
            assertThat(c.sessionState()).isEqualTo(SessionState.CONNECTED);
        }
        assertThat(state(SessionState.CLOSED)).isEqualTo(1);
    }

    @Test
    void acknowledged_renewals_record_their_latency() throws Exception {
        try (Coordinator c = observed(BatonMetrics.of(registry))) {
            await().atMost(PROMPTLY).until(() -> count(BatonMetrics.SESSION_RENEWAL) >= 2);
            assertThat(c.sessionState()).isEqualTo(SessionState.CONNECTED);
        }
    }

    @Test
    void elections_count_terms_won_and_terms_lost_but_not_resignations() throws Exception {
        try (Coordinator c = observed(BatonMetrics.of(registry));
                LeaderElection election = c.election("primary", "node-1")) {
            Leadership first = election.campaign(PROMPTLY);
            first.close(); // resigns: no loss
            Leadership second = election.campaign(PROMPTLY);
            await().atMost(PROMPTLY).until(() -> count(BatonMetrics.ELECTIONS_WON) == 2);

            cluster.expireAllLeases();

            await().atMost(PROMPTLY)
                    .until(() -> count(BatonMetrics.ELECTIONS_LOST, BatonMetrics.REASON_TAG, "session_lost") == 1);
            assertThat(second.isValid()).isFalse();
            assertThat(registry.find(BatonMetrics.ELECTIONS_LOST).counters().stream()
                            .mapToDouble(counter -> counter.count())
                            .sum())
                    .as("the resignation is not a lost term")
                    .isEqualTo(1);
            assertThat(count(BatonMetrics.LOCK_ACQUISITIONS))
                    .as("terms are not lock acquisitions")
                    .isZero();
        }
    }

    @Test
    void singleton_term_ends_are_counted_by_reason_so_failures_can_be_counted() throws Exception {
        SingletonOptions options = SingletonOptions.builder()
                .failureBackoff(Duration.ofMillis(1), Duration.ofMillis(1))
                .build();
        AtomicInteger runs = new AtomicInteger();
        try (Coordinator c = observed(BatonMetrics.of(registry))) {
            SingletonRunner failing = c.singleton("jobs/failing", "node-1", options, term -> {
                if (runs.incrementAndGet() <= 2) {
                    throw new IllegalStateException("boom");
                }
            });
            await().atMost(PROMPTLY).until(() -> failing.state() == SingletonRunner.State.HOLDING);
            failing.close();
            await().atMost(PROMPTLY)
                    .until(() -> count(BatonMetrics.SINGLETON_TERM_ENDS, BatonMetrics.REASON_TAG, "closed") == 1);
            assertThat(count(BatonMetrics.SINGLETON_TERM_ENDS, BatonMetrics.REASON_TAG, "threw"))
                    .as("failures")
                    .isEqualTo(2);
            assertThat(count(BatonMetrics.SINGLETON_TERM_ENDS, BatonMetrics.REASON_TAG, "returned"))
                    .isZero();
        }
    }

    @Test
    void names_are_not_tags_unless_allowed() throws Exception {
        try (Coordinator c = observed(BatonMetrics.of(registry))) {
            c.lock("orders/42").acquire(PROMPTLY).close();
            await().atMost(PROMPTLY).until(() -> count(BatonMetrics.LOCK_HELD) == 1);
        }
        assertThat(registry.getMeters())
                .extracting(m -> m.getId().getTag(BatonMetrics.NAME_TAG))
                .containsOnlyNulls();
    }

    @Test
    void allowed_names_are_tags_and_every_other_name_shares_one_value() throws Exception {
        BatonMetrics metrics =
                BatonMetrics.builder(registry).lockNames(Set.of("orders")).build();
        try (Coordinator c = observed(metrics)) {
            c.lock("orders").acquire(PROMPTLY).close();
            c.lock("customer/1").acquire(PROMPTLY).close();
            c.lock("customer/2").acquire(PROMPTLY).close();
            await().atMost(PROMPTLY)
                    .until(() -> registry.find(BatonMetrics.LOCK_HELD).timers().stream()
                                    .mapToLong(t -> t.count())
                                    .sum()
                            == 3);
        }
        assertThat(count(BatonMetrics.LOCK_ACQUISITIONS, BatonMetrics.NAME_TAG, "orders"))
                .isEqualTo(1);
        assertThat(count(BatonMetrics.LOCK_ACQUISITIONS, BatonMetrics.NAME_TAG, BatonMetrics.OTHER_NAME))
                .isEqualTo(2);
        List<String> values = registry.getMeters().stream()
                .map(Meter::getId)
                .map(id -> id.getTag(BatonMetrics.NAME_TAG))
                .filter(v -> v != null)
                .distinct()
                .toList();
        assertThat(values).containsExactlyInAnyOrder("orders", BatonMetrics.OTHER_NAME);
    }

    @Test
    void a_name_to_tag_function_bounds_the_tag_values() throws Exception {
        BatonMetrics metrics = BatonMetrics.builder(registry)
                .tags("app", "billing")
                .lockNameTag(name -> name.substring(0, name.indexOf('/')))
                .build();
        try (Coordinator c = observed(metrics)) {
            c.lock("orders/1").acquire(PROMPTLY).close();
            c.lock("orders/2").acquire(PROMPTLY).close();
            await().atMost(PROMPTLY).until(() -> count(BatonMetrics.LOCK_HELD, BatonMetrics.NAME_TAG, "orders") == 2);
        }
        assertThat(count(BatonMetrics.LOCK_ACQUISITIONS, "app", "billing", BatonMetrics.NAME_TAG, "orders"))
                .isEqualTo(2);
    }

    @Test
    void an_observer_that_throws_breaks_no_lock_and_no_election() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CoordinatorObserver throwing = new CoordinatorObserver() {
            @Override
            public void lockAcquired(String lockName, Duration waited) {
                calls.incrementAndGet();
                throw new IllegalStateException("observer failure (expected by the test)");
            }

            @Override
            public void lockEnded(String lockName, LossReason reason, Duration held) {
                calls.incrementAndGet();
                throw new IllegalStateException("observer failure (expected by the test)");
            }

            @Override
            public void elected(String electionName) {
                calls.incrementAndGet();
                throw new IllegalStateException("observer failure (expected by the test)");
            }
        };
        try (Coordinator c = observed(throwing)) {
            for (int i = 0; i < 3; i++) {
                try (LockHandle h = c.lock("jobs").acquire(PROMPTLY)) {
                    assertThat(h.isValid()).isTrue();
                }
            }
            try (LeaderElection e = c.election("primary", "node-1");
                    Leadership term = e.campaign(PROMPTLY)) {
                assertThat(term.isValid()).isTrue();
            }
            await().atMost(PROMPTLY).until(() -> calls.get() == 7);
            try (LockHandle h = c.lock("jobs").acquire(PROMPTLY)) {
                assertThat(h.isValid())
                        .as("still acquires after the observer threw")
                        .isTrue();
            }
            assertThat(c.sessionState()).isEqualTo(SessionState.CONNECTED);
        }
    }
}
