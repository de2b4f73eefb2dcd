package dev.baton.lock;

/**
 * A registration (listener, observer) that can be cancelled. {@link #close()} is idempotent and threadsafe.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    /** Cancels the registration; no further calls are made once this returns (one in progress may finish). */
    @Override
    void close();
}
