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
import dev.baton.lock.LeaderInfo;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code baton leader NAME}: prints the election's current leader. Runs once, on the main thread. */
@Command(
        name = "leader",
        description = {
            "Prints the current leader of the election NAME as 'candidate=ID token=N' (and ' value=V' when the leader"
                    + " proclaimed one), without taking part. Prints 'no leader' and exits with 3 when nobody leads."
        })
final class LeaderCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "NAME", description = "The election's name.")
    String name;

    @Override
    public Integer call() {
        try (Coordinator coordinator = connection.connect()) {
            Optional<LeaderInfo> leader = coordinator.leader(checked(name));
            System.out.println(describe(leader));
            return leader.isPresent() ? ExitCodes.OK : ExitCodes.NO_LEADER;
        }
    }

    static String checked(String name) {
        if (name.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "the election name must not be empty");
        }
        return name;
    }

    /** One line: {@code candidate=ID token=N[ value=V]}, or {@code no leader}. */
    static String describe(Optional<LeaderInfo> leader) {
        if (leader.isEmpty()) {
            return "no leader";
        }
        LeaderInfo info = leader.get();
        String line = "candidate=" + info.candidateId() + " token=" + info.fencingToken();
        return info.value().isEmpty() ? line : line + " value=" + info.value();
    }
}
