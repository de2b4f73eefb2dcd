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
 * How a {@link SingletonRunner} from {@link Coordinator#singleton(String, String, SingletonOptions, SingletonTask)}
 * treats a task that returns and a task that throws.
 *
 * <table>
 *   <caption>What the runner does when a term's task ends</caption>
 *   <tr><th>the task</th><th>the runner</th></tr>
 *   <tr><td>returns (default {@link WhenTaskReturns#HOLD_LEADERSHIP})</td>
 *       <td>keeps the term, idle, until it is lost or the runner is closed; after a loss it campaigns again and
 *       runs the task in its next term</td></tr>
 *   <tr><td>returns ({@link WhenTaskReturns#RESIGN})</td><td>resigns and stops campaigning</td></tr>
 *   <tr><td>returns ({@link WhenTaskReturns#RESIGN_AND_CAMPAIGN_AGAIN})</td><td>resigns and campaigns again, a
 *       tenth of the session TTL later</td></tr>
 *   <tr><td>throws</td><td>resigns, then waits {@link #failureBackoff()} (doubled after each failure in a row, up
 *       to {@link #maxFailureBackoff()}) before campaigning again</td></tr>
 *   <tr><td>is interrupted because leadership was lost</td><td>campaigns again at once</td></tr>
 * </table>
 *
 * <p>Immutable and threadsafe; checked when built. Build with {@link #builder()}.
 */
public final class SingletonOptions {
    /** The first wait after a task threw, unless set. */
    public static final Duration DEFAULT_FAILURE_BACKOFF = Duration.ofSeconds(1);

    /** The longest wait after tasks that threw, unless set. */
    public static final Duration DEFAULT_MAX_FAILURE_BACKOFF = Duration.ofMinutes(1);

    private static final SingletonOptions DEFAULTS = builder().build();

    private final WhenTaskReturns whenTaskReturns;
    private final Duration failureBackoff;
    private final Duration maxFailureBackoff;

    /** What the runner does with a term whose task returned while the term was still held. */
    public enum WhenTaskReturns {
        /**
         * Keeps the term, idle, until leadership is lost or the runner is closed: the default. A task that starts
         * work and returns ("start my scheduler") leaves that work running; resigning would let another process be
         * elected and start a second copy while the first still runs, which is what a singleton exists to prevent.
         * Stop the work from an {@link ElectionListener#onRevoked} listener ({@link SingletonRunner#listen}). If the
         * idle term is lost, the runner campaigns again and runs the task once more in its next term.
         */
        HOLD_LEADERSHIP,

        /**
         * Resigns and stops campaigning: for a task that has done its work and hands over (another candidate is
         * elected and runs its own task). The runner stays in {@link SingletonRunner.State#FINISHED} until closed.
         */
        RESIGN,

        /**
         * Resigns and campaigns again, a tenth of the session TTL later (Curator's {@code LeaderSelector} with {@code
         * autoRequeue()}): for work that should rotate among the candidates, one term each. The task runs again in
         * this runner's next term, after the candidates already waiting have had theirs; alone, it is re-elected at
         * once, so its task runs again every tenth of the session TTL.
         */
        RESIGN_AND_CAMPAIGN_AGAIN
    }

    private SingletonOptions(Builder b) {
        this.whenTaskReturns = b.whenTaskReturns;
        this.failureBackoff = b.failureBackoff;
        this.maxFailureBackoff = b.maxFailureBackoff;
        if (failureBackoff.compareTo(maxFailureBackoff) > 0) {
            throw new IllegalArgumentException("failureBackoff (" + failureBackoff
                    + ") must not be longer than maxFailureBackoff (" + maxFailureBackoff + ")");
        }
    }

    /**
     * Returns the defaults: hold leadership when the task returns; after a failure wait 1 s, doubled after each
     * failure in a row up to 1 min.
     *
     * @return the defaults
     */
    public static SingletonOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts building singleton options from the defaults.
     *
     * @return a builder (not threadsafe)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns what the runner does when its task returns while its term is still held.
     *
     * @return the choice
     */
    public WhenTaskReturns whenTaskReturns() {
        return whenTaskReturns;
    }

    /**
     * Returns how long the runner waits, after a task that threw, before campaigning again; doubled after each
     * failure in a row, up to {@link #maxFailureBackoff()}.
     *
     * @return the first wait
     */
    public Duration failureBackoff() {
        return failureBackoff;
    }

    /**
     * Returns the longest wait after tasks that threw. A task that ran at least this long before it threw counts as
     * the first failure of a new series (its wait is {@link #failureBackoff()} again).
     *
     * @return the cap
     */
    public Duration maxFailureBackoff() {
        return maxFailureBackoff;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SingletonOptions)) {
            return false;
        }
        SingletonOptions other = (SingletonOptions) o;
        return whenTaskReturns == other.whenTaskReturns
                && failureBackoff.equals(other.failureBackoff)
                && maxFailureBackoff.equals(other.maxFailureBackoff);
    }

    @Override
    public int hashCode() {
        return Objects.hash(whenTaskReturns, failureBackoff, maxFailureBackoff);
    }

    @Override
    public String toString() {
        return "SingletonOptions{whenTaskReturns=" + whenTaskReturns + ", failureBackoff=" + failureBackoff
                + ", maxFailureBackoff=" + maxFailureBackoff + "}";
    }

    /** Builds {@link SingletonOptions}. Not threadsafe. */
    public static final class Builder {
        private WhenTaskReturns whenTaskReturns = WhenTaskReturns.HOLD_LEADERSHIP;
        private Duration failureBackoff = DEFAULT_FAILURE_BACKOFF;
        private Duration maxFailureBackoff = DEFAULT_MAX_FAILURE_BACKOFF;

        private Builder() {}

        /**
         * Sets what the runner does when its task returns while its term is still held.
         *
         * @param choice {@link WhenTaskReturns#HOLD_LEADERSHIP} (the default), {@link WhenTaskReturns#RESIGN} or {@link
         *     WhenTaskReturns#RESIGN_AND_CAMPAIGN_AGAIN}
         * @return this builder
         * @throws NullPointerException if {@code choice} is null
         */
        public Builder whenTaskReturns(WhenTaskReturns choice) {
            this.whenTaskReturns = Objects.requireNonNull(choice, "whenTaskReturns must not be null");
            return this;
        }

        /**
         * Sets the waits after a task threw: {@code first} after one failure, doubled after each further failure in
         * a row, never more than {@code max}.
         *
         * @param first the first wait (1 s unless set)
         * @param max the longest wait (1 min unless set), at least {@code first}
         * @return this builder
         * @throws IllegalArgumentException if a duration is zero or negative (checked here), or {@code first} is
         *     longer than {@code max} (checked by {@link #build()})
         * @throws NullPointerException if an argument is null
         */
        public Builder failureBackoff(Duration first, Duration max) {
            this.failureBackoff = Durations.requirePositive("failureBackoff", first);
            this.maxFailureBackoff = Durations.requirePositive("maxFailureBackoff", max);
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if the first failure backoff is longer than the maximum
         */
        public SingletonOptions build() {
            return new SingletonOptions(this);
        }
    }
}
