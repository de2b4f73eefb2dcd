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
package dev.baton.micrometer;

import dev.baton.lock.CoordinatorObserver;
import dev.baton.lock.LossReason;
import dev.baton.lock.SessionState;
import dev.baton.lock.SingletonTermEnd;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Records one {@link dev.baton.lock.Coordinator}'s locks, session and elections in a Micrometer {@link
 * MeterRegistry}. Set it on the coordinator's builder:
 *
 * <pre>{@code
 * Coordinator coordinator = EtcdBackend.builder().endpoints("http://127.0.0.1:2379")
 *         .coordinatorBuilder()
 *         .observer(BatonMetrics.builder(registry).build())
 *         .build();
 * }</pre>
 *
 * <p>The meters (their names are the constants of this class; every meter also carries the {@linkplain
 * Builder#tags(Iterable) common tags}):
 *
 * <ul>
 *   <li>{@value #LOCK_WAIT} (timer): how long each successful acquisition waited;
 *   <li>{@value #LOCK_ACQUISITIONS} (counter): acquisitions;
 *   <li>{@value #LOCK_TIMEOUTS} (counter): attempts that gave up when their timeout passed ({@code tryAcquire()}
 *       that found the lock taken counts as one);
 *   <li>{@value #LOCK_HELD} (timer): how long each handle was held, until released or lost;
 *   <li>{@value #LOCK_LOSSES} (counter, tag {@value #REASON_TAG}): handles lost, by {@link LossReason} in lower case
 *       ({@code session_lost}, {@code expired}, {@code entry_removed}, {@code coordinator_closed});
 *   <li>{@value #SESSION_STATE} (gauge, tag {@value #STATE_TAG}): 1 for the session's current {@link SessionState}
 *       ({@code connected}, {@code suspended}, {@code lost}, {@code closed}), 0 for the others;
 *   <li>{@value #SESSION_RENEWAL} (timer): latency of each acknowledged renewal of the session;
 *   <li>{@value #ELECTIONS_WON} (counter): terms won by this coordinator's candidates;
 *   <li>{@value #ELECTIONS_LOST} (counter, tag {@value #REASON_TAG}): terms that ended other than by resigning.
 * </ul>
 *
 * <p>Lock and election names are not tags by default: names can be unbounded (one per order, per tenant) and every
 * tag value is a time series. {@link Builder#lockNames(Collection)} or {@link Builder#lockNameTag(Function)} adds a
 * {@value #NAME_TAG} tag to every lock and election meter, with the allowed names as values and {@value #OTHER_NAME}
 * for all others.
 *
 * <p>One instance observes one coordinator: the session-state gauge shows the last state reported to it. To observe
 * several coordinators in one registry, build one instance per coordinator with a common tag that tells them apart
 * (Micrometer keeps the first gauge registered under a name and tags).
 *
 * <p>Threadsafe. The coordinator calls it on a thread of its own (see {@link CoordinatorObserver}); an exception from
 * the registry is logged by the coordinator and never reaches a lock.
 */
public final class BatonMetrics implements CoordinatorObserver {
    /** Timer: how long each successful acquisition of a lock, TTL lock or lease waited. */
    public static final String LOCK_WAIT = "baton.lock.wait";
    /** Counter: acquisitions of locks, TTL locks and leases. */
    public static final String LOCK_ACQUISITIONS = "baton.lock.acquisitions";
    /** Counter: acquisition attempts that gave up when their timeout passed. */
    public static final String LOCK_TIMEOUTS = "baton.lock.timeouts";
    /** Timer: how long each handle was held, from its acquisition until its release or loss. */
    public static final String LOCK_HELD = "baton.lock.held";
    /** Counter, tagged {@value #REASON_TAG}: handles lost. */
    public static final String LOCK_LOSSES = "baton.lock.losses";
    /** Gauge, tagged {@value #STATE_TAG}: 1 for the session's current state, 0 for the others. */
    public static final String SESSION_STATE = "baton.session.state";
    /** Timer: latency of each acknowledged renewal of the session's lease. */
    public static final String SESSION_RENEWAL = "baton.session.renewal";
    /** Counter: election terms won. */
    public static final String ELECTIONS_WON = "baton.election.won";
    /** Counter, tagged {@value #REASON_TAG}: election terms lost (ended other than by resigning). */
    public static final String ELECTIONS_LOST = "baton.election.lost";
    /**
     * Counter, tagged {@value #REASON_TAG}: terms of singleton runners that ended, by {@link SingletonTermEnd.Reason}
     * ({@code threw} counts the tasks that failed).
     */
    public static final String SINGLETON_TERM_ENDS = "baton.singleton.term.ends";

    /** The tag of a loss's {@link LossReason} or a singleton term end's reason, in lower case. */
    public static final String REASON_TAG = "reason";
    /** The tag of a session state, in lower case. */
    public static final String STATE_TAG = "state";
    /** The tag of a lock's or election's name, only when the user allows it. */
    public static final String NAME_TAG = "name";
    /** The {@value #NAME_TAG} tag's value for names that are not allowed as tags. */
    public static final String OTHER_NAME = "_other";

    private final MeterRegistry registry;
    private final Tags common;
    private final Function<String, String> nameTag; // null: names are not tagged
    private final AtomicReference<SessionState> state = new AtomicReference<>();
    private final Timer renewal;

    private BatonMetrics(Builder b) {
        this.registry = b.registry;
        this.common = b.common;
        this.nameTag = b.nameTag;
        this.renewal = timer(SESSION_RENEWAL, "Latency of acknowledged renewals of the Baton session", common);
        for (SessionState s : SessionState.values()) {
            Gauge.builder(SESSION_STATE, state, current -> current.get() == s ? 1 : 0)
                    .description("1 for the Baton session's current state, 0 for the others")
                    .tags(common)
                    .tag(STATE_TAG, lower(s))
                    .strongReference(true)
                    .register(registry);
        }
        if (nameTag == null) {
            // Without name tags the set of meters is fixed: register them now, so that dashboards see zeros.
            waitTimer(common);
            acquisitions(common);
            timeouts(common);
            heldTimer(common);
            electionsWon(common);
            for (LossReason r : LossReason.values()) {
                if (r != LossReason.RELEASED) {
                    losses(common, r);
                    electionsLost(common, r);
                }
            }
            for (SingletonTermEnd.Reason r : SingletonTermEnd.Reason.values()) {
                singletonTermEnds(common, r);
            }
        }
    }

    /**
     * Metrics in {@code registry} with the defaults: no common tags, no name tags.
     *
     * @param registry the registry
     * @return the observer, to pass to {@link dev.baton.lock.CoordinatorBuilder#observer}
     * @throws NullPointerException if {@code registry} is null
     */
    public static BatonMetrics of(MeterRegistry registry) {
        return builder(registry).build();
    }

    /**
     * A builder of metrics in {@code registry}.
     *
     * @param registry the registry
     * @return the builder
     * @throws NullPointerException if {@code registry} is null
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    @Override
    public void lockAcquired(String lockName, Duration waited) {
        Tags tags = forName(lockName);
        waitTimer(tags).record(waited);
        acquisitions(tags).increment();
    }

    @Override
    public void lockTimedOut(String lockName, Duration waited) {
        timeouts(forName(lockName)).increment();
    }

    @Override
    public void lockEnded(String lockName, LossReason reason, Duration held) {
        Tags tags = forName(lockName);
        heldTimer(tags).record(held);
        if (reason != LossReason.RELEASED) {
            losses(tags, reason).increment();
        }
    }

    @Override
    public void sessionStateChanged(SessionState previous, SessionState current) {
        state.set(current);
    }

    @Override
    public void sessionRenewed(Duration latency) {
        renewal.record(latency);
    }

    @Override
    public void elected(String electionName) {
        electionsWon(forName(electionName)).increment();
    }

    @Override
    public void leadershipEnded(String electionName, LossReason reason, Duration held) {
        if (reason != LossReason.RELEASED) {
            electionsLost(forName(electionName), reason).increment();
        }
    }

    @Override
    public void singletonTermEnded(String electionName, SingletonTermEnd.Reason reason, Duration taskRan) {
        singletonTermEnds(forName(electionName), reason).increment();
    }

    private Tags forName(String name) {
        if (nameTag == null) {
            return common;
        }
        String value = nameTag.apply(name);
        return common.and(NAME_TAG, value == null ? OTHER_NAME : value);
    }

    private Timer waitTimer(Tags tags) {
        return timer(LOCK_WAIT, "How long successful acquisitions of Baton locks waited", tags);
    }

    private Counter acquisitions(Tags tags) {
        return counter(LOCK_ACQUISITIONS, "Acquisitions of Baton locks", tags);
    }

    private Counter timeouts(Tags tags) {
        return counter(LOCK_TIMEOUTS, "Attempts to acquire a Baton lock that gave up when their timeout passed", tags);
    }

    private Timer heldTimer(Tags tags) {
        return timer(LOCK_HELD, "How long Baton lock handles were held, until released or lost", tags);
    }

    private Counter losses(Tags tags, LossReason reason) {
        return counter(LOCK_LOSSES, "Baton lock handles lost, by reason", tags.and(REASON_TAG, lower(reason)));
    }

    private Counter electionsWon(Tags tags) {
        return counter(ELECTIONS_WON, "Baton election terms won", tags);
    }

    private Counter electionsLost(Tags tags, LossReason reason) {
        return counter(
                ELECTIONS_LOST,
                "Baton election terms lost (ended other than by resigning), by reason",
                tags.and(REASON_TAG, lower(reason)));
    }

    private Counter singletonTermEnds(Tags tags, SingletonTermEnd.Reason reason) {
        return counter(
                SINGLETON_TERM_ENDS,
                "Terms of Baton singleton runners that ended, by reason (threw: the task failed)",
                tags.and(REASON_TAG, lower(reason)));
    }

    /** The counter of that name and tags; Micrometer registers it on first use and returns it after. */
    private Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** The timer of that name and tags; Micrometer registers it on first use and returns it after. */
    private Timer timer(String name, String description, Tags tags) {
        return Timer.builder(name).description(description).tags(tags).register(registry);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "BatonMetrics{registry=" + registry.getClass().getSimpleName() + ", tags=" + common + ", nameTags="
                + (nameTag != null) + "}";
    }

    /** Builds a {@link BatonMetrics}. Not threadsafe; what it builds is. */
    public static final class Builder {
        private final MeterRegistry registry;
        private Tags common = Tags.empty();
        private Function<String, String> nameTag;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry must not be null");
        }

        /**
         * Adds tags to every meter, for example to tell several coordinators apart in one registry.
         *
         * @param tags the tags
         * @return this builder
         * @throws NullPointerException if {@code tags} is null
         */
        public Builder tags(Iterable<Tag> tags) {
            this.common = common.and(Objects.requireNonNull(tags, "tags must not be null"));
            return this;
        }

        /**
         * Adds tags to every meter, given as key, value, key, value...
         *
         * @param keyValues the keys and values
         * @return this builder
         * @throws IllegalArgumentException if there is an odd number of strings
         * @throws NullPointerException if {@code keyValues} or one of them is null
         */
        public Builder tags(String... keyValues) {
            Objects.requireNonNull(keyValues, "keyValues must not be null");
            if (keyValues.length % 2 != 0) {
                throw new IllegalArgumentException(
                        "tags must be given as key, value pairs; got " + keyValues.length + " strings");
            }
            this.common = common.and(keyValues);
            return this;
        }

        /**
         * Tags the lock and election meters with the name of the lock or election when it is one of {@code
         * allowed}, and with {@value #OTHER_NAME} otherwise. Replaces an earlier {@link #lockNameTag}.
         *
         * @param allowed the names that may be tag values; copied
         * @return this builder
         * @throws NullPointerException if {@code allowed} or one of its names is null
         */
        public Builder lockNames(Collection<String> allowed) {
            Set<String> names = Set.copyOf(Objects.requireNonNull(allowed, "allowed must not be null"));
            this.nameTag = name -> names.contains(name) ? name : null;
            return this;
        }

        /**
         * Tags the lock and election meters with what {@code nameToTag} makes of the name of the lock or election,
         * or with {@value #OTHER_NAME} when it returns null: for example a name's prefix ({@code "orders/42"} to
         * {@code "orders"}). It must return few distinct values, since each is a time series, and be threadsafe.
         * Replaces an earlier {@link #lockNames}.
         *
         * @param nameToTag maps a name to its tag value, or to null
         * @return this builder
         * @throws NullPointerException if {@code nameToTag} is null
         */
        public Builder lockNameTag(Function<String, String> nameToTag) {
            this.nameTag = Objects.requireNonNull(nameToTag, "nameToTag must not be null");
            return this;
        }

        /**
         * Builds the metrics and registers the meters that do not depend on names.
         *
         * @return the observer, to pass to {@link dev.baton.lock.CoordinatorBuilder#observer}
         */
        public BatonMetrics build() {
            return new BatonMetrics(this);
        }
    }
}
