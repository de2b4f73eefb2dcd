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
package dev.baton.spring;

import dev.baton.lock.tck.LoopbackPorts;
import dev.baton.lock.tck.RequiredBackends;
import java.io.IOException;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The starter's contract against a real ZooKeeper server (curator-test's {@link TestingServer}, in this JVM on a free
 * loopback port; one that cannot start fails the test when {@code BATON_REQUIRE_BACKENDS} names zookeeper), with the
 * namespace in the URI's path.
 */
class BatonStarterZooKeeperIT extends StarterContract {
    private static TestingServer server;

    @BeforeAll
    static void startServer() {
        System.setProperty("zookeeper.admin.enableServer", "false");
        // A 100 ms tick as lock-zookeeper's fixture, but sessions of up to 10 s: the contract's 5 s session.
        InstanceSpec spec = new InstanceSpec(
                null,
                LoopbackPorts.reserve(),
                LoopbackPorts.reserve(),
                LoopbackPorts.reserve(),
                true,
                -1,
                100,
                0,
                Map.of("clientPortAddress", "127.0.0.1", "maxSessionTimeout", "10000"),
                "127.0.0.1");
        try {
            server = new TestingServer(spec, true);
        } catch (Exception e) {
            throw RequiredBackends.fromEnvironment()
                    .unavailable("zookeeper", "could not start a curator-test TestingServer: " + e);
        }
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Map<String, Object> connection() {
        return Map.of("baton.uri", "zookeeper://" + server.getConnectString() + "/" + unique + "?reap-interval=100ms");
    }
}
