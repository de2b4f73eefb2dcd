package dev.baton.lock.spi;

/**
 * Receives the events of one {@link CoordinationBackend#watch watch}.
 *
 * <p>Called one event at a time, in revision order, possibly on a client library's I/O thread: implementations
 * must not block and must hand real work to an executor.
 */
public interface WatchListener {
    /**
     * Called for each change, in revision order.
     *
     * @param event the change
     */
    void onEvent(WatchEvent event);

    /**
     * Called once when the backend can no longer promise a gap-free sequence (history compacted, stream lost). The
     * watch delivers nothing more; the caller re-reads and watches again.
     *
     * @param why a description for logs
     */
    void onReset(String why);
}
