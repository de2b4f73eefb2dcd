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

import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.SystemTimeSource;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A lost lease is revoked only after the loss callbacks queued before it (and those they queue) have run, so that a
 * holder's listeners hear of the loss before this coordinator lets a successor in; a stuck listener delays it by the
 * bound at most.
 */
@Timeout(30)
class RevokeAfterCallbacksTest {
    private final SystemTimeSource time = new SystemTimeSource("revoke-test-timer");
    private final ExecutorService callbackThread = Executors.newSingleThreadExecutor();
    private final ExecutorService blockingPool = Executors.newCachedThreadPool();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch revoked = new CountDownLatch(1);

    @AfterEach
    void stop() {
        time.close();
        callbackThread.shutdownNow();
        blockingPool.shutdownNow();
    }

    @Test
    void when_idle_runs_at_once_when_nothing_is_queued() {
        SerialExecutor callbacks = new SerialExecutor(callbackThread);
        List<String> ran = new ArrayList<>();
        callbacks.whenIdle(() -> ran.add("idle"));
        assertThat(ran).containsExactly("idle");
    }

    @Test
    void revoke_waits_for_queued_callbacks_and_the_callbacks_they_queue() throws Exception {
        SerialExecutor callbacks = new SerialExecutor(callbackThread);
        Janitor janitor =
                new Janitor(recordingBackend(), time, blockingPool, Duration.ofSeconds(1), Duration.ofSeconds(2));
        CountDownLatch release = new CountDownLatch(1);
        callbacks.execute(() -> {
            await(release);
            events.add("listener");
            callbacks.execute(() -> events.add("chained listener"));
        });

        janitor.revokeAfterCallbacks(callbacks, 7, Duration.ofMinutes(1));
        events.add("asked to revoke");
        release.countDown();

        assertThat(revoked.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly("asked to revoke", "listener", "chained listener", "revoke 7");
    }

    @Test
    void a_stuck_listener_delays_the_revoke_by_the_bound_only() throws Exception {
        SerialExecutor callbacks = new SerialExecutor(callbackThread);
        Janitor janitor =
                new Janitor(recordingBackend(), time, blockingPool, Duration.ofSeconds(1), Duration.ofSeconds(2));
        CountDownLatch never = new CountDownLatch(1);
        callbacks.execute(() -> await(never));

        janitor.revokeAfterCallbacks(callbacks, 9, Duration.ofMillis(200));

        assertThat(revoked.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly("revoke 9");
        never.countDown();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CoordinationBackend recordingBackend() {
        return new CoordinationBackend() {
            @Override
            public String describe() {
                return "recording";
            }

            @Override
            public Duration minimumTtl() {
                return Duration.ofMillis(1);
            }

            @Override
            public Duration maximumTtl() {
                return Duration.ofDays(1);
            }

            @Override
            public long grantLease(Duration ttl) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void keepAlive(long leaseId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void revokeLease(long leaseId) {
                events.add("revoke " + leaseId);
                revoked.countDown();
            }

            @Override
            public Optional<Entry> get(String key) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean compareAndDelete(String key, long expectedVersion) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Listing list(String prefix) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {}
        };
    }
}
