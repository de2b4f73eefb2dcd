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

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }
}
