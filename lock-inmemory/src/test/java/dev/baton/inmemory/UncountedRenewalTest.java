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
import dev.baton.lock.tck.ForwardingBackend;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A renewal the backend acknowledges but does not let count ({@code keepAliveCountingFrom} answers empty, as the
 * etcd backend does after a leader change until the old leader is known to have stepped down) leaves the holder's
 * deadline where the last counting renewal put it, although the server renewed the lease; the keeper renews sooner
 * meanwhile, and once renewals count again the session lives on.
 */
@Timeout(60)
class UncountedRenewalTest {
    private static final Duration SESSION_TTL = Duration.ofSeconds(1);
    private static final Duration MARGIN = Duration.ofMillis(200);

    private final InMemoryCluster cluster = new InMemoryCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Answers renewals as counting or not, by a switch, and counts them. */
    private static final class Switchable extends ForwardingBackend {
        final AtomicBoolean counts = new AtomicBoolean(true);
        final AtomicInteger renewals = new AtomicInteger();

        Switchable(InMemoryBackend delegate) {
            super(delegate);
        }

        @Override
        public OptionalLong keepAliveCountingFrom(long leaseId, long sentNanos) {
            super.keepAliveCountingFrom(leaseId, sentNanos);
            renewals.incrementAndGet();
            return counts.get() ? OptionalLong.of(sentNanos) : OptionalLong.empty();
        }
    }

    @Test
    void renewals_that_do_not_count_leave_the_deadline_where_the_last_counting_one_put_it() throws Exception {
        Switchable backend =
                new Switchable(InMemoryBackend.builder().cluster(cluster).build());
        try (Coordinator coordinator = coordinator(backend)) {
            LockHandle handle = coordinator.lock("jobs").acquire(Duration.ofSeconds(5));
            AtomicLong lostAt = new AtomicLong();
            handle.onLost((h, why) -> lostAt.set(System.nanoTime()));
            int before = backend.renewals.get();
            long stoppedCounting = System.nanoTime();
            backend.counts.set(false);

            await().atMost(Duration.ofSeconds(5)).until(() -> lostAt.get() != 0);

            assertThat(handle.isValid()).isFalse();
            // The last counting renewal was sent before stoppedCounting, so the deadline was at most TTL - margin
            // later.
            assertThat(Duration.ofNanos(lostAt.get() - stoppedCounting))
                    .isLessThanOrEqualTo(SESSION_TTL.minus(MARGIN).plusMillis(200));
            // Renewals went on, sooner than every third of the TTL, and the server did renew: not what ended it.
            assertThat(backend.renewals.get() - before).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void once_renewals_count_again_the_session_lives_on() throws Exception {
        Switchable backend =
                new Switchable(InMemoryBackend.builder().cluster(cluster).build());
        try (Coordinator coordinator = coordinator(backend)) {
            LockHandle handle = coordinator.lock("jobs").acquire(Duration.ofSeconds(5));
            backend.counts.set(false);
            int before = backend.renewals.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.renewals.get() > before);
            backend.counts.set(true);

            Thread.sleep(SESSION_TTL.multipliedBy(3).toMillis()); // the property: still valid after three TTLs

            assertThat(handle.isValid()).isTrue();
        }
    }

    private static Coordinator coordinator(Switchable backend) {
        return Coordinator.builder(backend)
                .sessionTtl(SESSION_TTL)
                .safetyMargin(MARGIN)
                .closeBackendOnClose(true)
                .build();
    }
}
