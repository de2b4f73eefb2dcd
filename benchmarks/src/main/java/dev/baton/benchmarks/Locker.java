package dev.baton.benchmarks;

/** One thread's view of one named lock: take it, then give it back. Not threadsafe: one thread calls both. */
interface Locker {
    /** Blocks until held. */
    void lock() throws Exception;

    /** Releases what {@link #lock()} took. */
    void unlock() throws Exception;
}
