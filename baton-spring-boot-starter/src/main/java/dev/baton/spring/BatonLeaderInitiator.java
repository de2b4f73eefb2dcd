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
package dev.baton.spring;

import dev.baton.lock.Coordinator;
import dev.baton.lock.Leadership;
import dev.baton.lock.SingletonRunner;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.event.DefaultLeaderEventPublisher;
import org.springframework.integration.leader.event.LeaderEventPublisher;

/**
 * An elected singleton in the manner of Spring Integration's {@code LeaderInitiator}s: while started ({@link
 * SmartLifecycle}), its {@link Candidate} campaigns in a Baton election named by the candidate's role; when elected
 * it calls {@link Candidate#onGranted} and publishes an {@link
 * org.springframework.integration.leader.event.OnGrantedEvent}, and when the term ends (leadership lost, {@link
 * BatonLeaderContext#yield() yielded}, or the initiator stopped) it calls {@link Candidate#onRevoked} and publishes
 * an {@link org.springframework.integration.leader.event.OnRevokedEvent}, then campaigns again unless stopped. Both
 * events carry a {@link BatonLeaderContext}, which gives the term's fencing token; {@link #currentFencingToken()}
 * gives it too.
 *
 * <p>A lost term is revoked a safety margin before the server could elect another candidate (Baton's early loss),
 * not at a polling interval as with a {@code LockRegistryLeaderInitiator}. Built on {@link Coordinator#singleton}:
 * the candidate's callbacks and the events run on the term's own thread; {@code onGranted} should return promptly.
 *
 * <p>Threadsafe.
 */
public final class BatonLeaderInitiator implements SmartLifecycle, ApplicationEventPublisherAware {
    /** The default phase: late start, early stop, as Spring Integration's initiators. */
    public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 1000;

    private static final Logger log = LoggerFactory.getLogger(BatonLeaderInitiator.class);

    private final Coordinator coordinator;
    private final Candidate candidate;
    private final Object lifecycle = new Object();
    private volatile LeaderEventPublisher publisher;
    private volatile BatonLeaderContext current;
    private volatile boolean autoStartup = true;
    private volatile int phase = DEFAULT_PHASE;
    // Guarded by lifecycle.
    private SingletonRunner runner;

    /**
     * Creates an initiator for {@code candidate} (its role is the election's name, its id the candidate id) over
     * {@code coordinator}, which stays the caller's to close.
     *
     * @param coordinator the coordinator
     * @param candidate the candidate
     * @throws NullPointerException if either is null
     */
    public BatonLeaderInitiator(Coordinator coordinator, Candidate candidate) {
        this.coordinator = Objects.requireNonNull(coordinator, "coordinator must not be null");
        this.candidate = Objects.requireNonNull(candidate, "candidate must not be null");
    }

    /**
     * Sets where the events go; by default, the application context's event publisher.
     *
     * @param publisher the publisher
     */
    public void setLeaderEventPublisher(LeaderEventPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * Publishes the events to the application context, unless a {@link LeaderEventPublisher} was set.
     *
     * @param applicationEventPublisher the context's publisher
     */
    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
        if (publisher == null) {
            publisher = new DefaultLeaderEventPublisher(applicationEventPublisher);
        }
    }

    /**
     * Sets whether {@link #start()} is called when the context starts (default true).
     *
     * @param autoStartup whether to start with the context
     */
    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    /**
     * Sets the lifecycle phase (default {@link #DEFAULT_PHASE}).
     *
     * @param phase the phase
     */
    public void setPhase(int phase) {
        this.phase = phase;
    }

    /**
     * Starts campaigning; does nothing when started.
     *
     * @throws IllegalStateException if the coordinator is closed
     */
    @Override
    public void start() {
        synchronized (lifecycle) {
            if (runner == null) {
                runner = coordinator.singleton(candidate.getRole(), candidate.getId(), this::lead);
            }
        }
    }

    /**
     * Stops campaigning, revokes the current term (waiting for its callbacks and events) and resigns; does nothing
     * when stopped.
     */
    @Override
    public void stop() {
        SingletonRunner stopping;
        synchronized (lifecycle) {
            stopping = runner;
            runner = null;
        }
        if (stopping != null) {
            stopping.close();
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (lifecycle) {
            return runner != null;
        }
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return phase;
    }

    /**
     * Returns the context of the current term.
     *
     * @return the context, or empty while not leading
     */
    public Optional<BatonLeaderContext> getContext() {
        return Optional.ofNullable(current).filter(BatonLeaderContext::isLeader);
    }

    /**
     * Returns the fencing token of the current term.
     *
     * @return the token, or empty while not leading
     */
    public OptionalLong currentFencingToken() {
        return getContext().map(c -> OptionalLong.of(c.fencingToken())).orElse(OptionalLong.empty());
    }

    /**
     * Returns the candidate.
     *
     * @return the candidate
     */
    public Candidate getCandidate() {
        return candidate;
    }

    /** One term, on the runner's thread: granted, then wait until it ends, then revoked. */
    private void lead(Leadership term) {
        BatonLeaderContext context = new BatonLeaderContext(term);
        current = context;
        boolean interrupted = false;
        try {
            candidate.onGranted(context);
            publish(p -> p.publishOnGranted(this, context, candidate.getRole()));
            context.awaitEnd();
        } catch (InterruptedException e) {
            // Leadership was lost or the initiator stopped. The flag is restored only after the revocation, so that
            // the candidate and the listeners run without it.
            interrupted = true;
        } finally {
            context.end();
            current = null;
            try {
                candidate.onRevoked(context);
            } finally {
                publish(p -> p.publishOnRevoked(this, context, candidate.getRole()));
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void publish(Consumer<LeaderEventPublisher> event) {
        LeaderEventPublisher p = publisher;
        if (p != null) {
            try {
                event.accept(p);
            } catch (RuntimeException e) {
                log.warn("a listener of the leadership events of '{}' threw", candidate.getRole(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "BatonLeaderInitiator{role=" + candidate.getRole() + ", candidate=" + candidate.getId() + ", running="
                + isRunning() + "}";
    }
}
