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
package dev.baton.lock.tck;

import java.time.Duration;

/**
 * Scales every timeout of the kit by one factor, read from the system property {@value #FACTOR_PROPERTY} (default
 * 1), so that a slow machine needs no code change: {@code -Dbaton.test.timeout.factor=3}.
 *
 * <p>Stateless and threadsafe.
 */
public final class TckTimeouts {
    /** The system property that holds the factor. */
    public static final String FACTOR_PROPERTY = "baton.test.timeout.factor";

    private TckTimeouts() {}

    /**
     * Returns the factor every timeout is multiplied by.
     *
     * @return the factor, positive
     * @throws IllegalArgumentException if the property is set to something that is not a positive number
     */
    public static double factor() {
        String value = System.getProperty(FACTOR_PROPERTY, "1").trim();
        if (value.isEmpty()) {
            return 1;
        }
        double factor;
        try {
            factor = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(FACTOR_PROPERTY + " must be a positive number, was '" + value + "'", e);
        }
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException(FACTOR_PROPERTY + " must be a positive number, was '" + value + "'");
        }
        return factor;
    }

    /**
     * Multiplies a timeout by the {@link #factor()}.
     *
     * @param timeout the timeout on a normal machine
     * @return the scaled timeout
     */
    public static Duration scaled(Duration timeout) {
        return Duration.ofNanos(Math.round(timeout.toNanos() * factor()));
    }
}
