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
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LockHandle;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton lock NAME -- CMD...}: runs the command while holding the lock. Runs once, on the main thread. */
@Command(
        name = "lock",
        sortOptions = false,
        description = {
            "Takes the lock NAME, runs CMD with BATON_LOCK_NAME and BATON_FENCING_TOKEN in its environment, releases"
                    + " the lock when CMD exits, and exits with CMD's exit code.",
            "If the lock is lost while CMD runs (baton cut off from the server for longer than the TTL less the safety"
                    + " margin), CMD and every process it started get SIGTERM, then SIGKILL after --grace, and baton"
                    + " exits with 120, before the server can give the lock to anyone else.",
            "If baton itself is killed with SIGKILL, CMD keeps running and the server frees the lock after --ttl:"
                    + " pass BATON_FENCING_TOKEN to what CMD writes so that the resource can refuse a late writer."
        })
final class LockCommand extends SupervisingCommand {
    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long to wait for the lock; exit 121 if not acquired by then (default: wait forever).")
    Duration timeout;

    @Override
    int runWhileWon(Coordinator coordinator, Duration grace) throws InterruptedException {
        DistributedLock lock = lock(coordinator);
        info("waiting for lock " + name);
        LockHandle handle = timeout == null ? lock.acquire() : lock.acquire(timeout);
        try {
            info("acquired lock " + name + " (fencing token " + handle.fencingToken() + ")");
            CompletableFuture<String> loss = new CompletableFuture<>();
            handle.onLost((lost, reason) -> loss.complete(reason.toString()));
            int code = supervise(
                    Map.of("BATON_LOCK_NAME", name, "BATON_FENCING_TOKEN", Long.toString(handle.fencingToken())),
                    loss,
                    grace,
                    "lock " + name);
            if (code != ExitCodes.LOST) {
                info("released lock " + name + "; command exited with " + code);
            }
            return code;
        } finally {
            handle.close();
        }
    }

    private DistributedLock lock(Coordinator coordinator) {
        try {
            return coordinator.lock(name);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "bad lock name: " + e.getMessage(), e);
        }
    }
}
