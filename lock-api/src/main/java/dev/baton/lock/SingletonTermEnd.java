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
import java.util.Objects;

/**
 * How one term of a {@link SingletonRunner} ended: see {@link SingletonRunner#recentTermEnds()}.
 *
 * <p>Immutable and threadsafe.
 *
 * @param fencingToken the term's fencing token
 * @param reason why the term ended
 * @param taskRan how long the task ran in the term, on the coordinator's clock (zero if the term was lost before
 *     the task started; shorter than the term when the task returned and the term was then held idle)
 * @param failure what the task threw ({@link Throwable#toString()}) when {@code reason} is {@link Reason#THREW},
 *     otherwise the empty string
 */
public record SingletonTermEnd(long fencingToken, Reason reason, Duration taskRan, String failure) {
    /** Why a singleton runner's term ended. */
    public enum Reason {
        /**
         * The task returned and the runner resigned, as {@link SingletonOptions.WhenTaskReturns#RESIGN} (then it stops)
         * or {@link SingletonOptions.WhenTaskReturns#RESIGN_AND_CAMPAIGN_AGAIN} (then it campaigns again) asks.
         */
        RETURNED,
        /** The task threw while its term was held: the runner resigned and waits before campaigning again. */
        THREW,
        /**
         * The term was lost (the session was lost or its entry removed): the task, if it was still running, was
         * interrupted, and the runner campaigns again. A task that throws after its term was lost ends the term
         * this way, not as {@link #THREW}.
         */
        LEADERSHIP_LOST,
        /**
         * The task closed its {@link Leadership}: the term was resigned from inside, and the runner stops
         * campaigning, as after {@link #RETURNED}.
         */
        RESIGNED,
        /** The runner (or its coordinator) was closed: the task, if it was still running, was interrupted. */
        CLOSED
    }

    /**
     * Creates a record.
     *
     * @param fencingToken the term's fencing token
     * @param reason why the term ended
     * @param taskRan how long the task ran in the term
     * @param failure what the task threw, or the empty string
     * @throws NullPointerException if an argument is null
     */
    public SingletonTermEnd {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(taskRan, "taskRan");
        Objects.requireNonNull(failure, "failure");
    }
}
