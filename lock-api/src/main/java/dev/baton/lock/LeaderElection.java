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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One candidate in a named election. Candidates are served in the order they campaigned; the leader is the oldest
 * live campaign, and its fencing token grows with every term. A leader that cannot renew its session is told so
 * (its {@link Leadership} turns invalid and listeners are called) before the server could elect another.
 *
 * <p>Threadsafe. {@link #close()} resigns, stops observers, and is idempotent.
 */
public interface LeaderElection extends AutoCloseable {
    /**
     * Returns the election's name.
     *
     * @return the name
     */
    String name();

    /**
     * Returns this candidate's id.
     *
     * @return the id
     */
    String candidateId();

    /**
     * Campaigns and waits until elected.
     *
     * @return the term
     * @throws InterruptedException if interrupted; the campaign is withdrawn
     * @throws IllegalStateException if this candidate already leads or campaigns, or the election is closed
     * @throws LockLostException if the session was lost while waiting
     * @throws BackendUnavailableException if the server could not be reached
     */
    Leadership campaign() throws InterruptedException;

    /**
     * Campaigns and waits at most {@code timeout}.
     *
     * @param timeout how long to wait
     * @return the term
     * @throws LockAcquisitionTimeoutException if not elected in time; the campaign is withdrawn
     * @throws InterruptedException if interrupted; the campaign is withdrawn
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if this candidate already leads or campaigns, or the election is closed
     * @throws LockLostException if the session was lost while waiting
     * @throws BackendUnavailableException if the server could not be reached
     */
    Leadership campaign(Duration timeout) throws InterruptedException;

    /**
     * Campaigns without blocking. Cancelling the future withdraws the campaign.
     *
     * @return a future completed with the term, or exceptionally as {@link #campaign()} throws
     * @throws IllegalStateException if this candidate already leads or campaigns, or the election is closed
     */
    CompletableFuture<Leadership> campaignAsync();

    /**
     * Reads the current leader from the server.
     *
     * @return the leader, or empty when nobody leads
     * @throws BackendUnavailableException if the server could not be reached
     * @throws IllegalStateException if the election is closed
     */
    Optional<LeaderInfo> leader();

    /**
     * Reads the election's candidates from the server, in the order they campaigned: the leader first, then those
     * waiting, each next in line before the ones behind it (Curator's {@code LeaderLatch.getParticipants()}). A
     * candidate that resigned, withdrew its campaign or was closed is not listed; one whose session was lost stays
     * listed until the server ends the session. Needs no campaign: any {@code LeaderElection} of the name can ask.
     *
     * @return an unmodifiable list, empty when nobody campaigns; its first element, if any, is the leader that
     *     {@link #leader()} would report
     * @throws BackendUnavailableException if the server could not be reached
     * @throws IllegalStateException if the election or its coordinator is closed
     */
    List<Participant> participants();

    /**
     * Registers an observer of leader changes; it is first called with the current leader.
     *
     * @param observer the observer
     * @return a subscription that stops the observer
     * @throws NullPointerException if {@code observer} is null
     * @throws BackendUnavailableException if the server could not be reached
     * @throws IllegalStateException if the election is closed
     */
    Subscription observe(LeaderObserver observer);

    /**
     * Registers a listener told when this candidate is elected and when each of its terms ends.
     *
     * @param listener the listener
     * @return a subscription that removes the listener
     * @throws NullPointerException if {@code listener} is null
     */
    Subscription listen(ElectionListener listener);

    /**
     * Resigns the current term, if any, and withdraws a campaign in progress. Does nothing when not campaigning.
     */
    void resign();

    /** Resigns and stops observers; idempotent. */
    @Override
    void close();
}
