package dev.baton.lock.internal;

import dev.baton.lock.spi.Entry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits on a {@link QueueAttempt}, shared by the mutex and the election. */
final class Waits {
    private Waits() {}

    /** Checks a caller's timeout; returns it in nanoseconds, saturated for huge values. */
    static long timeoutNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        return SystemTimeSource.saturatedNanos(timeout);
    }

    /**
     * Waits for the attempt; {@code timeoutNanos < 0} waits forever. On timeout or interrupt the attempt is abandoned
     * and its entry removed before returning; an attempt that won just as the timeout struck is returned as won, one
     * that won just as the thread was interrupted is withdrawn (released) and the interrupt thrown.
     */
    static Optional<Entry> await(QueueAttempt attempt, long timeoutNanos, String name) throws InterruptedException {
        try {
            if (timeoutNanos < 0) {
                return attempt.result().get();
            }
            return attempt.result().get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException timedOut) {
            if (attempt.abandon()) {
                attempt.withdraw();
                return Optional.empty();
            }
            return attempt.result().join();
        } catch (InterruptedException interrupted) {
            attempt.abandon();
            attempt.withdraw();
            throw interrupted;
        } catch (ExecutionException failed) {
            throw Failures.unwrap(failed);
        }
    }
}
