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
package dev.baton.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.LockOptions;
import dev.baton.lock.TtlLockHandle;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An extension of a TTL lock whose move onto the new lease took effect but whose answer was lost: the holder cannot
 * tell which lease the lock is on, so its deadline becomes the earlier of the two (never later than before), and the
 * next extension reads the entry and goes on from there. On a manual clock, so the deadlines are exact.
 */
@Timeout(30)
class TtlLockExtensionTest {
    private static final Duration SESSION_TTL = Duration.ofSeconds(10);
    private static final Duration MARGIN = Duration.ofSeconds(2);
    private static final Duration TTL = Duration.ofSeconds(10);

    private final ManualTimeSource time = new ManualTimeSource();
    private final InMemoryCluster cluster = new InMemoryCluster(time);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void a_longer_extension_whose_answer_was_lost_leaves_the_deadline_where_it_was() throws Exception {
        LosesNextCasAnswer backend = new LosesNextCasAnswer(
                InMemoryBackend.builder().cluster(cluster).build());
        try (Coordinator coordinator = coordinator(backend)) {
            TtlLockHandle held = acquire(coordinator);
            time.advance(Duration.ofSeconds(4));
            Duration before = held.remaining(); // 10 s - 2 s margin - 4 s
            backend.loseNext.set(true);

            assertThatThrownBy(() -> held.extend(TTL.multipliedBy(2))).isInstanceOf(BackendUnavailableException.class);

            assertThat(held.remaining()).isEqualTo(before);
            // The next extension reads the entry (now on the lease the lost move granted) and moves it on.
            held.extend(TTL);
            assertThat(held.remaining()).isEqualTo(TTL.minus(MARGIN));
            time.advance(TTL.minus(MARGIN).minusMillis(1));
            assertThat(held.isValid()).isTrue();
            assertThat(coordinator.lock("jobs", LockOptions.ttl(TTL)).tryAcquire())
                    .isEmpty();
        }
    }

    @Test
    void a_release_after_an_extension_whose_answer_was_lost_frees_the_lock_on_either_lease() throws Exception {
        LosesNextCasAnswer backend = new LosesNextCasAnswer(
                InMemoryBackend.builder().cluster(cluster).build());
        try (Coordinator coordinator = coordinator(backend)) {
            TtlLockHandle held = acquire(coordinator);
            backend.loseNext.set(true);
            assertThatThrownBy(() -> held.extend(TTL.multipliedBy(2))).isInstanceOf(BackendUnavailableException.class);

            held.close();

            // The entry is on the lease the lost move granted; the release revoked that one too.
            assertThat(coordinator.lock("jobs", LockOptions.ttl(TTL)).tryAcquire())
                    .as("the lock right after its release")
                    .isPresent();
        }
    }

    @Test
    void a_shorter_extension_whose_answer_was_lost_brings_the_deadline_forward() throws Exception {
        LosesNextCasAnswer backend = new LosesNextCasAnswer(
                InMemoryBackend.builder().cluster(cluster).build());
        try (Coordinator coordinator = coordinator(backend)) {
            TtlLockHandle held = acquire(coordinator);
            backend.loseNext.set(true);

            assertThatThrownBy(() -> held.extend(Duration.ofSeconds(5)))
                    .isInstanceOf(BackendUnavailableException.class);

            // The lock may now be on the 5 s lease: the deadline is 5 s less 1 s of margin (the margin scales).
            assertThat(held.remaining()).isEqualTo(Duration.ofSeconds(4));
            time.advance(Duration.ofSeconds(4));
            assertThat(held.isValid()).isFalse();
        }
    }

    private static TtlLockHandle acquire(Coordinator coordinator) throws InterruptedException {
        return TtlLockHandle.of(coordinator.lock("jobs", LockOptions.ttl(TTL)).acquire(Duration.ofSeconds(5)));
    }

    private Coordinator coordinator(LosesNextCasAnswer backend) {
        return Coordinator.builder(backend)
                .sessionTtl(SESSION_TTL)
                .safetyMargin(MARGIN)
                .timeSource(time)
                .callbackExecutor(Runnable::run)
                .blockingExecutor(Runnable::run)
                .closeBackendOnClose(true)
                .build();
    }
}
