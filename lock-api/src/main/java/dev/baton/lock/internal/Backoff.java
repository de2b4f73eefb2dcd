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
package dev.baton.lock.internal;

import java.time.Duration;

/** A retry delay that doubles up to a cap and starts over after a success. Not threadsafe: guard it. */
final class Backoff {
    private static final Duration FIRST = Duration.ofMillis(20);

    private final Duration first;
    private final Duration cap;
    private Duration next;

    Backoff(Duration cap) {
        this(FIRST, cap);
    }

    /** A delay of {@code first}, doubled after each {@link #next()} up to {@code cap}; {@code first <= cap}. */
    Backoff(Duration first, Duration cap) {
        this.first = first;
        this.cap = cap;
        this.next = first;
    }

    /** Returns the delay to wait now and doubles the next one, up to the cap. */
    Duration next() {
        Duration now = next;
        next = now.multipliedBy(2).compareTo(cap) > 0 ? cap : now.multipliedBy(2);
        return now;
    }

    void reset() {
        next = first;
    }
}
