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

import dev.baton.lock.Coordinator;
import dev.baton.lock.Subscription;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code baton observe NAME}: follows the election's leader until interrupted. */
@Command(
        name = "observe",
        description = {
            "Follows the leader of the election NAME without taking part: prints the current leader, then one line"
                    + " per change, each 'TIME candidate=ID token=N[ value=V]' or 'TIME no leader' (TIME in UTC),"
                    + " until interrupted (Ctrl-C, SIGTERM)."
        })
final class ObserveCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "NAME", description = "The election's name.")
    String name;

    @Override
    public Integer call() throws InterruptedException {
        Coordinator coordinator = connection.connect();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            Messages.stopping = true;
                            coordinator.close();
                            stopped.countDown();
                        },
                        "baton-shutdown"));
        // Called on the coordinator's callback thread, one call at a time and in order.
        Subscription subscription = coordinator.observe(LeaderCommand.checked(name), leader -> {
            System.out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + LeaderCommand.describe(leader));
            System.out.flush();
        });
        stopped.await();
        subscription.close();
        return ExitCodes.OK;
    }
}
