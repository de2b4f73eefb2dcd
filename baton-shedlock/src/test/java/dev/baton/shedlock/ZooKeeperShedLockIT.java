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
package dev.baton.shedlock;

import dev.baton.lock.Coordinator;
import dev.baton.zookeeper.ZooKeeperBackend;
import dev.baton.zookeeper.ZooKeeperServers;
import java.io.IOException;
import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * ShedLock's behaviour over a single ZooKeeper server, started by lock-zookeeper's own fixture (which fails rather
 * than skips when {@code BATON_REQUIRE_BACKENDS} names zookeeper and the server cannot start).
 */
class ZooKeeperShedLockIT extends ShedLockBehaviour {
    /** The reapers run every 100 ms. */
    ZooKeeperShedLockIT() {
        super(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    private static final Duration REAP_INTERVAL = Duration.ofMillis(100);
    /**
     * Long enough to outlast a busy machine's pauses (with 2 s, a starved client lost its session in the middle of a
     * test); the provider's TTL locks do not depend on it.
     */
    private static final Duration SESSION_TTL = Duration.ofSeconds(10);

    private static TestingServer server;

    @BeforeAll
    static void startServer() {
        server = ZooKeeperServers.newServer(SESSION_TTL);
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Override
    Coordinator newCoordinator() {
        return ZooKeeperBackend.builder()
                .connectString(server.getConnectString())
                .namespace("shedlock")
                .connectionTimeout(Duration.ofSeconds(3))
                .reapInterval(REAP_INTERVAL)
                .coordinatorBuilder()
                .sessionTtl(SESSION_TTL)
                .build();
    }
}
