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

import java.util.List;
import java.util.Optional;

/**
 * Runs a {@link SingletonTask} only while its candidate leads, interrupts it when leadership is lost, and campaigns
 * again afterwards, until closed. What happens when the task returns or throws is set by {@link SingletonOptions}:
 * by default a task that returns keeps its term, idle, until the term is lost or the runner closed, and a task that
 * throws makes the runner resign and wait (1 s, doubled after each failure in a row, up to 1 min) before campaigning
 * again. {@link #state()}, {@link #termsStarted()}, {@link #failures()} and {@link #recentTermEnds()} tell what it did.
 *
 * <p>Threadsafe. {@link #close()} stops campaigning, interrupts a running task, waits for it to finish, resigns, and
 * is idempotent.
 */
public interface SingletonRunner extends AutoCloseable {
    /** How many term ends {@link #recentTermEnds()} keeps. */
    int RECENT_TERM_ENDS = 16;

    /** What a runner is doing. */
    enum State {
        /** Waiting to be elected. */
        CAMPAIGNING,
        /** Leading, with its task running. */
        RUNNING,
        /** Leading, idle: the task returned and {@link SingletonOptions.WhenTaskReturns#HOLD_LEADERSHIP} holds on. */
        HOLDING,
        /** Waiting before campaigning again, after the task threw. */
        BACKING_OFF,
        /** Stopped campaigning: the task returned under {@link SingletonOptions.WhenTaskReturns#RESIGN}, or resigned. */
        FINISHED,
        /** Closed. */
        CLOSED
    }

    /**
     * Returns the term the runner currently leads in, with its task running or (after the task returned) idle.
     *
     * @return the term, or empty while not leading
     */
    Optional<Leadership> currentTerm();

    /**
     * Returns what the runner is doing now.
     *
     * @return the state
     */
    State state();

    /**
     * Returns how many times this runner has started its task (once per term at most).
     *
     * @return the count
     */
    int termsStarted();

    /**
     * Returns how many of this runner's terms ended because the task threw ({@link SingletonTermEnd.Reason#THREW}).
     *
     * @return the count
     */
    int failures();

    /**
     * Returns how this runner's last terms ended, oldest first: at most {@link #RECENT_TERM_ENDS}, each added when its
     * term ends (a term held idle after its task returned ends later, when lost or closed).
     *
     * @return an unmodifiable snapshot
     */
    List<SingletonTermEnd> recentTermEnds();

    /**
     * Registers a listener told when this runner's candidate is elected and when each of its terms ends, with the
     * reason ({@link LossReason#SESSION_LOST} when the term was lost, {@link LossReason#RELEASED} when the runner
     * resigned it or was closed).
     *
     * @param listener the listener, called on the coordinator's callback executor
     * @return a subscription that removes it
     * @throws NullPointerException if {@code listener} is null
     */
    Subscription listen(ElectionListener listener);

    /** Stops the runner; idempotent. */
    @Override
    void close();
}
