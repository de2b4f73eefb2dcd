package dev.baton.examples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints lines prefixed with the seconds since the demo started, from one monotonic clock. Threadsafe: the time is
 * taken under the same lock as the print, so lines appear in the order of their timestamps.
 */
final class TimedConsole {
    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    TimedConsole(PrintStream out) {
        this.out = out;
    }

    /** Returns the nanoseconds since the demo started. */
    long now() {
        return System.nanoTime() - startNanos;
    }

    /** Prints one line, formatted as by {@link String#format(String, Object...)}. */
    synchronized void line(String format, Object... args) {
        out.printf(Locale.ROOT, "[%7.3fs] %s%n", now() / 1e9, String.format(Locale.ROOT, format, args));
    }

    /** Prints a line without a timestamp (for the list of problems at the end). */
    synchronized void plain(String text) {
        out.println(text);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }
}
