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
import static org.awaitility.Awaitility.await;

import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.LossReason;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A holder whose process was paused past its deadline wakes up before the deadline timer has run, and asks {@code
 * isValid()} or releases first: its loss listeners must still hear of the loss, exactly once.
 *
 * <p>The pause is a clock that jumps forward while the timers it scheduled stay due at their real-time delays, as a
 * process's timers are after a SIGSTOP/SIGCONT: the first thing that runs is the holder's own call.
 */
@Timeout(60)
class LapsedHoldTest {
    private static final Duration SESSION_TTL = Duration.ofSeconds(30);
    private static final Duration PAUSE = Duration.ofMinutes(5);
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private final InMemoryCluster cluster = new InMemoryCluster();
    private final PausableClock clock = new PausableClock();
    private final Coordinator coordinator = Coordinator.builder(
                    InMemoryBackend.builder().cluster(cluster).build())
            .sessionTtl(SESSION_TTL)
            .timeSource(clock)
            .callbackExecutor(Runnable::run) // listeners run inside the call that tells them
            .closeBackendOnClose(true)
            .build();

    @AfterEach
    void close() {
        coordinator.close();
        clock.close();
        cluster.close();
    }

    @Test
    void a_mutex_found_invalid_after_a_pause_tells_its_listeners_once() throws Exception {
        LockHandle handle = coordinator.lock("jobs").acquire(PROMPTLY);
        List<LossReason> told = listen(handle);

        clock.pauseFor(PAUSE);

        assertThat(handle.isValid()).isFalse();
        assertThat(told).as("told by isValid()").containsExactly(LossReason.SESSION_LOST);
        assertThat(handle.isValid()).isFalse();
        handle.close();
        assertThat(told).as("told once, whatever else is called").containsExactly(LossReason.SESSION_LOST);
        await("a new session to replace the lapsed one").atMost(PROMPTLY).until(() -> coordinator
                .lock("jobs")
                .tryAcquire()
                .map(h -> {
                    h.close();
                    return true;
                })
                .orElse(false));
    }

    @Test
    void a_mutex_released_after_a_pause_tells_its_listeners_of_the_loss() throws Exception {
        LockHandle handle = coordinator.lock("jobs").acquire(PROMPTLY);
        List<LossReason> told = listen(handle);

        clock.pauseFor(PAUSE);
        handle.close();

        assertThat(told).as("told by close()").containsExactly(LossReason.SESSION_LOST);
        assertThat(handle.isValid()).isFalse();
        assertThat(told).containsExactly(LossReason.SESSION_LOST);
    }

    @Test
    void a_ttl_lock_released_after_its_deadline_tells_its_listeners_and_frees_its_lease() throws Exception {
        LockHandle handle = coordinator
                .lock("jobs", LockOptions.ttl(Duration.ofSeconds(20)))
                .acquire(PROMPTLY);
        List<LossReason> told = listen(handle);
        assertThat(cluster.liveLeaseCount())
                .as("the session's lease and the lock's own")
                .isEqualTo(2);

        clock.pauseFor(PAUSE);
        handle.close();

        assertThat(told).as("told by close()").containsExactly(LossReason.EXPIRED);
        assertThat(handle.isValid()).isFalse();
        assertThat(told).containsExactly(LossReason.EXPIRED);
        await("the released lock's own lease to be revoked")
                .atMost(PROMPTLY)
                .until(cluster::liveLeaseCount, n -> n == 1);
    }

    @Test
    void a_lease_found_invalid_after_a_pause_tells_its_listeners_once() throws Exception {
        LockHandle handle = coordinator.lease("job", Duration.ofSeconds(20)).acquire(PROMPTLY);
        List<LossReason> told = listen(handle);

        clock.pauseFor(PAUSE);

        assertThat(handle.isValid()).isFalse();
        handle.close();
        assertThat(handle.isValid()).isFalse();
        assertThat(told).containsExactly(LossReason.EXPIRED);
    }

    private static List<LossReason> listen(LockHandle handle) {
        List<LossReason> told = new CopyOnWriteArrayList<>();
        handle.onLost((h, reason) -> told.add(reason));
        return told;
    }

    /** Real time plus an offset that {@link #pauseFor} adds to; timers keep their real-time delays. */
    private static final class PausableClock implements TimeSource, AutoCloseable {
        private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pausable-clock");
            t.setDaemon(true);
            return t;
        });
        private volatile long offsetNanos;

        @Override
        public long nanoTime() {
            return System.nanoTime() + offsetNanos;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            ScheduledFuture<?> f = timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        void pauseFor(Duration pause) {
            offsetNanos += pause.toNanos();
        }

        @Override
        public void close() {
            timers.shutdownNow();
        }
    }
}
