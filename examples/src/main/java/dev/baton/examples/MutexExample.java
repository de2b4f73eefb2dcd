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
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * A mutex with its fencing token: two coordinators (standing in for two processes) share one lock; while one holds
 * it the other cannot take it; every acquisition carries a larger token, and the resource rejects a write with a
 * token older than the newest it has seen. Run {@link #main(String[])}.
 */
public final class MutexExample {
    private MutexExample() {}

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
        FencedStore orders = new FencedStore(); // the resource the lock protects
        // The embedded default: every coordinator built this way in the JVM shares one in-memory cluster.
        try (Coordinator a = InMemoryBackend.builder().coordinatorBuilder().build();
                Coordinator b = InMemoryBackend.builder().coordinatorBuilder().build()) {
            DistributedLock lockOfA = a.lock("orders/42"); // nothing is written until it is acquired
            DistributedLock lockOfB = b.lock("orders/42");

            long tokenOfA;
            try (LockHandle handle = lockOfA.acquire(Duration.ofSeconds(5))) { // times out after 5 s
                tokenOfA = handle.fencingToken();
                out.println("A holds orders/42, token " + tokenOfA);
                orders.write(tokenOfA, "written by A");

                Optional<LockHandle> attempt = lockOfB.tryAcquire(); // losing the race is not an error
                out.println("B's tryAcquire while A holds it: " + (attempt.isPresent() ? "got it" : "empty"));
                attempt.ifPresent(LockHandle::close);
            } // close() releases the lock

            try (LockHandle handle = lockOfB.acquire(Duration.ofSeconds(5))) {
                out.println("B holds orders/42, token " + handle.fencingToken());
                orders.write(handle.fencingToken(), "written by B");
            }

            // A holder that was paused past its lease would come back with its old token: the resource says no.
            boolean accepted = orders.write(tokenOfA, "late write by A");
            out.println("the store " + (accepted ? "accepts" : "rejects") + " A's late write with token " + tokenOfA);
        }
    }
}
