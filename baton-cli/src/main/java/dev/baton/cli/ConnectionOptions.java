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
import dev.baton.lock.CoordinatorBuilder;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The options every subcommand that talks to a cluster shares: the connection URI and the session's timing. The URI
 * comes from {@code --uri} or the environment variable {@code BATON_URI}, and is never printed (a URI may carry a
 * secret; {@code password-env=VARIABLE} keeps it out of the URI altogether). Not threadsafe; used by one command.
 */
final class ConnectionOptions {
    static final String URI_VARIABLE = "BATON_URI";

    @Option(
            names = "--uri",
            paramLabel = "URI",
            description = "The cluster's connection URI (default: the BATON_URI environment variable), such as"
                    + " etcd://127.0.0.1:2379/myapp, zookeeper://zk1:2181/myapp, consul://agent:8500/myapp. Prefer"
                    + " BATON_URI and password-env=VARIABLE: a command line is visible to every user of the machine.")
    String uri;

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Session TTL: how long after baton dies, hangs or is cut off the server frees what it held"
                    + " (default: ${DEFAULT-VALUE}).",
            defaultValue = "10s")
    Duration ttl;

    @Option(
            names = "--safety-margin",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How much earlier than the server baton declares a lost session (default: a fifth of --ttl).")
    Duration safetyMargin;

    /** The margin the coordinator will use. */
    Duration margin() {
        return safetyMargin != null ? safetyMargin : ttl.dividedBy(5);
    }

    /** The URI from {@code --uri}, else from {@code BATON_URI}. */
    String uri(Function<String, String> environment) {
        String chosen = uri != null ? uri : environment.apply(URI_VARIABLE);
        if (chosen == null || chosen.isBlank()) {
            throw new CliException(
                    ExitCodes.CONFIGURATION,
                    "no cluster given: pass --uri URI or set " + URI_VARIABLE
                            + " (for example etcd://127.0.0.1:2379/myapp)");
        }
        return chosen.trim();
    }

    /** A coordinator builder for the URI, with the session's timing set; nothing is sent yet. */
    CoordinatorBuilder builder(String connectionUri) {
        if (ttl.isZero()) {
            throw new CliException(ExitCodes.USAGE, "--ttl must be longer than 0");
        }
        try {
            return Coordinator.builder(connectionUri).sessionTtl(ttl).safetyMargin(margin());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The messages of a URI's parser name what to fix and never hold a secret.
            throw new CliException(ExitCodes.CONFIGURATION, "bad connection URI: " + e.getMessage(), e);
        }
    }

    /** Opens a session on the cluster. */
    Coordinator connect() {
        CoordinatorBuilder builder = builder(uri(System::getenv));
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.CONFIGURATION, e.getMessage(), e);
        }
    }
}
