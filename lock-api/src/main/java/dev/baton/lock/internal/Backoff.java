package dev.baton.lock.internal;

import java.time.Duration;

/** A retry delay that doubles up to a cap and starts over after a success. Not threadsafe: guard it. */
final class Backoff {
    private static final Duration FIRST = Duration.ofMillis(20);

    private final Duration cap;
    private Duration next = FIRST;

    Backoff(Duration cap) {
        this.cap = cap;
    }

    /** Returns the delay to wait now and doubles the next one, up to the cap. */
    Duration next() {
        Duration now = next;
        next = now.multipliedBy(2).compareTo(cap) > 0 ? cap : now.multipliedBy(2);
        return now;
    }

    void reset() {
        next = FIRST;
    }
}
