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
import dev.baton.lock.LeaderElection;
import dev.baton.lock.Leadership;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Leader election: two candidates campaign for one election, in the order they campaigned; an observer that is not
 * a candidate sees each leader and the value it proclaims. When the leader resigns, the next candidate is elected
 * with a larger fencing token. Run {@link #main(String[])}.
 */
public final class ElectionExample {
    private ElectionExample() {}

    /**
     * Runs the example, printing what happens.
     *
     * @param args ignored
     * @throws Exception if interrupted, or if the second candidate is not elected within 5 seconds
     */
    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    static void run(PrintStream out) throws InterruptedException, ExecutionException, TimeoutException {
        try (Coordinator a = InMemoryBackend.builder().coordinatorBuilder().build();
                Coordinator b = InMemoryBackend.builder().coordinatorBuilder().build();
                Coordinator dashboard =
                        InMemoryBackend.builder().coordinatorBuilder().build();
                LeaderElection electionOfA = a.election("billing/leader", "host-a");
                LeaderElection electionOfB = b.election("billing/leader", "host-b")) {
            // Observing writes nothing to the server: any process may watch, candidate or not.
            CountDownLatch dashboardSawB = new CountDownLatch(1);
            dashboard.observe("billing/leader", leader -> {
                out.println("dashboard sees: "
                        + leader.map(info -> info.candidateId() + " (token " + info.fencingToken() + ") at \""
                                        + info.value() + "\"")
                                .orElse("no leader"));
                if (leader.isPresent() && leader.get().value().equals("host-b:8080")) {
                    dashboardSawB.countDown();
                }
            });

            Leadership termOfA = electionOfA.campaign(); // waits until elected
            termOfA.proclaim("host-a:8080"); // observers see this value with the leader
            out.println("host-a elected, token " + termOfA.fencingToken());

            CompletableFuture<Leadership> campaignOfB = electionOfB.campaignAsync(); // waits in line behind host-a
            out.println("host-b elected while host-a leads: " + campaignOfB.isDone());

            termOfA.close(); // resign: the next candidate is elected
            Leadership termOfB = campaignOfB.get(5, TimeUnit.SECONDS);
            termOfB.proclaim("host-b:8080");
            out.println("host-b elected, token " + termOfB.fencingToken());
            // The observer runs on the dashboard's own callback thread; wait until it has shown host-b.
            if (!dashboardSawB.await(5, TimeUnit.SECONDS)) {
                throw new TimeoutException("the dashboard did not see host-b within 5 s");
            }
            termOfB.close();
        }
    }
}
