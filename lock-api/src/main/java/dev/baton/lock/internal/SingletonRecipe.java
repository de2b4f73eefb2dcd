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
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.SingletonTask;
import dev.baton.lock.Subscription;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task while elected. The interrupt is delivered by the election's term-end hook, inline on the thread that
 * declared the loss (the session's deadline timer), so the task is interrupted before the server could elect
 * another candidate, without waiting for the callback executor. After each term the runner campaigns again.
 */
final class SingletonRecipe implements SingletonRunner {
    private static final Logger log = LoggerFactory.getLogger(SingletonRecipe.class);

    private final ElectionRecipe election;
    private final SingletonTask task;
    private final Services services;
    private final ExecutorService taskThreads;
    private final Duration recampaignDelay;
    private final AtomicInteger termsStarted = new AtomicInteger();
    private final Object lock = new Object();

    @GuardedBy("lock")
    private boolean closed;

    @GuardedBy("lock")
    private CompletableFuture<Leadership> campaign;

    @GuardedBy("lock")
    private HeldLeadership current;

    @GuardedBy("lock")
    private Thread runningThread;

    @GuardedBy("lock")
    private CompletableFuture<Void> runningDone = CompletableFuture.completedFuture(null);

    SingletonRecipe(
            ElectionRecipe election,
            SingletonTask task,
            Services services,
            ExecutorService taskThreads,
            Duration recampaignDelay) {
        this.election = election;
        this.task = task;
        this.services = services;
        this.taskThreads = taskThreads;
        this.recampaignDelay = recampaignDelay;
        election.onTermEnd(this::termEnded);
    }

    void start() {
        campaignNow();
    }

    private void campaignNow() {
        CompletableFuture<Leadership> f;
        synchronized (lock) {
            if (closed) {
                return;
            }
            try {
                f = election.campaignAsync();
            } catch (IllegalStateException busy) {
                return;
            }
            campaign = f;
        }
        f.whenComplete((term, failure) -> {
            if (failure != null) {
                if (!isClosed()) {
                    log.debug("campaign in '{}' failed, retrying: {}", election.name(), failure.toString());
                    campaignLater();
                }
                return;
            }
            startTerm((HeldLeadership) term);
        });
    }

    private void campaignLater() {
        services.time().schedule(recampaignDelay, () -> services.blocking().execute(this::campaignNow));
    }

    private void startTerm(HeldLeadership term) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                term.close();
                return;
            }
            campaign = null;
            current = term;
            runningDone = done;
        }
        termsStarted.incrementAndGet();
        taskThreads.execute(() -> runTerm(term, done));
    }

    private void runTerm(HeldLeadership term, CompletableFuture<Void> done) {
        synchronized (lock) {
            runningThread = Thread.currentThread();
        }
        try {
            if (term.isValid()) {
                task.run(term);
            }
        } catch (InterruptedException e) {
            log.debug("singleton task of '{}' interrupted", election.name());
        } catch (Exception e) {
            log.warn("singleton task of '{}' failed; resigning and campaigning again", election.name(), e);
        } finally {
            synchronized (lock) {
                runningThread = null;
                if (current == term) {
                    current = null;
                }
            }
            // Clear an interrupt aimed at this term so it cannot leak into the pool thread's next task.
            Thread.interrupted();
            term.close();
            done.complete(null);
            if (!isClosed()) {
                campaignLater();
            }
        }
    }

    private void termEnded(HeldLeadership term, LossReason reason) {
        synchronized (lock) {
            if (current == term && runningThread != null && reason != LossReason.RELEASED) {
                runningThread.interrupt();
            }
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    @Override
    public Optional<Leadership> currentTerm() {
        synchronized (lock) {
            return Optional.ofNullable(current);
        }
    }

    @Override
    public Subscription listen(ElectionListener listener) {
        return election.listen(listener);
    }

    @Override
    public int termsStarted() {
        return termsStarted.get();
    }

    @Override
    public void close() {
        CompletableFuture<Leadership> pending;
        CompletableFuture<Void> done;
        Thread running;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            pending = campaign;
            done = runningDone;
            running = runningThread;
        }
        if (pending != null) {
            pending.cancel(true);
        }
        if (running != null && running != Thread.currentThread()) {
            running.interrupt();
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
    }
}
