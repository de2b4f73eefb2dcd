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
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * A TTL lock: held for at most its TTL even if the holder hangs and never releases it (ShedLock's {@code
 * lockAtMostFor}). The holder is told it lost the lock a safety margin before the server frees it, so it can stop
 * before anyone else starts. Run {@link #main(String[])}.
 */
public final class TtlLockExample {
    private static final Duration TTL = Duration.ofSeconds(1);

    private TtlLockExample() {}

    /**
     * Runs the example, printing what happens.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the lock
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    static void run(PrintStream out) throws InterruptedException {
        try (Coordinator a = InMemoryBackend.builder().coordinatorBuilder().build();
                Coordinator b = InMemoryBackend.builder().coordinatorBuilder().build()) {
            long start = System.nanoTime();
            // A takes the nightly report's lock for at most 1 s, then "hangs": it never releases it.
            LockHandle forgotten =
                    a.lock("reports/nightly", LockOptions.ttl(TTL)).acquire(Duration.ofSeconds(5));
            forgotten.onLost((handle, reason) ->
                    out.printf("A told at +%d ms that its lock is gone: %s%n", millisSince(start), reason));
            out.println(
                    "A holds reports/nightly for at most " + TTL.toMillis() + " ms, token " + forgotten.fencingToken());

            DistributedLock lockOfB = b.lock("reports/nightly", LockOptions.ttl(TTL));
            Optional<LockHandle> attempt = lockOfB.tryAcquire(); // empty: A holds it
            out.println("B's tryAcquire while A holds it: " + (attempt.isPresent() ? "got it" : "empty"));
            attempt.ifPresent(LockHandle::close);
            try (LockHandle handle = lockOfB.acquire(Duration.ofSeconds(5))) { // waits until the TTL has run out
                out.printf("B holds reports/nightly at +%d ms, token %d%n", millisSince(start), handle.fencingToken());
            }
            forgotten.close(); // reports the loss; releases nothing, since the server already freed it
        }
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
