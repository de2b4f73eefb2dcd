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

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.BatonProcesses.Started;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one runnable jar serves every scheme: its merged {@code META-INF/services} finds the in-memory and Consul
 * backends too (etcd and ZooKeeper are shown by {@link EtcdBatonIT} and {@link ZooKeeperBatonIT}).
 */
@Timeout(120)
class RunnableJarIT {
    @TempDir
    Path dir;

    @Test
    void the_jar_finds_the_inmemory_and_consul_backends() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (BatonProcesses baton = new BatonProcesses(dir)) {
            Started inMemory = baton.start(
                    "inmemory", "inmemory:", "lock", "a", "--", "sh", "-c", "echo \"token $BATON_FENCING_TOKEN\"");
            Started consul = baton.start(
                    "consul", "consul://127.0.0.1:" + closedPort + "/x?request-timeout=1s", "leader", "web");

            assertThat(inMemory.awaitExit()).as(inMemory.err()).isZero();
            assertThat(inMemory.out()).matches("token \\d+");
            assertThat(consul.awaitExit())
                    .as("no Consul agent answers, but the backend was found; stderr:%n%s", consul.err())
                    .isEqualTo(ExitCodes.UNAVAILABLE);
        }
    }
}
