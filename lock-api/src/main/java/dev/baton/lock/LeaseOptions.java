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
 * How a renewable lease from {@link Coordinator#lease(String, LeaseOptions)} is kept: its own TTL, independent of the
 * coordinator's session, and whether the coordinator renews it in the background.
 *
 * <p>Immutable and threadsafe; checked when built. Build with {@link #builder(Duration)}.
 */
public final class LeaseOptions {
    private final Duration ttl;
    private final boolean autoRenew;
    private final Duration renewInterval;

    private LeaseOptions(Builder b) {
        this.ttl = b.ttl;
        this.autoRenew = b.autoRenew;
        this.renewInterval = b.renewInterval == null ? ttl.dividedBy(3) : b.renewInterval;
        if (renewInterval.isZero()) {
            throw new IllegalArgumentException("the default renewInterval, a third of the ttl (" + ttl + "), rounds to"
                    + " zero; use a ttl of at least 3 ns (no backend grants less than a few milliseconds) or set"
                    + " renewInterval(...) to a positive interval shorter than the ttl");
        }
        if (renewInterval.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException(
                    "renewInterval (" + renewInterval + ") must be shorter than the ttl (" + ttl + ")");
        }
    }

    /**
     * Returns options for a lease with the given TTL that the holder renews by calling {@link LeaseHandle#renew()}.
     *
     * @param ttl the lease's TTL
     * @return the options
     * @throws IllegalArgumentException if {@code ttl} is zero or negative, or so short that a third of it rounds to
     *     zero nanoseconds
     * @throws NullPointerException if {@code ttl} is null
     */
    public static LeaseOptions of(Duration ttl) {
        return builder(ttl).build();
    }

    /**
     * Starts building lease options.
     *
     * @param ttl the lease's TTL
     * @return a builder (not threadsafe)
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     * @throws NullPointerException if {@code ttl} is null
     */
    public static Builder builder(Duration ttl) {
        return new Builder(Durations.requirePositive("ttl", ttl));
    }

    /**
     * Returns the lease's TTL.
     *
     * @return the TTL
     */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Tells whether the coordinator renews the lease in the background.
     *
     * @return whether renewal is automatic
     */
    public boolean autoRenew() {
        return autoRenew;
    }

    /**
     * Returns how often automatic renewal runs; a third of the TTL unless set.
     *
     * @return the interval
     */
    public Duration renewInterval() {
        return renewInterval;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LeaseOptions)) {
            return false;
        }
        LeaseOptions other = (LeaseOptions) o;
        return ttl.equals(other.ttl) && autoRenew == other.autoRenew && renewInterval.equals(other.renewInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl, autoRenew, renewInterval);
    }

    @Override
    public String toString() {
        return "LeaseOptions{ttl=" + ttl + ", autoRenew=" + autoRenew + ", renewInterval=" + renewInterval + "}";
    }

    /** Builds {@link LeaseOptions}. Not threadsafe. */
    public static final class Builder {
        private final Duration ttl;
        private boolean autoRenew;
        private Duration renewInterval;

        private Builder(Duration ttl) {
            this.ttl = ttl;
        }

        /**
         * Has the coordinator renew the lease every {@link #renewInterval(Duration)} until it is released.
         *
         * @param autoRenew whether to renew in the background
         * @return this builder
         */
        public Builder autoRenew(boolean autoRenew) {
            this.autoRenew = autoRenew;
            return this;
        }

        /**
         * Sets how often automatic renewal runs.
         *
         * @param interval the interval, shorter than the TTL
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is zero or negative
         * @throws NullPointerException if {@code interval} is null
         */
        public Builder renewInterval(Duration interval) {
            this.renewInterval = Durations.requirePositive("renewInterval", interval);
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if the renew interval is not shorter than the TTL, or if no renew interval
         *     was set and a third of the TTL rounds to zero nanoseconds
         */
        public LeaseOptions build() {
            return new LeaseOptions(this);
        }
    }
}
