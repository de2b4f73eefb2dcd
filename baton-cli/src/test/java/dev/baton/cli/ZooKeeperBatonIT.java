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

import dev.baton.zookeeper.ZooKeeperServers;
import java.io.IOException;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The {@code baton} command against a real ZooKeeper server (curator-test's {@link TestingServer} in the test JVM,
 * from lock-zookeeper's fixture: a 100 ms tick, sessions of 200 ms to 2 s).
 */
class ZooKeeperBatonIT extends BatonCommandContract {
    private static TestingServer server;

    @BeforeAll
    static void startServer() {
        server = ZooKeeperServers.newServer();
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Override
    String uri() {
        return "zookeeper://" + host() + ":" + port() + "/cli-" + Integer.toHexString(dir.hashCode());
    }

    @Override
    String host() {
        return "127.0.0.1";
    }

    @Override
    int port() {
        return server.getPort();
    }
}
