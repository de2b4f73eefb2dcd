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
import dev.baton.lock.LeaderElection;
import dev.baton.lock.LeaderInfo;
import dev.baton.lock.LeaderObserver;
import dev.baton.lock.Leadership;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossReason;
import dev.baton.lock.Participant;
import dev.baton.lock.Subscription;
import dev.baton.lock.spi.Entry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The election: the same FIFO queue as the mutex, under the election's own prefix. The leader is the oldest live
 * campaign; its entry's value carries the candidate id and the proclaimed value, so observers read both in one
 * listing. A term is session-bound, so a leader that cannot renew is told before the server could elect another.
 */
final class ElectionRecipe implements LeaderElection {
    private final DefaultCoordinator coordinator;
    private final Services services;
    private final String name;
    private final String candidateId;
    private final String prefix;
    private final CopyOnWriteArrayList<ElectionListener> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<BiConsumer<HeldLeadership, LossReason>> termEndHooks =
            new CopyOnWriteArrayList<>();
    private final Set<Subscription> observers = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();

    @GuardedBy("lock")
    private QueueAttempt campaigning;

    @GuardedBy("lock")
    private HeldLeadership term;

    /** A key of this candidate's that a resignation certainly deleted: its next campaign creates it again. */
    private final AtomicReference<String> freedKey = new AtomicReference<>();

    @GuardedBy("lock")
    private boolean closed;

    ElectionRecipe(DefaultCoordinator coordinator, Services services, String name, String candidateId) {
        this.coordinator = coordinator;
        this.services = services;
        this.name = name;
        this.candidateId = candidateId;
        this.prefix = LockNames.electionPrefix(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String candidateId() {
        return candidateId;
    }

    /** Runs inline, on the thread that ended a term, before listeners are told: the singleton's interrupt. */
    void onTermEnd(BiConsumer<HeldLeadership, LossReason> hook) {
        termEndHooks.add(hook);
    }

    @Override
    public Leadership campaign() throws InterruptedException {
        return campaignBlocking(-1).orElseThrow();
    }

    @Override
    public Leadership campaign(Duration timeout) throws InterruptedException {
        long nanos = Waits.timeoutNanos(timeout);
        return campaignBlocking(nanos).orElseThrow(() -> new LockAcquisitionTimeoutException(name, timeout));
    }

    private Optional<Leadership> campaignBlocking(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before campaigning in '" + name + "'");
        }
        SessionKeeper.Session session = sessionFor();
        QueueAttempt attempt = begin(session);
        attempt.start();
        Optional<Entry> won = Optional.empty();
        try {
            won = Waits.await(attempt, timeoutNanos);
        } finally {
            // Timed out, interrupted or failed: the candidate is free to campaign again. A win is settled by toTerm.
            if (won.isEmpty()) {
                finish(attempt);
            }
        }
        if (won.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(toTerm(session, attempt, won.get()));
    }

    @Override
    public CompletableFuture<Leadership> campaignAsync() {
        coordinator.ensureOpen();
        synchronized (lock) {
            requireIdleLocked();
        }
        return Waits.<Leadership>async(services, this::sessionFor, this::begin, this::toTerm, this::finish);
    }

    private SessionKeeper.Session sessionFor() {
        return coordinator.sessionFor(name);
    }

    private QueueAttempt begin(SessionKeeper.Session session) {
        synchronized (lock) {
            requireIdleLocked();
            byte[] value = new EntryValue(candidateId, "").encode();
            QueueAttempt a = new QueueAttempt(
                    services,
                    name,
                    prefix,
                    freedKey.getAndSet(null),
                    value,
                    false,
                    session,
                    QueuePolicy.EXCLUSIVE,
                    null);
            campaigning = a;
            return a;
        }
    }

    @GuardedBy("lock")
    private void requireIdleLocked() {
        if (closed) {
            throw new IllegalStateException("election '" + name + "' of candidate '" + candidateId + "' is closed");
        }
        if (campaigning != null || (term != null && term.isValid())) {
            throw new IllegalStateException("candidate '" + candidateId + "' already "
                    + (campaigning != null ? "campaigns" : "leads") + " in election '" + name
                    + "'; resign() first, or use another LeaderElection for another candidate");
        }
    }

    private void finish(QueueAttempt attempt) {
        synchronized (lock) {
            if (campaigning == attempt) {
                campaigning = null;
            }
        }
    }

    private Leadership toTerm(SessionKeeper.Session session, QueueAttempt attempt, Entry won) {
        HeldSessionLock held = new HeldSessionLock(services, name, won, session, this::termEnded);
        held.onKeyFreed(freedKey::set);
        HeldLeadership t = new HeldLeadership(name, candidateId, held);
        boolean resigned;
        synchronized (lock) {
            resigned = campaigning != attempt;
            if (!resigned) {
                campaigning = null;
                term = t;
            }
        }
        if (resigned) {
            attempt.withdraw();
            throw new LockLostException(
                    name,
                    LossReason.RELEASED,
                    "candidate '" + candidateId + "' resigned from '" + name + "' while being elected",
                    null);
        }
        coordinator.track(held);
        services.observation().elected(name);
        for (ElectionListener l : listeners) {
            services.callbacks().execute(() -> l.onElected(t));
        }
        boolean active = held.activate();
        coordinator.refuseIfClosedDuringAcquire(held, "candidate '" + candidateId + "' was elected in '" + name + "'");
        if (!active) {
            throw new LockLostException(
                    name,
                    LossReason.SESSION_LOST,
                    "the session was lost as candidate '" + candidateId + "' was elected in '" + name + "'",
                    null);
        }
        return t;
    }

    private void termEnded(HeldLock held, LossReason reason) {
        HeldLeadership ended;
        synchronized (lock) {
            if (term == null || term.held() != held) {
                return;
            }
            ended = term;
            term = null;
        }
        coordinator.untrack(held);
        services.observation().leadershipEnded(name, reason, held.acquiredNanos);
        for (BiConsumer<HeldLeadership, LossReason> hook : termEndHooks) {
            hook.accept(ended, reason);
        }
        for (ElectionListener l : listeners) {
            services.callbacks().execute(() -> l.onRevoked(ended, reason));
        }
    }

    @Override
    public Optional<LeaderInfo> leader() {
        return coordinator.leader(name);
    }

    @Override
    public List<Participant> participants() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("election '" + name + "' of candidate '" + candidateId + "' is closed");
            }
        }
        coordinator.ensureOpen();
        try {
            return LeaderWatch.participantsOf(services.backend().list(prefix));
        } catch (RuntimeException e) {
            throw Failures.translate(name, e);
        }
    }

    @Override
    public Subscription observe(LeaderObserver observer) {
        Objects.requireNonNull(observer, "observer must not be null");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("election '" + name + "' is closed");
            }
        }
        Subscription s = coordinator.observe(name, observer);
        observers.add(s);
        return () -> {
            observers.remove(s);
            s.close();
        };
    }

    @Override
    public Subscription listen(ElectionListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void resign() {
        QueueAttempt a;
        HeldLeadership t;
        synchronized (lock) {
            a = campaigning;
            t = term;
            campaigning = null;
        }
        if (a != null && a.abandon()) {
            a.withdraw();
        }
        if (t != null) {
            t.close();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        resign();
        for (Subscription s : observers) {
            s.close();
        }
        observers.clear();
        coordinator.forget(this);
    }

    @Override
    public String toString() {
        return "LeaderElection{name=" + name + ", candidate=" + candidateId + "}";
    }
}
