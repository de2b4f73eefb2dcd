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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A singleton task: every process runs the same runner, and the task runs in exactly one of them at a time, on a
 * thread of its own, while that process leads. When the leader stops (here: its runner is closed), its task is
 * interrupted and another process's task starts. Run {@link #main(String[])}.
 */
public final class SingletonExample {
    private SingletonExample() {}

    /**
     * Runs the example, printing what happens.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the tasks
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    static void run(PrintStream out) throws InterruptedException {
        CountDownLatch runsOnA = new CountDownLatch(1); // only to know when to go on with the story
        CountDownLatch runsOnB = new CountDownLatch(1);
        try (Coordinator a = InMemoryBackend.builder().coordinatorBuilder().build();
                Coordinator b = InMemoryBackend.builder().coordinatorBuilder().build()) {
            SingletonRunner runnerOfA = a.singleton("billing/invoicer", "host-a", invoicer("host-a", out, runsOnA));
            awaitStart(runsOnA, "host-a");
            SingletonRunner runnerOfB = b.singleton("billing/invoicer", "host-b", invoicer("host-b", out, runsOnB));
            out.println("host-b's runner campaigns and waits in line");

            runnerOfA.close(); // stops campaigning, interrupts the task, waits for it, resigns
            awaitStart(runsOnB, "host-b"); // host-b is elected and its task starts
            runnerOfB.close();
        }
    }

    /** The task: sends invoices under its term's fencing token until interrupted. */
    private static SingletonTask invoicer(String host, PrintStream out, CountDownLatch started) {
        return term -> {
            out.println("invoicer runs on " + host + ", token " + term.fencingToken());
            started.countDown();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(10); // stands for invoices.sendNextBatch(term.fencingToken())
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stop promptly: leadership is gone
            }
            out.println("invoicer on " + host + " stopped");
        };
    }

    private static void awaitStart(CountDownLatch runs, String host) throws InterruptedException {
        if (!runs.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the invoicer did not start on " + host + " within 5 s");
        }
    }
}
