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

import dev.baton.lock.Leadership;
import java.util.concurrent.CountDownLatch;
import org.springframework.integration.leader.Context;

/**
 * The {@link Context} of one term of a {@link BatonLeaderInitiator}: what {@link
 * org.springframework.integration.leader.event.OnGrantedEvent} and {@link
 * org.springframework.integration.leader.event.OnRevokedEvent} carry. Besides Spring's {@link #isLeader()} and {@link
 * #yield()}, it gives the term's {@link #fencingToken()}: a listener reads it as
 *
 * <pre>{@code
 * @EventListener
 * void granted(OnGrantedEvent event) {
 *     long token = ((BatonLeaderContext) event.getContext()).fencingToken();
 * }
 * }</pre>
 *
 * <p>Threadsafe.
 */
public final class BatonLeaderContext implements Context {
    private final Leadership term;
    private final CountDownLatch ended = new CountDownLatch(1);

    BatonLeaderContext(Leadership term) {
        this.term = term;
    }

    /**
     * Tells whether this term still leads, judged locally: false once it was lost (a safety margin before the
     * server could elect another candidate), yielded, or its initiator stopped.
     *
     * @return whether still leader
     */
    @Override
    public boolean isLeader() {
        return ended.getCount() > 0 && term.isValid();
    }

    /**
     * Gives up this term: the candidate is revoked and campaigns again behind the candidates already waiting.
     * Does nothing once the term ended.
     */
    @Override
    public void yield() {
        ended.countDown();
    }

    /**
     * Returns the election's name.
     *
     * @return the role
     */
    @Override
    public String getRole() {
        return term.electionName();
    }

    /**
     * Returns this term's fencing token: greater than that of every earlier term of the election. Pass it to what
     * the leader writes, so that a store rejects a late write of an earlier leader. Stays readable after the term
     * ended.
     *
     * @return the token
     */
    public long fencingToken() {
        return term.fencingToken();
    }

    /**
     * Returns the Baton term itself (to {@link Leadership#proclaim(String) proclaim} a value to observers).
     *
     * @return the term
     */
    public Leadership leadership() {
        return term;
    }

    /** Waits until the term is yielded or the thread is interrupted (the runner does so when it is lost). */
    void awaitEnd() throws InterruptedException {
        ended.await();
    }

    /** Marks the term ended, whatever ended it. */
    void end() {
        ended.countDown();
    }

    @Override
    public String toString() {
        return "BatonLeaderContext{role=" + getRole() + ", candidate=" + term.candidateId() + ", token="
                + fencingToken() + ", leader=" + isLeader() + "}";
    }
}
