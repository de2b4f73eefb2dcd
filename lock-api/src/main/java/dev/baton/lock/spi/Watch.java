package dev.baton.lock.spi;

/** A running watch. {@link #close()} stops delivery, is idempotent and threadsafe. */
@FunctionalInterface
public interface Watch extends AutoCloseable {
    /** Stops delivery; an event being delivered may still finish. */
    @Override
    void close();
}
