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
import dev.baton.lock.CoordinatorObserver;
import dev.baton.lock.ElectionListener;
import dev.baton.lock.Leadership;
import dev.baton.lock.LossReason;
import dev.baton.lock.SingletonOptions;
import dev.baton.lock.SingletonOptions.WhenTaskReturns;
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.SingletonRunner.State;
import dev.baton.lock.SingletonTask;
import dev.baton.lock.SingletonTermEnd;
import dev.baton.lock.SingletonTermEnd.Reason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a singleton runner does when its task returns, throws, resigns, loses its term or is closed (issue 15 item 5),
 * on the in-memory backend with a manual clock: time moves only in {@link #STEP}s, and after each step the test
 * waits for the task threads to settle, so every figure is exact to one step and no test sleeps.
 */
@Timeout(60)
class SingletonSemanticsTest {
    private static final Duration SESSION_TTL = Duration.ofSeconds(10);
    private static final Duration STEP = Duration.ofMillis(50);
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** A task reads the clock within a step of its start, and its runner within a step of its end. */
    private static final Duration TOLERANCE = STEP.multipliedBy(2);

    private final ManualTimeSource time = new ManualTimeSource();
    private final InMemoryCluster cluster = new InMemoryCluster(time);
    private final List<Coordinator> coordinators = new ArrayList<>();
    private final List<Reason> observed = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        coordinators.forEach(Coordinator::close);
        cluster.close();
    }

    private Coordinator coordinator() {
        Coordinator c = Coordinator.builder(
                        InMemoryBackend.builder().cluster(cluster).build())
                .sessionTtl(SESSION_TTL)
                .timeSource(time)
                .blockingExecutor(Runnable::run) // campaigns and renewals run inside advance(), in order
                .callbackExecutor(Runnable::run)
                .observer(new CoordinatorObserver() {
                    @Override
                    public void singletonTermEnded(String electionName, Reason reason, Duration taskRan) {
                        observed.add(reason);
                    }
                })
                .closeBackendOnClose(true)
                .build();
        coordinators.add(c);
        return c;
    }

    /** Lets {@code duration} pass in steps, waiting after each until {@code settled} holds. */
    private void pass(Duration duration, BooleanSupplier settled) {
        for (Duration left = duration; left.compareTo(Duration.ZERO) > 0; left = left.minus(STEP)) {
            time.advance(STEP);
            awaitPromptly(settled);
        }
    }

    /** Lets time pass in steps until {@code condition} holds, at most {@code max}. */
    private void passUntil(Duration max, BooleanSupplier condition, BooleanSupplier settled) {
        Duration passed = Duration.ZERO;
        while (!condition.getAsBoolean()) {
            assertThat(passed).as("time passed waiting").isLessThan(max);
            time.advance(STEP);
            passed = passed.plus(STEP);
            awaitPromptly(settled);
        }
    }

    /** How many WARN lines about {@code election} the captured log holds. */
    private static long warnings(ByteArrayOutputStream err, String election) {
        return err.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains("WARN") && l.contains(election))
                .count();
    }

    /** Waits until the condition holds, polling at once and then every millisecond. */
    private static void awaitPromptly(BooleanSupplier settled) {
        if (!settled.getAsBoolean()) {
            await().atMost(PROMPTLY)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .until(settled::getAsBoolean);
        }
    }

    private static SingletonOptions backoff(Duration first, Duration max) {
        return SingletonOptions.builder().failureBackoff(first, max).build();
    }

    private static List<Reason> reasons(SingletonRunner runner) {
        return runner.recentTermEnds().stream().map(SingletonTermEnd::reason).toList();
    }

    private long sessionLeaseOf(String key) {
        return cluster.entry(key).orElseThrow().leaseId();
    }

    @Test
    void by_default_a_task_that_returns_keeps_its_term_idle_and_is_not_started_again() throws Exception {
        SingletonRunner first = coordinator().singleton("jobs/scheduler", "a", term -> {});
        awaitPromptly(() -> first.state() == State.HOLDING);
        AtomicInteger secondRuns = new AtomicInteger();
        SingletonRunner second = coordinator().singleton("jobs/scheduler", "b", term -> secondRuns.incrementAndGet());

        pass(SESSION_TTL.multipliedBy(3), () -> true);

        assertThat(first.termsStarted()).as("starts of the returned task").isEqualTo(1);
        assertThat(first.state()).isEqualTo(State.HOLDING);
        assertThat(first.currentTerm()).as("the idle term").hasValueSatisfying(t -> assertThat(t.isValid())
                .isTrue());
        assertThat(first.recentTermEnds()).as("a held term has not ended").isEmpty();
        assertThat(second.state()).as("the other candidate").isEqualTo(State.CAMPAIGNING);
        assertThat(secondRuns.get()).isZero();

        first.close();

        assertThat(reasons(first)).containsExactly(Reason.CLOSED);
        assertThat(first.state()).isEqualTo(State.CLOSED);
        awaitPromptly(() -> secondRuns.get() == 1);
        awaitPromptly(() -> observed.contains(Reason.CLOSED));
    }

    @Test
    void under_resign_a_task_that_returns_resigns_and_the_runner_stops_campaigning() throws Exception {
        SingletonOptions resign = SingletonOptions.builder()
                .whenTaskReturns(WhenTaskReturns.RESIGN)
                .build();
        SingletonRunner runner = coordinator().singleton("jobs/once", "a", resign, term -> {});
        awaitPromptly(() -> runner.state() == State.FINISHED);
        assertThat(reasons(runner)).containsExactly(Reason.RETURNED);
        assertThat(runner.currentTerm()).isEmpty();
        assertThat(cluster.keys()).as("keys once resigned").isEmpty();

        pass(SESSION_TTL.multipliedBy(3), () -> true);

        assertThat(runner.termsStarted()).as("starts of the returned task").isEqualTo(1);
        assertThat(runner.state()).isEqualTo(State.FINISHED);
        assertThat(cluster.keys()).as("no new campaign").isEmpty();
        runner.close();
        assertThat(reasons(runner)).containsExactly(Reason.RETURNED);
        awaitPromptly(() -> observed.equals(List.of(Reason.RETURNED)));
    }

    @Test
    void under_resign_and_campaign_again_terms_rotate_among_the_candidates() throws Exception {
        SingletonOptions rotate = SingletonOptions.builder()
                .whenTaskReturns(WhenTaskReturns.RESIGN_AND_CAMPAIGN_AGAIN)
                .build();
        List<String> ran = new CopyOnWriteArrayList<>();
        SingletonRunner a = coordinator().singleton("jobs/rotating", "a", rotate, term -> ran.add("a"));
        SingletonRunner b = coordinator().singleton("jobs/rotating", "b", rotate, term -> ran.add("b"));

        passUntil(SESSION_TTL, () -> ran.size() >= 4, () -> a.state() != State.RUNNING && b.state() != State.RUNNING);

        assertThat(ran.subList(0, 4)).as("runs in order").containsExactly("a", "b", "a", "b");
        assertThat(reasons(a)).containsOnly(Reason.RETURNED);
        assertThat(a.failures()).isZero();
    }

    @Test
    void a_task_that_throws_resigns_and_backs_off_doubling_up_to_the_cap() throws Exception {
        SingletonOptions options = backoff(Duration.ofSeconds(1), Duration.ofSeconds(4));
        Coordinator coordinator = coordinator();
        AtomicInteger runs = new AtomicInteger();
        List<Long> started = new CopyOnWriteArrayList<>();
        // Captured before the runner starts: its first failure may be logged before singleton() returns.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err
        SingletonRunner runner;
        try {
            runner = coordinator.singleton("jobs/failing", "a", options, term -> {
                started.add(time.nanoTime());
                throw new IllegalStateException("boom-" + runs.incrementAndGet());
            });
            BooleanSupplier settled = () -> runner.state() != State.RUNNING && runner.state() != State.CAMPAIGNING;
            await().atMost(PROMPTLY)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .until(settled::getAsBoolean);
            passUntil(Duration.ofSeconds(30), () -> runs.get() == 6, settled);
            // The runner logs a failure just after it has moved to BACKING_OFF: wait for the sixth line before the
            // capture ends (on a busy machine the test thread got there first, and saw five).
            awaitPromptly(() -> warnings(err, "jobs/failing") == 6);
        } finally {
            System.setErr(systemErr);
        }

        assertThat(runner.state()).isEqualTo(State.BACKING_OFF);
        assertThat(runner.currentTerm()).as("no term while backing off").isEmpty();
        assertThat(cluster.keys()).as("no entry while backing off").isEmpty();
        assertThat(runner.failures()).isEqualTo(6);
        assertThat(runner.termsStarted()).isEqualTo(6);
        assertThat(reasons(runner)).containsOnly(Reason.THREW).hasSize(6);
        assertThat(runner.recentTermEnds().get(1).failure()).isEqualTo("java.lang.IllegalStateException: boom-2");
        long[] gaps = new long[started.size() - 1];
        for (int i = 1; i < started.size(); i++) {
            gaps[i - 1] = started.get(i) - started.get(i - 1);
        }
        long[] backoffs = {1000, 2000, 4000, 4000, 4000};
        for (int i = 0; i < backoffs.length; i++) {
            assertThat(Duration.ofNanos(gaps[i]).toMillis())
                    .as("gap before run %d, all gaps %s ns", i + 2, Arrays.toString(gaps))
                    .isBetween(backoffs[i], backoffs[i] + TOLERANCE.toMillis());
        }
        String log = err.toString(StandardCharsets.UTF_8);
        assertThat(warnings(err, "jobs/failing"))
                .as("one WARN line per failure")
                .isEqualTo(6);
        assertThat(log.lines().filter(l -> l.startsWith("java.lang.IllegalStateException: boom")))
                .as("stack traces logged")
                .containsExactly("java.lang.IllegalStateException: boom-1");
        assertThat(log).contains("threw again, 6 times in a row (6 in all): java.lang.IllegalStateException: boom-6");
        awaitPromptly(() -> observed.size() == 6);
        assertThat(observed).containsOnly(Reason.THREW);
    }

    @Test
    void a_task_that_ran_at_least_the_cap_before_throwing_starts_a_new_series_of_backoffs() throws Exception {
        SingletonOptions options = backoff(Duration.ofSeconds(1), Duration.ofSeconds(2));
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch longRun = new CountDownLatch(1);
        List<Long> started = new CopyOnWriteArrayList<>();
        SingletonRunner runner = coordinator().singleton("jobs/flaky", "a", options, term -> {
            started.add(time.nanoTime());
            if (runs.incrementAndGet() == 3) {
                longRun.await(); // the third run is healthy for a while, then fails
            }
            throw new IllegalStateException("boom");
        });
        BooleanSupplier settled = () -> runner.state() == State.BACKING_OFF || runs.get() == 3;
        awaitPromptly(settled);
        passUntil(Duration.ofSeconds(10), () -> runs.get() == 3, settled);
        pass(Duration.ofSeconds(2), () -> true);
        longRun.countDown();
        BooleanSupplier backingOff = () -> runner.state() == State.BACKING_OFF;
        awaitPromptly(backingOff);
        passUntil(Duration.ofSeconds(10), () -> runs.get() == 4, backingOff);

        assertThat(Duration.ofNanos(started.get(2) - started.get(1)).toMillis())
                .as("the second failure in a row waited 2 s")
                .isBetween(2000L, 2000L + TOLERANCE.toMillis());
        assertThat(Duration.ofNanos(started.get(3) - started.get(2)).toMillis())
                .as("run 3 lasted 2 s (the cap) and threw: the wait starts over at 1 s")
                .isBetween(3000L, 3000L + TOLERANCE.toMillis());
    }

    @Test
    void a_running_task_is_interrupted_when_its_term_is_lost_and_runs_again_in_the_next_term() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        SingletonRunner runner = coordinator().singleton("jobs/lost", "a", term -> {
            runs.incrementAndGet();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                // A task that turns the interrupt into a failure is not counted as one: the loss came first.
                throw new IllegalStateException("interrupted", e);
            }
        });
        awaitPromptly(() -> runs.get() == 1);
        long firstToken = runner.currentTerm().orElseThrow().fencingToken();
        cluster.revokeLease(sessionLeaseOf(cluster.keys().get(0)));

        // Between steps, wait for the task thread: to settle a lost term, and to start the task of a new one.
        passUntil(SESSION_TTL, () -> runs.get() == 2, () -> runner.currentTerm()
                .map(t -> t.fencingToken() == firstToken ? t.isValid() : runs.get() == 2)
                .orElse(true));

        assertThat(reasons(runner)).containsExactly(Reason.LEADERSHIP_LOST);
        assertThat(runner.failures()).isZero();
        assertThat(runner.state()).isEqualTo(State.RUNNING);
        assertThat(runner.currentTerm().orElseThrow().fencingToken()).isGreaterThan(firstToken);
    }

    @Test
    void an_idle_term_that_is_lost_is_campaigned_for_again_and_the_task_runs_once_more() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        SingletonRunner runner = coordinator().singleton("jobs/idle", "a", term -> runs.incrementAndGet());
        awaitPromptly(() -> runner.state() == State.HOLDING);
        List<LossReason> revoked = new CopyOnWriteArrayList<>();
        runner.listen(new ElectionListener() {
            @Override
            public void onElected(Leadership leadership) {}

            @Override
            public void onRevoked(Leadership leadership, LossReason reason) {
                revoked.add(reason); // where a task that started work and returned stops it
            }
        });
        cluster.revokeLease(sessionLeaseOf(cluster.keys().get(0)));

        passUntil(SESSION_TTL, () -> runner.termsStarted() == 2, () -> runner.state() != State.RUNNING);

        awaitPromptly(() -> runner.state() == State.HOLDING);
        assertThat(reasons(runner)).containsExactly(Reason.LEADERSHIP_LOST);
        assertThat(revoked).containsExactly(LossReason.SESSION_LOST);
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void a_task_that_closes_its_leadership_resigns_and_the_runner_stops_campaigning() throws Exception {
        SingletonRunner runner = coordinator().singleton("jobs/handover", "a", Leadership::close);
        awaitPromptly(() -> runner.state() == State.FINISHED);
        pass(SESSION_TTL, () -> true);
        assertThat(reasons(runner)).containsExactly(Reason.RESIGNED);
        assertThat(runner.termsStarted()).isEqualTo(1);
        assertThat(cluster.keys()).isEmpty();
    }

    @Test
    void close_interrupts_a_running_task_and_ends_its_term_as_closed() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        SingletonTask blocks = term -> {
            started.countDown();
            new CountDownLatch(1).await();
        };
        SingletonRunner runner = coordinator().singleton("jobs/closed", "a", blocks);
        started.await();
        runner.close();
        assertThat(reasons(runner)).containsExactly(Reason.CLOSED);
        assertThat(runner.state()).isEqualTo(State.CLOSED);
        assertThat(runner.failures()).isZero();
        assertThat(cluster.keys()).isEmpty();
    }

    @Test
    void recent_term_ends_keep_the_last_sixteen_oldest_first() throws Exception {
        SingletonOptions options = backoff(Duration.ofMillis(1), Duration.ofMillis(1));
        AtomicInteger runs = new AtomicInteger();
        SingletonRunner runner = coordinator().singleton("jobs/many", "a", options, term -> {
            throw new IllegalStateException("boom-" + runs.incrementAndGet());
        });
        BooleanSupplier settled = () -> runner.state() == State.BACKING_OFF;
        awaitPromptly(settled);
        // At least 20 runs: with a 1 ms backoff, one step of 50 ms may hold several runs (a campaign that the task
        // thread schedules while the step's window is still being run falls into it), so the count is not exact.
        passUntil(Duration.ofSeconds(5), () -> runs.get() >= 20, settled);

        int total = runs.get();
        List<SingletonTermEnd> ends = runner.recentTermEnds();
        assertThat(ends).hasSize(SingletonRunner.RECENT_TERM_ENDS);
        assertThat(ends.get(0).failure()).endsWith("boom-" + (total - 15));
        assertThat(ends.get(15).failure()).endsWith("boom-" + total);
        assertThat(runner.failures()).isEqualTo(total);
    }
}
