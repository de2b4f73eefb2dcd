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

import dev.baton.inmemory.InMemoryBackend;
import dev.baton.lock.Coordinator;
import dev.baton.lock.LeaseHandle;
import dev.baton.lock.LeaseOptions;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A renewable lease: a lock with a TTL of its own (independent of the session), renewed by hand between steps of the
 * work, or in the background until released. Run {@link #main(String[])}.
 */
public final class LeaseExample {
    private static final Duration TTL = Duration.ofSeconds(1);

    private LeaseExample() {}

    /**
     * Runs the example, printing what happens.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the lease
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    static void run(PrintStream out) throws InterruptedException {
        try (Coordinator coordinator =
                InMemoryBackend.builder().coordinatorBuilder().build()) {
            // Renewed by hand: each renew() gives another full TTL from now.
            try (LeaseHandle lease = coordinator.lease("jobs/compaction", TTL).acquire(Duration.ofSeconds(5))) {
                for (int step = 1; step <= 2; step++) {
                    Thread.sleep(TTL.dividedBy(2).toMillis()); // one step of work, half a TTL long
                    long before = lease.remaining().toMillis();
                    lease.renew(); // LockLostException if the lease had already expired
                    out.printf(
                            "step %d done: %d ms left before renew(), %d ms after%n",
                            step, before, lease.remaining().toMillis());
                }
            }

            // Renewed in the background (every TTL/3 unless set) until released.
            LeaseOptions options = LeaseOptions.builder(TTL).autoRenew(true).build();
            try (LeaseHandle lease = coordinator.lease("jobs/reindex", options).acquire(Duration.ofSeconds(5))) {
                lease.onLost((handle, reason) -> out.println("auto-renewed lease lost: " + reason));
                Thread.sleep(TTL.multipliedBy(2).toMillis()); // work for two TTLs without renewing by hand
                out.printf(
                        "auto-renewed lease after %d ms (2 TTLs): valid %s, %d ms left%n",
                        TTL.multipliedBy(2).toMillis(),
                        lease.isValid(),
                        lease.remaining().toMillis());
            }
        }
    }
}
