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
package dev.baton.lock.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnswerDeadlinesTest {
    private final AnswerDeadlines deadlines = new AnswerDeadlines("answer-deadlines-test");

    @AfterEach
    void close() {
        deadlines.close();
    }

    @Test
    void an_answer_that_does_not_come_fails_with_a_timeout_no_earlier_than_its_deadline() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        long sent = System.nanoTime();

        assertThat(deadlines.within(answer, Duration.ofMillis(200))).isSameAs(answer);

        assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(System.nanoTime() - sent)
                .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    }

    @Test
    void an_answer_in_time_is_left_as_it_came_and_no_longer_watched() throws Exception {
        CompletableFuture<String> answer = deadlines.within(new CompletableFuture<>(), Duration.ofMillis(100));
        answer.complete("answer");

        awaitTrue(() -> deadlines.watched() == 0, "the answered request to leave the watch");
        assertThat(answer.join()).isEqualTo("answer");
        assertThat(deadlines
                        .within(CompletableFuture.completedFuture("done"), Duration.ZERO)
                        .join())
                .isEqualTo("done");
    }

    @Test
    void a_request_after_a_long_idle_spell_still_times_out() throws Exception {
        CompletableFuture<String> first = deadlines.within(new CompletableFuture<>(), Duration.ofMillis(10));
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        // 100 checks of 10 ms with nothing in flight: the checker sleeps until the next request wakes it.
        awaitTrue(deadlines::sleeping, "the checker to sleep");

        CompletableFuture<String> later = deadlines.within(new CompletableFuture<>(), Duration.ofMillis(50));

        assertThatThrownBy(() -> later.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void no_thread_before_the_first_request_and_none_after_close() throws Exception {
        AnswerDeadlines unused = new AnswerDeadlines("answer-deadlines-unused");
        assertThat(unused.checking()).isFalse();
        unused.close();

        deadlines.within(new CompletableFuture<>(), Duration.ofSeconds(30));
        assertThat(deadlines.checking()).isTrue();
        deadlines.close();
        awaitTrue(() -> !deadlines.checking(), "the checker to end");

        CompletableFuture<String> afterClose = deadlines.within(new CompletableFuture<>(), Duration.ofMillis(20));
        assertThatThrownBy(() -> afterClose.get(10, TimeUnit.SECONDS))
                .as("after close, the JDK's own timeout")
                .hasCauseInstanceOf(TimeoutException.class);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5); // polling a condition, as Awaitility would
        }
    }
}
