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
package dev.baton.lock.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.spi.TimeSource;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StampOnSuccessTest {

    private final TckHarness tck = new TckHarness("stamp", environment(), Duration.ofSeconds(5), Duration.ZERO);

    @Test
    void the_returned_future_is_done_only_after_the_stamp_is_set() throws Exception {
        CompletableFuture<String> acquisition = new CompletableFuture<>();
        AtomicReference<Stamp> at = new AtomicReference<>();
        CompletableFuture<String> stamped = tck.stampOnSuccess(acquisition, at);
        // Dependents run last registered, first run: this one runs before the stamp's and holds the completing
        // thread, so the acquisition is done while the stamp is not yet set.
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        acquisition.whenComplete((v, e) -> {
            held.countDown();
            awaitQuietly(release);
        });
        Thread completer = new Thread(() -> acquisition.complete("handle"));
        completer.start();
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(acquisition).as("the acquisition itself").isDone();
        boolean doneWithoutStamp = stamped.isDone() && at.get() == null;
        release.countDown();
        completer.join();
        assertThat(doneWithoutStamp)
                .as("the returned future done before the stamp was set")
                .isFalse();
        assertThat(stamped.get(5, TimeUnit.SECONDS)).isEqualTo("handle");
        assertThat(at.get()).as("the stamp once the returned future is done").isNotNull();
    }

    @Test
    void a_failed_acquisition_is_not_stamped_and_its_failure_passes_through() {
        CompletableFuture<String> acquisition = new CompletableFuture<>();
        AtomicReference<Stamp> at = new AtomicReference<>();
        CompletableFuture<String> stamped = tck.stampOnSuccess(acquisition, at);
        IllegalStateException failure = new IllegalStateException("lost");
        acquisition.completeExceptionally(failure);
        assertThat(TckHarness.failureOf(stamped)).isSameAs(failure);
        assertThat(at.get()).isNull();
    }

    @Test
    void an_earlier_stamp_is_kept() {
        AtomicReference<Stamp> at = new AtomicReference<>();
        Stamp earlier = tck.stamp();
        at.set(earlier);
        tck.stampOnSuccess(CompletableFuture.completedFuture("handle"), at).join();
        assertThat(at.get()).isSameAs(earlier);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TckEnvironment environment() {
        TimeSource time = new TimeSource() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                throw new UnsupportedOperationException("schedule");
            }
        };
        return (TckEnvironment) Proxy.newProxyInstance(
                TckEnvironment.class.getClassLoader(), new Class<?>[] {TckEnvironment.class}, (proxy, method, args) -> {
                    if (method.getName().equals("timeSource")) {
                        return time;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
