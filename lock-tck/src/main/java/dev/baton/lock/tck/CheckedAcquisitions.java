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

/**
 * How many acquisitions the history checks of the newer recipes ({@link ReadWriteLockRules}, {@link MultiLockRules}, {@link SemaphoreRules})
 * make per test, read from the system property {@value #PROPERTY}: small by default ({@value #DEFAULT}), so that CI
 * stays quick on every backend, and as many as wanted on demand, for example {@code -Dbaton.tck.acquisitions=2000}
 * with {@code -Dtest=...#rwlock_*}.
 *
 * <p>Stateless and threadsafe.
 */
public final class CheckedAcquisitions {
    /** The system property that holds the count. */
    public static final String PROPERTY = "baton.tck.acquisitions";

    /** The count when the property is not set. */
    public static final int DEFAULT = 300;

    private CheckedAcquisitions() {}

    /**
     * Returns how many acquisitions a history check makes.
     *
     * @return the count, at least 1
     * @throws IllegalArgumentException if the property is set to something that is not a positive whole number
     */
    public static int count() {
        String value = System.getProperty(PROPERTY, "").trim();
        if (value.isEmpty()) {
            return DEFAULT;
        }
        try {
            int count = Integer.parseInt(value);
            if (count > 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " must be a positive whole number, was '" + value + "'", e);
        }
        throw new IllegalArgumentException(PROPERTY + " must be a positive whole number, was '" + value + "'");
    }
}
