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
import dev.baton.lock.ElectionListener;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.Leadership;
import dev.baton.lock.LossReason;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton elect NAME -- CMD...}: runs the command while elected. Runs once, on the main thread. */
@Command(
        name = "elect",
        sortOptions = false,
        description = {
            "Campaigns in the election NAME, waits until elected, then runs CMD with BATON_ELECTION_NAME,"
                    + " BATON_CANDIDATE_ID and BATON_FENCING_TOKEN in its environment.",
            "If leadership is lost while CMD runs, CMD and every process it started get SIGTERM, then SIGKILL after"
                    + " --grace, and baton exits with 120, before the server can elect anyone else; a supervisor"
                    + " (systemd's Restart=always, a loop in a script) starts it again to campaign anew.",
            "If CMD exits by itself, baton resigns at once (the next candidate is elected) and exits with CMD's exit"
                    + " code: a leader that stopped working should not keep the others waiting."
        })
final class ElectCommand extends SupervisingCommand {
    @Option(
            names = "--id",
            paramLabel = "ID",
            description = "This candidate's id, shown by baton leader and baton observe (default: HOST/PID).")
    String candidateId;

    @Option(
            names = "--proclaim",
            paramLabel = "VALUE",
            description = "A value to publish with the leadership once elected, such as this node's address.")
    String proclaim;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long to campaign; exit 121 if not elected by then (default: campaign forever).")
    Duration timeout;

    @Override
    int runWhileWon(Coordinator coordinator, Duration grace) throws InterruptedException {
        String id = candidateId != null ? candidateId : Messages.defaultCandidateId();
        LeaderElection election = election(coordinator, id);
        CompletableFuture<String> loss = new CompletableFuture<>();
        election.listen(new ElectionListener() {
            @Override
            public void onElected(Leadership leadership) {}

            @Override
            public void onRevoked(Leadership leadership, LossReason reason) {
                if (reason != LossReason.RELEASED) {
                    loss.complete(reason.toString());
                }
            }
        });
        info("campaigning for leadership of " + name + " as " + id);
        try (Leadership term = timeout == null ? election.campaign() : election.campaign(timeout)) {
            info("elected leader of " + name + " as " + id + " (fencing token " + term.fencingToken() + ")");
            if (proclaim != null) {
                term.proclaim(proclaim);
            }
            int code = supervise(
                    Map.of(
                            "BATON_ELECTION_NAME", name,
                            "BATON_CANDIDATE_ID", id,
                            "BATON_FENCING_TOKEN", Long.toString(term.fencingToken())),
                    loss,
                    grace,
                    "leadership of " + name);
            if (code != ExitCodes.LOST) {
                info("resigned leadership of " + name + "; command exited with " + code);
            }
            return code;
        } finally {
            election.close();
        }
    }

    private LeaderElection election(Coordinator coordinator, String id) {
        try {
            return coordinator.election(name, id);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "bad election name or --id: " + e.getMessage(), e);
        }
    }
}
