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
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.SingletonTask;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Failover: the leader is cut off from the cluster, so it can neither renew its session nor resign. Its own
 * coordinator tells it first, at its local deadline (a safety margin before the server's expiry), and interrupts its
 * task; then the server expires its session and the other node is elected. Run {@link #main(String[])}.
 */
public final class FailoverExample {
    /** Short, so that the failover is quick to watch; the safety margin is a fifth of it by default. */
    private static final Duration SESSION_TTL = Duration.ofSeconds(2);

    private FailoverExample() {}

    /**
     * Runs the example, printing what happens.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the failover
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    static void run(PrintStream out) throws InterruptedException {
        // Keep each node's backend, to cut it off below; the coordinator still closes it.
        InMemoryBackend backendOfA = InMemoryBackend.builder().build();
        InMemoryBackend backendOfB = InMemoryBackend.builder().build();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        try (Coordinator a = Coordinator.builder(backendOfA)
                        .sessionTtl(SESSION_TTL)
                        .closeBackendOnClose(true)
                        .build();
                Coordinator b = Coordinator.builder(backendOfB)
                        .sessionTtl(SESSION_TTL)
                        .closeBackendOnClose(true)
                        .build();
                SingletonRunner runnerOfA = a.singleton("demo/leader", "node-a", leader("node-a", events))) {
            print(out, start, events.poll(5, TimeUnit.SECONDS)); // node-a elected
            try (SingletonRunner runnerOfB = b.singleton("demo/leader", "node-b", leader("node-b", events))) {
                long cut = System.nanoTime(); // node-b campaigns and waits in line
                out.printf("[+%4d ms] cutting node-a off the cluster%n", millis(cut - start));
                backendOfA.disconnect(); // every call of node-a's coordinator fails from now on, as in a partition

                print(out, start, events.poll(10, TimeUnit.SECONDS)); // node-a told: its task is interrupted
                print(out, start, events.poll(10, TimeUnit.SECONDS)); // node-b elected, once node-a's session expired
                out.printf("terms started: node-a %d, node-b %d%n", runnerOfA.termsStarted(), runnerOfB.termsStarted());
            }
        }
    }

    /** The singleton task: reports when it starts and when it is interrupted. */
    private static SingletonTask leader(String node, BlockingQueue<Event> events) {
        return term -> {
            long token = term.fencingToken();
            events.add(new Event(System.nanoTime(), node + " elected, token " + token));
            try {
                Thread.sleep(Long.MAX_VALUE); // leads until interrupted
            } catch (InterruptedException e) {
                events.add(new Event(System.nanoTime(), node + " told it lost leadership (token " + token + ")"));
            }
        };
    }

    private static void print(PrintStream out, long start, Event event) {
        if (event == null) {
            throw new IllegalStateException("an expected event did not come");
        }
        out.printf("[+%4d ms] %s%n", millis(event.nanoTime() - start), event.text());
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Something a task did, at {@code nanoTime} on {@link System#nanoTime()}'s clock. */
    private record Event(long nanoTime, String text) {}
}
