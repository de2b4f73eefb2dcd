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
package dev.baton.lock;

import java.time.Duration;

/**
 * Told of what a {@link Coordinator}'s locks, session and elections do, for metrics (the {@code baton-micrometer}
 * module implements it over a Micrometer registry) or for a log of one's own. Set with {@link
 * CoordinatorBuilder#observer(CoordinatorObserver)}; a coordinator without one records nothing and costs nothing.
 *
 * <p>Every method has an empty default body: implement those you need.
 *
 * <p><b>Threads and order.</b> The coordinator calls its observer on one thread of its own, never on a client
 * library's I/O thread nor on the thread that acquires or renews, in the order the events happened; so an
 * implementation needs no synchronisation of its own against this coordinator, but must be threadsafe if it observes
 * several coordinators. Events are queued to that thread and the recipes never wait for it: an observer that is slow
 * delays only its own events, and while it is so far behind that its queue is full, further events are dropped (and
 * a warning is logged once). An event is therefore reported shortly after it happened, not at the instant.
 *
 * <p><b>Failures.</b> An exception an observer throws never reaches a lock, a session or an election: it is logged at
 * WARN (once per coordinator) and the event is dropped.
 *
 * <p><b>Names.</b> Lock and election names are passed as the user gave them. They can be unbounded (one per order, per
 * tenant...): an implementation that turns them into metric tags must bound them.
 *
 * <p>Durations are measured on the coordinator's clock ({@link CoordinatorBuilder#timeSource}), monotonic.
 */
public interface CoordinatorObserver {
    /**
     * A lock, TTL lock or lease was acquired: an attempt ({@link Acquirable#acquire()}, {@code tryAcquire} or {@code
     * acquireAsync}) came first in the lock's queue and made its handle. If the session was lost or the coordinator
     * closed at that very instant, the attempt throws instead of handing the handle out, and {@link #lockEnded}
     * follows with that loss; so every reported acquisition is followed by exactly one {@code lockEnded}. Election
     * terms are reported by {@link #elected} instead.
     *
     * @param lockName the lock's name
     * @param waited from the start of the attempt (its entry in the lock's queue) until it was first in the queue
     *     and the handle was valid
     */
    default void lockAcquired(String lockName, Duration waited) {}

    /**
     * An attempt to acquire gave up because its timeout passed ({@code acquire(Duration)} threw {@link
     * LockAcquisitionTimeoutException}, or {@code tryAcquire} returned empty). {@code tryAcquire()} without a
     * timeout counts as an attempt with a zero timeout that found the lock taken. Attempts that failed otherwise
     * (interrupted, cancelled, session lost, server unreachable) are not reported.
     *
     * @param lockName the lock's name
     * @param waited how long the attempt waited
     */
    default void lockTimedOut(String lockName, Duration waited) {}

    /**
     * A handle of a lock, TTL lock or lease ended: released by its holder ({@code reason} {@link LossReason#RELEASED})
     * or lost (any other reason, reported as the handle's loss listeners are told). Called once per handle.
     *
     * @param lockName the lock's name
     * @param reason {@link LossReason#RELEASED}, or why the handle was lost
     * @param held from the acquisition until the release or the loss
     */
    default void lockEnded(String lockName, LossReason reason, Duration held) {}

    /**
     * The session changed state, as {@link Coordinator#onSessionStateChange} listeners are told; also called once
     * with {@code previous} null when the coordinator opens its first session, so that an observer knows the state
     * from the start.
     *
     * @param previous the state before, or null for the first session of the coordinator
     * @param current the state now
     */
    default void sessionStateChanged(SessionState previous, SessionState current) {}

    /**
     * A renewal of the session's lease was acknowledged by the server.
     *
     * @param latency from sending the renewal until its answer
     */
    default void sessionRenewed(Duration latency) {}

    /**
     * A candidate of this coordinator was elected: its campaign ({@link LeaderElection#campaign()}, {@code
     * campaignAsync}, or a singleton's) came first in the election's queue. As with {@link #lockAcquired}, a term lost
     * at that very instant is followed by {@link #leadershipEnded} with the loss.
     *
     * @param electionName the election's name
     */
    default void elected(String electionName) {}

    /**
     * A term of a candidate of this coordinator ended: it resigned ({@code reason} {@link LossReason#RELEASED}) or lost
     * its leadership (any other reason). Called once per term.
     *
     * @param electionName the election's name
     * @param reason {@link LossReason#RELEASED} if the leader resigned, or why leadership was lost
     * @param held how long the term lasted
     */
    default void leadershipEnded(String electionName, LossReason reason, Duration held) {}

    /**
     * A term of a {@link SingletonRunner} of this coordinator ended: reported as it is added to {@link
     * SingletonRunner#recentTermEnds()}, once per term, besides the term's {@link #leadershipEnded}. Count {@link
     * SingletonTermEnd.Reason#THREW} for the singleton tasks that failed.
     *
     * @param electionName the singleton's election name
     * @param reason why the term ended
     * @param taskRan how long the task ran in the term
     */
    default void singletonTermEnded(String electionName, SingletonTermEnd.Reason reason, Duration taskRan) {}
}
