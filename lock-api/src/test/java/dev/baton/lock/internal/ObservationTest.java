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
package dev.baton.lock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.baton.lock.CoordinatorObserver;
import dev.baton.lock.LossReason;
import dev.baton.lock.spi.SystemTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The recipes report to the user's observer through {@link Observation}: never on their own thread, never held up by
 * a slow observer, never broken by one that throws.
 */
@Timeout(30)
class ObservationTest {
    private final SystemTimeSource time = new SystemTimeSource("observation-test-timer");

    @AfterEach
    void stop() {
        time.close();
    }

    private Observation of(CoordinatorObserver observer) {
        return new Observation(observer, time, r -> {
            Thread t = new Thread(r, "observation-test-observer");
            t.setDaemon(true);
            return t;
        });
    }

    @Test
    void events_reach_the_observer_in_order_on_its_own_thread() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Observation observation = of(new CoordinatorObserver() {
            @Override
            public void lockAcquired(String lockName, Duration waited) {
                seen.add(
                        "acquired " + lockName + " on " + Thread.currentThread().getName());
            }

            @Override
            public void lockEnded(String lockName, LossReason reason, Duration held) {
                seen.add("ended " + lockName + " " + reason);
            }
        });
        observation.lockAcquired("a", observation.now());
        observation.lockEnded("a", LossReason.EXPIRED, observation.now());
        observation.close(); // delivers what is queued

        assertThat(seen).containsExactly("acquired a on observation-test-observer", "ended a EXPIRED");
    }

    @Test
    void an_observer_that_throws_is_skipped_and_later_events_still_arrive() {
        List<String> seen = new CopyOnWriteArrayList<>();
        Observation observation = of(new CoordinatorObserver() {
            @Override
            public void lockAcquired(String lockName, Duration waited) {
                throw new IllegalStateException("observer failure (expected by the test)");
            }

            @Override
            public void elected(String electionName) {
                seen.add(electionName);
            }
        });
        observation.lockAcquired("a", observation.now()); // must not throw here
        observation.elected("e");
        observation.close();

        assertThat(seen).containsExactly("e");
    }

    @Test
    void a_stuck_observer_holds_up_no_caller_and_its_overflow_is_dropped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Observation observation = of(new CoordinatorObserver() {
            @Override
            public void elected(String electionName) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            // Fills the queue twice over while the observer is stuck: a call that waited for it would never return.
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (int i = 0; i < 2 * Observation.QUEUE_CAPACITY; i++) {
                    observation.elected("e");
                }
            });
        } finally {
            release.countDown();
            observation.close();
        }
    }

    @Test
    void without_an_observer_nothing_is_measured_or_queued() {
        assertThat(Observation.NONE.now()).isZero();
        Observation.NONE.lockAcquired("a", 0);
        Observation.NONE.sessionRenewed(0);
        Observation.NONE.close();
    }
}
