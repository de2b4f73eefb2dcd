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
import static org.assertj.core.api.Assertions.fail;

import dev.baton.lock.Acquirable;
import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LockHandle;
import dev.baton.lock.spi.CoordinationBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the kit's rules are written with, for one test over one {@link TckEnvironment}; a backend's own tests can use
 * it the same way. It builds coordinators over a {@link FaultInjectingBackend} around a new client of the environment
 * ({@link #newClient(String)}), opens raw backend clients ({@link #openBackend()}), starts worker threads, lets time
 * pass through the environment ({@link #passTime(Duration)}, {@link #passTimeUntil}), waits for conditions
 * ({@link #await(String)}), checks the server for leaked keys and leases ({@link #assertNoKeysLeft(String)},
 * {@link #assertLiveLeases(int, String)}), stamps events in order ({@link #stamp()}) and prints figures
 * ({@link #report}). Lock histories are recorded with a {@link HistoryRecorder} and judged by its
 * {@link HistoryChecker}. {@link #close()} stops and closes everything it opened, then the environment.
 *
 * <p>When the environment's time is manual, every coordinator it builds runs its callbacks and blocking calls inline,
 * so that a release completes the next waiter's acquisition before it returns and {@link TckEnvironment#advance}
 * runs renewals and expiry in order. It never sleeps to synchronise: it waits for conditions, and lets time pass only
 * through the environment.
 *
 * <p>Threadsafe: a test may call it from its own thread, from workers and from callbacks; {@link #close()} is called
 * once, when the test is over (it is not {@link AutoCloseable}: it waits for the test's threads, which may be
 * interrupted, and a test closes it in its {@code @AfterEach} rather than in a try-with-resources block).
 */
public final class TckHarness {
    /** Orders events across every thread of the JVM: loss notices, acquisitions, task starts and interruptions. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String label;
    private final TckEnvironment env;
    private final Duration awaitTimeout;
    private final Duration livenessSlack;
    private final List<TckClient> clients = new CopyOnWriteArrayList<>();
    private final List<CoordinationBackend> rawBackends = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();

    /**
     * Creates the harness of one test.
     *
     * @param label what {@link #report} names as the source of its figures, for example the test class's simple name
     * @param env the test's environment, which {@link #close()} closes
     * @param awaitTimeout how long to wait for something that should happen promptly before failing the test
     * @param livenessSlack the slack allowed on top of the session TTL for a cut-off holder's lock to be free again
     * @throws NullPointerException if an argument is null
     */
    public TckHarness(String label, TckEnvironment env, Duration awaitTimeout, Duration livenessSlack) {
        this.label = Objects.requireNonNull(label, "label");
        this.env = Objects.requireNonNull(env, "env");
        this.awaitTimeout = Objects.requireNonNull(awaitTimeout, "awaitTimeout");
        this.livenessSlack = Objects.requireNonNull(livenessSlack, "livenessSlack");
    }

    /**
     * Returns the test's environment.
     *
     * @return the environment
     */
    public TckEnvironment env() {
        return env;
    }

    /**
     * Returns how long {@link #await(String)} and the other waits wait for something that should happen promptly.
     *
     * @return the wait limit
     */
    public Duration awaitTimeout() {
        return awaitTimeout;
    }

    /**
     * Returns the slack allowed on top of the session TTL for a cut-off holder's lock to be free again.
     *
     * @return the slack
     */
    public Duration livenessSlack() {
        return livenessSlack;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Clients, workers, names, stamps and reports

    /**
     * Builds a coordinator with the environment's session TTL and time source over a fault injector around a new client
     * of the environment; with manual time its callbacks and blocking calls run inline. {@link #close()} closes it.
     *
     * @param label the client's name in reports
     * @return the client
     * @throws RuntimeException what {@link CoordinatorBuilder#build()} throws, after closing the new backend client
     */
    public TckClient newClient(String label) {
        return newClient(label, env.manualTime() ? Runnable::run : null);
    }

    /**
     * As {@link #newClient(String)}, with the coordinator's blocking backend calls run on {@code blocking}.
     *
     * @param label the client's name in reports
     * @param blocking where blocking backend calls run; null for the coordinator's own pool
     * @return the client
     * @throws RuntimeException what {@link CoordinatorBuilder#build()} throws, after closing the new backend client
     */
    public TckClient newClient(String label, Executor blocking) {
        FaultInjectingBackend backend = new FaultInjectingBackend(env.newBackend());
        CoordinatorBuilder builder = Coordinator.builder(backend)
                .sessionTtl(env.sessionTtl())
                .timeSource(env.timeSource())
                .closeBackendOnClose(true);
        if (blocking != null) {
            builder.blockingExecutor(blocking);
        }
        if (env.manualTime()) {
            builder.callbackExecutor(Runnable::run);
        }
        Coordinator coordinator;
        try {
            coordinator = builder.build();
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
        TckClient client = new TckClient(label, coordinator, backend);
        clients.add(client);
        return client;
    }

    /**
     * Returns the clients built so far, in the order they were built.
     *
     * @return a snapshot of the clients
     */
    public List<TckClient> clients() {
        return List.copyOf(clients);
    }

    /**
     * Opens a raw client of the environment, for tests of the SPI itself; {@link #close()} closes it.
     *
     * @return the backend client
     */
    public CoordinationBackend openBackend() {
        CoordinationBackend backend = env.newBackend();
        rawBackends.add(backend);
        return backend;
    }

    /**
     * Starts a daemon thread named {@code tck-<name>} that runs {@code body}; {@link #close()} interrupts and joins it.
     *
     * @param <T> what the body returns
     * @param name the thread's name, after {@code tck-}
     * @param body what the thread runs
     * @return the worker
     */
    public <T> TckWorker<T> startWorker(String name, Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        result.complete(body.call());
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                },
                "tck-" + name);
        thread.setDaemon(true);
        workers.add(thread);
        thread.start();
        return new TckWorker<>(thread, result);
    }

    /**
     * Returns a lock or election name unique within the environment: {@code tck-<what>-<n>}.
     *
     * @param what what the name is for
     * @return the name
     */
    public String name(String what) {
        return "tck-" + what + "-" + names.incrementAndGet();
    }

    /**
     * Stamps the present moment: a sequence number greater than every earlier stamp's and the time source's time.
     *
     * @return the stamp
     */
    public Stamp stamp() {
        long seq = SEQUENCE.incrementAndGet();
        return new Stamp(seq, env.timeSource().nanoTime());
    }

    /**
     * Prints a figure on standard output, as {@code [baton-tck] <label> <what>: <formatted>}.
     *
     * @param what what the figure is about
     * @param format a {@link String#format} pattern
     * @param args its arguments
     */
    public void report(String what, String format, Object... args) {
        System.out.println("[baton-tck] " + label + " " + what + ": " + String.format(Locale.ROOT, format, args));
    }

    /**
     * Writes a string for a message: control characters, DEL and surrogate halves as Java escapes (a backslash, {@code
     * u} and four hex digits), the rest as it is.
     *
     * @param text the string
     * @return the printable form
     * @throws NullPointerException if {@code text} is null
     */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char ch : text.toCharArray()) {
            if (ch < 0x20 || ch == 0x7f || Character.isSurrogate(ch)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Awaits and the passing of time

    /**
     * Starts a wait for a condition that should hold promptly: polls every 2 ms for up to {@link #awaitTimeout()}.
     *
     * @param what what is waited for, for the failure message
     * @return the wait, to be finished with {@code until(...)}
     */
    public ConditionFactory await(String what) {
        return Awaitility.await(what)
                .atMost(awaitTimeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .pollInSameThread();
    }

    /**
     * Waits for a future to complete and returns its value.
     *
     * @param <T> the future's value
     * @param future the future
     * @param what what is waited for, for the failure message
     * @return the value
     * @throws ConditionTimeoutException if the future is not done within {@link #awaitTimeout()}
     * @throws AssertionError if the future failed, with its cause
     * @throws InterruptedException if interrupted while waiting
     */
    public <T> T awaitDone(CompletableFuture<T> future, String what) throws InterruptedException {
        await(what).until(future::isDone);
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed", e.getCause());
        }
    }

    /**
     * Stamps an asynchronous acquisition when it succeeds. Wait on the returned future, never on {@code acquisition}
     * itself, before reading {@code at}: a future reports done before the callbacks that depend on it have run, so a
     * test that waits for {@code acquisition} can read the stamp while it is still null.
     *
     * @param <T> the acquisition's value
     * @param acquisition the acquisition, as {@code acquireAsync} or {@code campaignAsync} returned it
     * @param at where the stamp goes; left as it is if it already holds one, or if the acquisition fails
     * @return a future with the acquisition's outcome, done only once a success is stamped into {@code at}; cancelling
     *     it does not cancel {@code acquisition}
     */
    public <T> CompletableFuture<T> stampOnSuccess(CompletableFuture<T> acquisition, AtomicReference<Stamp> at) {
        return acquisition.whenComplete((value, failure) -> {
            if (failure == null) {
                at.compareAndSet(null, stamp());
            }
        });
    }

    /**
     * Returns what a finished future failed with.
     *
     * @param future the future
     * @return its exception (unwrapped from {@link CompletionException}), the {@link CancellationException} if it was
     *     cancelled, or null if it completed normally
     * @throws AssertionError if the future is not done
     */
    public static Throwable failureOf(CompletableFuture<?> future) {
        if (!future.isDone()) {
            throw new AssertionError("still running: " + future);
        }
        try {
            future.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        }
    }

    /** A condition of a test that may throw. */
    @FunctionalInterface
    public interface Condition {
        /**
         * Tells whether the condition holds.
         *
         * @return whether it holds
         * @throws Exception if it cannot tell; fails the wait
         */
        boolean holds() throws Exception;
    }

    /** A step of a test that may throw. */
    @FunctionalInterface
    public interface Step {
        /**
         * Runs the step.
         *
         * @throws Exception if the step fails; fails the wait
         */
        void run() throws Exception;
    }

    /**
     * Returns the step in which manual time passes: a twentieth of the shorter of the session TTL and the short TTL.
     *
     * @return the step
     */
    public Duration step() {
        Duration shorter = env.sessionTtl().compareTo(env.shortTtl()) < 0 ? env.sessionTtl() : env.shortTtl();
        return shorter.dividedBy(20);
    }

    /**
     * Lets time pass: in {@link #step()}s with manual time (so that renewals run in between), in one sleep otherwise.
     *
     * @param duration how much time passes
     * @throws InterruptedException if interrupted while sleeping
     */
    public void passTime(Duration duration) throws InterruptedException {
        if (!env.manualTime()) {
            env.advance(duration);
            return;
        }
        Duration left = duration;
        while (left.compareTo(Duration.ZERO) > 0) {
            Duration next = left.compareTo(step()) < 0 ? left : step();
            env.advance(next);
            left = left.minus(next);
        }
    }

    /**
     * As {@link #passTimeUntil(Duration, Condition, Step, String)} with nothing run after each step.
     *
     * @param max how much time may pass
     * @param condition what must come to hold
     * @param what what is waited for, for the failure message
     * @throws Exception what the condition throws
     * @throws AssertionError if the condition does not hold in time
     */
    public void passTimeUntil(Duration max, Condition condition, String what) throws Exception {
        passTimeUntil(max, condition, () -> {}, what);
    }

    /**
     * Waits for a condition while time passes: with manual time, advances in {@link #step()}s (running {@code
     * afterStep} after each) until it holds or {@code max} has passed, then gives the test's threads up to {@link
     * #awaitTimeout()} of real time to catch up; with real time, waits up to {@code max} plus {@link #awaitTimeout()}.
     *
     * @param max how much time may pass
     * @param condition what must come to hold
     * @param afterStep what runs after each step of manual time
     * @param what what is waited for, for the failure message
     * @throws Exception what the condition or the step throws
     * @throws AssertionError if the condition does not hold in time (a {@link ConditionTimeoutException} with real time)
     */
    public void passTimeUntil(Duration max, Condition condition, Step afterStep, String what) throws Exception {
        if (!env.manualTime()) {
            await(what).atMost(max.plus(awaitTimeout)).until(condition::holds);
            return;
        }
        long start = env.timeSource().nanoTime();
        while (!condition.holds()) {
            if (env.timeSource().nanoTime() - start > max.toNanos()) {
                // Threads of the test (not the clock) may still be catching up: give them real time to.
                try {
                    await(what).until(condition::holds);
                } catch (ConditionTimeoutException e) {
                    fail(what + ": did not happen within " + max + " of manual time", e);
                }
                return;
            }
            env.advance(step());
            afterStep.run();
        }
    }

    /**
     * Tries to acquire a lock, again and again while time passes, until it succeeds.
     *
     * @param lock the lock
     * @param max how much time may pass
     * @param what what is waited for, for the failure message
     * @return the handle
     * @throws Exception what {@link DistributedLock#tryAcquire()} throws
     * @throws AssertionError if the lock is not acquired in time
     */
    public LockHandle acquireEventually(Acquirable<?> lock, Duration max, String what) throws Exception {
        AtomicReference<LockHandle> acquired = new AtomicReference<>();
        passTimeUntil(
                max,
                () -> {
                    if (acquired.get() == null) {
                        lock.tryAcquire().ifPresent(acquired::set);
                    }
                    return acquired.get() != null;
                },
                what);
        return acquired.get();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Leak checks: what is left on the server

    /**
     * Waits (without letting time pass) until the server holds {@code expected} keys, for example a waiter's entry.
     *
     * @param expected the number of keys
     * @param what what is waited for, for the failure message
     * @throws ConditionTimeoutException if the count is not reached within {@link #awaitTimeout()}
     */
    public void awaitKeyCount(int expected, String what) {
        await(what).untilAsserted(() -> assertThat(env.keysOnServer())
                .as("keys on the server: " + what)
                .hasSize(expected));
    }

    /**
     * Expects the server to hold {@code expected} keys, letting background cleanup run (and up to half a session TTL
     * pass) first. A read of the server may lag behind it; only a count that stays wrong fails.
     *
     * @param expected the number of keys
     * @param when when the check is made, for the failure message
     * @throws Exception what reading the server throws
     * @throws AssertionError if the count is still wrong, with the keys last found
     */
    public void assertKeyCount(int expected, String when) throws Exception {
        AtomicReference<List<String>> last = new AtomicReference<>();
        try {
            passTimeUntil(
                    env.sessionTtl().dividedBy(2),
                    () -> {
                        last.set(env.keysOnServer());
                        return last.get().size() == expected;
                    },
                    "keys on the server " + when);
        } catch (AssertionError | ConditionTimeoutException e) {
            throw new AssertionError(
                    "expected " + expected + " keys on the server " + when + ", found " + last.get(), e);
        }
    }

    /**
     * Expects no key on the server: {@link #assertKeyCount(int, String)} with 0.
     *
     * @param when when the check is made, for the failure message
     * @throws Exception what reading the server throws
     * @throws AssertionError if keys are left, naming them
     */
    public void assertNoKeysLeft(String when) throws Exception {
        assertKeyCount(0, when);
    }

    /**
     * Expects {@code expected} live leases on the server, as {@link #assertKeyCount(int, String)} does for keys; does
     * nothing when the environment cannot count leases.
     *
     * @param expected the number of live leases
     * @param when when the check is made, for the failure message
     * @throws Exception what reading the server throws
     * @throws AssertionError if the count is still wrong, with the environment's description of the leases
     */
    public void assertLiveLeases(int expected, String when) throws Exception {
        if (env.liveLeases().isEmpty()) {
            return;
        }
        AtomicReference<OptionalInt> last = new AtomicReference<>();
        try {
            passTimeUntil(
                    env.sessionTtl().dividedBy(2),
                    () -> {
                        last.set(env.liveLeases());
                        return last.get().getAsInt() == expected;
                    },
                    "live leases " + when);
        } catch (AssertionError | ConditionTimeoutException e) {
            throw new AssertionError(
                    "expected " + expected + " live leases " + when + ", found " + last.get() + env.liveLeaseDetails(),
                    e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // The end of a test

    /**
     * Interrupts every worker, closes every client and raw backend, waits up to {@link #awaitTimeout()} for the
     * workers to end, then closes the environment.
     *
     * @throws Exception the first failure to clean up (a worker still running is an {@link AssertionError} with its
     *     stack trace), with the others suppressed
     */
    public void close() throws Exception {
        List<Throwable> failures = new ArrayList<>();
        for (Thread worker : workers) {
            worker.interrupt();
        }
        for (TckClient client : clients) {
            closeQuietly(client, failures);
        }
        for (CoordinationBackend backend : rawBackends) {
            closeQuietly(backend, failures);
        }
        long deadline = System.nanoTime() + awaitTimeout.toNanos();
        for (Thread worker : workers) {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (worker.isAlive()) {
                AssertionError stuck = new AssertionError(
                        "worker thread " + worker.getName() + " still runs after its coordinator was closed");
                stuck.setStackTrace(worker.getStackTrace());
                failures.add(stuck);
            }
        }
        closeQuietly(env, failures);
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            for (Throwable other : failures.subList(1, failures.size())) {
                first.addSuppressed(other);
            }
            if (first instanceof Exception) {
                throw (Exception) first;
            }
            throw (Error) first;
        }
    }

    private static void closeQuietly(AutoCloseable closeable, List<Throwable> failures) {
        try {
            closeable.close();
        } catch (Throwable e) {
            failures.add(e);
        }
    }
}
