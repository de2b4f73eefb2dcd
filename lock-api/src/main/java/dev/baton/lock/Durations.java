package dev.baton.lock;

import java.time.Duration;
import java.util.Objects;

/** Argument checks for durations, shared by the option types. Not part of the API. */
final class Durations {
    private Durations() {}

    static Duration requirePositive(String argument, Duration value) {
        Objects.requireNonNull(value, argument + " must not be null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(argument + " must be positive, was " + value);
        }
        return value;
    }
}
