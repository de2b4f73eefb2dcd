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
package dev.baton.cli;

import java.time.Duration;
import java.util.Locale;

/** baton's own lines on standard error, and small helpers. Stateless and threadsafe. */
final class Messages {
    /**
     * Set once baton was told to stop (SIGINT, SIGTERM) and its shutdown hook closed the coordinator: a call that
     * then fails on the main thread says nothing, since the JVM exits anyway with the signal's code.
     */
    static volatile boolean stopping;

    private Messages() {}

    static void error(String message) {
        System.err.println("baton: " + message);
        System.err.flush();
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    /** Closes {@code closeable} on a thread of its own, waiting at most {@code limit} for it. */
    static void closeWithin(AutoCloseable closeable, Duration limit) {
        Thread closer = new Thread(
                () -> {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        error("closing failed: " + e);
                    }
                },
                "baton-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code HOST/PID}: unique among the candidates of a fleet, and says where to look. */
    static String defaultCandidateId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
