package dev.baton.lock.internal;

import dev.baton.lock.Coordinator;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.concurrent.Executor;

/** Placeholder replaced by the real coordinator in the same change. */
public final class DefaultCoordinator {
    private DefaultCoordinator() {}

    /**
     * Starts a coordinator.
     *
     * @param backend backend
     * @param sessionTtl ttl
     * @param margin margin
     * @param timeSource time
     * @param callbackExecutor callbacks
     * @param blockingExecutor blocking
     * @param closeBackend close backend
     * @return coordinator
     */
    public static Coordinator start(
            CoordinationBackend backend,
            Duration sessionTtl,
            Duration margin,
            TimeSource timeSource,
            Executor callbackExecutor,
            Executor blockingExecutor,
            boolean closeBackend) {
        throw new UnsupportedOperationException();
    }
}
