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

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.baton.lock.ElectionListener;
import dev.baton.lock.Leadership;
import dev.baton.lock.LossReason;
import dev.baton.lock.SingletonOptions;
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.SingletonTask;
import dev.baton.lock.SingletonTermEnd;
import dev.baton.lock.Subscription;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task while elected. The interrupt is delivered by the election's term-end hook, inline on the thread that
 * declared the loss (the session's deadline timer), so the task is interrupted before the server could elect
 * another candidate, without waiting for the callback executor. How a term ends decides what follows (see {@link
 * SingletonOptions}): a loss campaigns again at once, a failure after a backoff, a return holds the term idle or
 * resigns for good. Every decision is taken under {@link #lock}, which the hook takes too, so a loss that races the
 * task's return is settled once: whichever of the two takes the lock first sees the other's effect.
 */
final class SingletonRecipe implements SingletonRunner {
    private static final Logger log = LoggerFactory.getLogger(SingletonRecipe.class);

    private final ElectionRecipe election;
    private final SingletonTask task;
    private final SingletonOptions options;
    private final Services services;
    private final ExecutorService taskThreads;
    private final Duration recampaignDelay;
    private final Object lock = new Object();

    @GuardedBy("lock")
    private State state = State.CAMPAIGNING;

    @GuardedBy("lock")
    private CompletableFuture<Leadership> campaign;

    @GuardedBy("lock")
    private TimeSource.Cancellable scheduled;

    @GuardedBy("lock")
    private HeldLeadership current;

    /** How the current term ended, as the election's hook told; null while it is held. */
    @GuardedBy("lock")
    private LossReason currentLoss;

    /** How long the task of a term held idle ran. */
    @GuardedBy("lock")
    private long idleTermTaskNanos;

    @GuardedBy("lock")
    private Thread runningThread;

    @GuardedBy("lock")
    private CompletableFuture<Void> runningDone = CompletableFuture.completedFuture(null);

    @GuardedBy("lock")
    private final ArrayDeque<SingletonTermEnd> recent = new ArrayDeque<>();

    @GuardedBy("lock")
    private final Backoff backoff;

    @GuardedBy("lock")
    private int termsStarted;

    @GuardedBy("lock")
    private int failures;

    @GuardedBy("lock")
    private int failuresInARow;

    SingletonRecipe(
            ElectionRecipe election,
            SingletonTask task,
            SingletonOptions options,
            Services services,
            ExecutorService taskThreads,
            Duration recampaignDelay) {
        this.election = election;
        this.task = task;
        this.options = options;
        this.services = services;
        this.taskThreads = taskThreads;
        this.recampaignDelay = recampaignDelay;
        this.backoff = new Backoff(options.failureBackoff(), options.maxFailureBackoff());
        election.onTermEnd(this::termEnded);
    }

    void start() {
        campaignNow();
    }

    private void campaignNow() {
        CompletableFuture<Leadership> f;
        synchronized (lock) {
            scheduled = null;
            if (state != State.CAMPAIGNING && state != State.BACKING_OFF) {
                return;
            }
            state = State.CAMPAIGNING;
            try {
                f = election.campaignAsync();
            } catch (IllegalStateException busy) {
                // The election was closed (the runner is closing) or still settles the last term: try again later.
                log.debug("singleton '{}' did not campaign: {}", election.name(), busy.getMessage());
                scheduleCampaignLocked(services.time().nanoTime(), recampaignDelay);
                return;
            }
            campaign = f;
        }
        f.whenComplete((term, failure) -> {
            if (failure != null) {
                synchronized (lock) {
                    if (campaign == f) {
                        campaign = null;
                    }
                }
                if (!isClosed()) {
                    log.debug("campaign in '{}' failed, retrying: {}", election.name(), failure.toString());
                    campaignLater(recampaignDelay);
                }
                return;
            }
            startTerm((HeldLeadership) term);
        });
    }

    private void campaignLater(Duration delay) {
        synchronized (lock) {
            if (state != State.CLOSED) {
                scheduleCampaignLocked(services.time().nanoTime(), delay);
            }
        }
    }

    /** Campaigns {@code delay} after {@code fromNanos}: a backoff counts from the failure, not from the resignation. */
    @GuardedBy("lock")
    private void scheduleCampaignLocked(long fromNanos, Duration delay) {
        long left = Math.max(
                0,
                fromNanos + TimeSource.saturatedNanos(delay) - services.time().nanoTime());
        // Only queues the task: no timer runs it on this thread, so this lock is not held while it runs.
        scheduled = services.time()
                .schedule(Duration.ofNanos(left), () -> services.blocking().execute(this::campaignNow));
    }

    private void startTerm(HeldLeadership term) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean closed;
        synchronized (lock) {
            campaign = null;
            closed = state == State.CLOSED;
            if (!closed) {
                current = term;
                currentLoss = null;
                state = State.RUNNING;
                runningDone = done;
            }
        }
        if (closed) {
            term.close();
            return;
        }
        taskThreads.execute(() -> runTerm(term, done));
    }

    private void runTerm(HeldLeadership term, CompletableFuture<Void> done) {
        boolean run;
        synchronized (lock) {
            runningThread = Thread.currentThread();
            run = state != State.CLOSED;
        }
        long started = services.time().nanoTime();
        Throwable failure = null;
        try {
            if (run && term.isValid()) {
                synchronized (lock) {
                    termsStarted++;
                }
                task.run(term);
            } else {
                run = false;
            }
        } catch (Throwable e) { // an Error too: the runner resigns and backs off rather than lose the pool thread
            failure = e;
        }
        long ran = run ? services.time().nanoTime() - started : 0;
        boolean valid = term.isValid();
        TermOutcome outcome;
        synchronized (lock) {
            runningThread = null;
            outcome = decideLocked(term, valid, failure, ran);
        }
        // No interrupt aimed at this term can come after runningThread was cleared: drop one that came before, so
        // that it cannot leak into the pool thread's next task.
        Thread.interrupted();
        if (outcome.end != null) {
            term.close(); // resigns; a term held idle stays
            // The state moves on only now that the term is resigned: a campaign can never find it still held, and
            // whoever sees BACKING_OFF or CAMPAIGNING sees the campaign already scheduled.
            synchronized (lock) {
                if (current == term) {
                    current = null;
                }
                recordLocked(outcome.end);
                if (state != State.CLOSED) {
                    state = outcome.next;
                    if (outcome.campaignAfter != null) {
                        scheduleCampaignLocked(outcome.decidedNanos, outcome.campaignAfter);
                    }
                }
            }
            report(outcome.end);
        }
        done.complete(null);
        if (outcome.end != null && outcome.end.reason() == SingletonTermEnd.Reason.THREW) {
            logFailure(outcome, failure);
        }
    }

    /**
     * What follows a term whose task ended: the record to add (null while the term is held idle), the runner's next
     * state, and when to campaign again, counted from when it was decided.
     */
    private record TermOutcome(
            SingletonTermEnd end, State next, Duration campaignAfter, long decidedNanos, int inARow, int total) {}

    @GuardedBy("lock")
    private TermOutcome decideLocked(HeldLeadership term, boolean valid, Throwable failure, long ranNanos) {
        SingletonTermEnd.Reason reason;
        if (state == State.CLOSED) {
            reason = SingletonTermEnd.Reason.CLOSED;
        } else if (currentLoss == LossReason.RELEASED && current == term) {
            reason = SingletonTermEnd.Reason.RESIGNED;
        } else if (!valid || (currentLoss != null && current == term)) {
            reason = SingletonTermEnd.Reason.LEADERSHIP_LOST;
        } else if (failure != null) {
            reason = SingletonTermEnd.Reason.THREW;
        } else if (options.whenTaskReturns() == SingletonOptions.WhenTaskReturns.HOLD_LEADERSHIP) {
            state = State.HOLDING;
            idleTermTaskNanos = ranNanos;
            failuresInARow = 0;
            backoff.reset();
            return new TermOutcome(null, State.HOLDING, null, 0, 0, failures);
        } else {
            reason = SingletonTermEnd.Reason.RETURNED;
        }
        Duration after = null;
        State next;
        if (reason == SingletonTermEnd.Reason.THREW) {
            failures++;
            if (Duration.ofNanos(ranNanos).compareTo(options.maxFailureBackoff()) >= 0) {
                failuresInARow = 0;
                backoff.reset();
            }
            failuresInARow++;
            after = backoff.next();
            next = State.BACKING_OFF;
        } else {
            failuresInARow = 0;
            backoff.reset();
            if (reason == SingletonTermEnd.Reason.LEADERSHIP_LOST
                    || (reason == SingletonTermEnd.Reason.RETURNED
                            && options.whenTaskReturns()
                                    == SingletonOptions.WhenTaskReturns.RESIGN_AND_CAMPAIGN_AGAIN)) {
                next = State.CAMPAIGNING;
                after = recampaignDelay;
            } else {
                next = reason == SingletonTermEnd.Reason.CLOSED ? State.CLOSED : State.FINISHED;
            }
        }
        String what = reason == SingletonTermEnd.Reason.THREW ? failure.toString() : "";
        SingletonTermEnd end = new SingletonTermEnd(term.fencingToken(), reason, Duration.ofNanos(ranNanos), what);
        return new TermOutcome(end, next, after, services.time().nanoTime(), failuresInARow, failures);
    }

    @GuardedBy("lock")
    private void recordLocked(SingletonTermEnd end) {
        if (recent.size() == RECENT_TERM_ENDS) {
            recent.removeFirst();
        }
        recent.addLast(end);
    }

    private void report(SingletonTermEnd end) {
        services.observation().singletonTermEnded(election.name(), end.reason(), end.taskRan());
    }

    private void logFailure(TermOutcome outcome, Throwable failure) {
        if (outcome.inARow == 1) {
            log.warn(
                    "singleton task of '{}' (candidate '{}') threw; resigned, campaigning again in {}",
                    election.name(),
                    election.candidateId(),
                    outcome.campaignAfter,
                    failure);
        } else {
            log.warn(
                    "singleton task of '{}' (candidate '{}') threw again, {} times in a row ({} in all): {}; resigned,"
                            + " campaigning again in {} (the first failure's stack trace was logged; each one's is"
                            + " at DEBUG)",
                    election.name(),
                    election.candidateId(),
                    outcome.inARow,
                    outcome.total,
                    failure.toString(),
                    outcome.campaignAfter);
            log.debug("singleton task of '{}' failure {} in a row", election.name(), outcome.inARow, failure);
        }
    }

    /** The election's hook: inline on the thread that ended the term, before listeners are told. */
    private void termEnded(HeldLeadership term, LossReason reason) {
        SingletonTermEnd end = null;
        synchronized (lock) {
            if (current != term) {
                return;
            }
            currentLoss = reason;
            if (runningThread != null && reason != LossReason.RELEASED) {
                runningThread.interrupt();
            }
            if (state == State.HOLDING) {
                current = null;
                boolean resigned = reason == LossReason.RELEASED;
                state = resigned ? State.FINISHED : State.CAMPAIGNING;
                end = new SingletonTermEnd(
                        term.fencingToken(),
                        resigned ? SingletonTermEnd.Reason.RESIGNED : SingletonTermEnd.Reason.LEADERSHIP_LOST,
                        Duration.ofNanos(idleTermTaskNanos),
                        "");
                recordLocked(end);
                if (!resigned) {
                    // The election forgot the term before calling this hook: the campaign cannot find it held.
                    scheduleCampaignLocked(services.time().nanoTime(), recampaignDelay);
                }
            }
        }
        if (end != null) {
            report(end);
            if (end.reason() == SingletonTermEnd.Reason.LEADERSHIP_LOST) {
                // The hook may run on the deadline timer: leave the clean-up of the lost term to a blocking thread.
                services.blocking().execute(term::close);
            }
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return state == State.CLOSED;
        }
    }

    @Override
    public Optional<Leadership> currentTerm() {
        synchronized (lock) {
            return Optional.ofNullable(current);
        }
    }

    @Override
    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public int termsStarted() {
        synchronized (lock) {
            return termsStarted;
        }
    }

    @Override
    public int failures() {
        synchronized (lock) {
            return failures;
        }
    }

    @Override
    public List<SingletonTermEnd> recentTermEnds() {
        synchronized (lock) {
            return List.copyOf(recent);
        }
    }

    @Override
    public Subscription listen(ElectionListener listener) {
        return election.listen(listener);
    }

    @Override
    public void close() {
        CompletableFuture<Leadership> pending;
        TimeSource.Cancellable timer;
        CompletableFuture<Void> done;
        boolean waitForTask;
        Thread running;
        SingletonTermEnd idleEnd = null;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            State was = state;
            state = State.CLOSED;
            pending = campaign;
            timer = scheduled;
            done = runningDone;
            running = runningThread;
            // A term whose task is about to start (runTerm not yet on its thread) is waited for too: it sees CLOSED.
            waitForTask = was == State.RUNNING && running != Thread.currentThread();
            // Interrupted under the lock: runTerm clears runningThread under it before its pool thread moves on.
            if (running != null && running != Thread.currentThread()) {
                running.interrupt();
            }
            if (was == State.HOLDING && current != null) {
                idleEnd = new SingletonTermEnd(
                        current.fencingToken(),
                        SingletonTermEnd.Reason.CLOSED,
                        Duration.ofNanos(idleTermTaskNanos),
                        "");
                recordLocked(idleEnd);
                current = null;
            }
        }
        if (timer != null) {
            timer.cancel();
        }
        if (pending != null) {
            pending.cancel(true);
        }
        if (waitForTask) {
            try {
                done.get(services.keeper().ttl().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException e) {
                log.warn("singleton task of '{}' ignored its interrupt; leaving it running", election.name());
            } catch (Exception e) {
                log.debug("singleton task of '{}' ended with {}", election.name(), e.toString());
            }
        }
        election.close();
        if (idleEnd != null) {
            report(idleEnd);
        }
    }

    @Override
    public String toString() {
        return "SingletonRunner{election=" + election.name() + ", candidate=" + election.candidateId() + "}";
    }
}
