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
package dev.baton.zookeeper.internal;

import dev.baton.lock.BackendUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds, starts and connects the Curator client of a backend that owns its client, and checks one the user gave.
 *
 * <p>Stateless and threadsafe.
 */
public final class CuratorConnector {
    private static final Logger log = LoggerFactory.getLogger(CuratorConnector.class);

    private CuratorConnector() {}

    /** The settings of a client the backend builds. */
    public record Settings(
            String connectString,
            Duration sessionTimeout,
            Duration connectionTimeout,
            Duration requestTimeout,
            String digestUser,
            String digestPassword) {
        @Override
        public String toString() {
            // Never the password.
            return "Settings[" + connectString + ", session " + sessionTimeout + ", user " + digestUser + "]";
        }
    }

    /**
     * Checks that a client the user gave can be used: it was started and is not closed.
     *
     * @throws IllegalStateException naming what to do
     */
    public static void requireStarted(CuratorFramework curator) {
        CuratorFrameworkState state = curator.getState();
        if (state == CuratorFrameworkState.LATENT) {
            throw new IllegalStateException("the CuratorFramework given to curator(...) was never started: call its"
                    + " start() before building the ZooKeeper backend (the backend never starts or closes a client it"
                    + " is given)");
        }
        if (state == CuratorFrameworkState.STOPPED) {
            throw new IllegalStateException("the CuratorFramework given to curator(...) is closed: give a started"
                    + " client, and close it only after the backend");
        }
    }

    /**
     * Builds and starts a client and waits for its connection; closes it again if that fails.
     *
     * @param settings the client's settings
     * @param description the backend's description, which starts the messages
     * @param identity who the client authenticates as, for the messages
     * @return the connected client
     * @throws BackendUnavailableException if not connected within the connection timeout (its cause: ZooKeeper's
     *     ConnectionLoss) or interrupted
     * @throws dev.baton.lock.AccessDeniedException if the server rejected the credentials
     */
    public static CuratorFramework connect(Settings settings, String description, String identity) {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(
                ZKClientConfig.ZOOKEEPER_REQUEST_TIMEOUT,
                Long.toString(settings.requestTimeout().toMillis()));
        CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder()
                .connectString(settings.connectString())
                .sessionTimeoutMs(Math.toIntExact(settings.sessionTimeout().toMillis()))
                .connectionTimeoutMs(
                        Math.toIntExact(settings.connectionTimeout().toMillis()))
                .retryPolicy(new RetryNTimes(3, 100))
                .zkClientConfig(config);
        if (settings.digestUser() != null) {
            b.authorization(
                    "digest",
                    (settings.digestUser() + ":" + settings.digestPassword()).getBytes(StandardCharsets.UTF_8));
        }
        CuratorFramework client = b.build();
        client.start();
        long waitMillis = settings.connectionTimeout().toMillis();
        try {
            if (!client.blockUntilConnected(Math.toIntExact(waitMillis), TimeUnit.MILLISECONDS)) {
                throw new ZkCalls(client, description, identity)
                        .notConnected("the first connection", stateOf(client), waitMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new BackendUnavailableException(null, description + ": interrupted while connecting to ZooKeeper", e);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        warnIfGrantedLess(client, settings);
        return client;
    }

    private static ZooKeeper.States stateOf(CuratorFramework client) {
        try {
            return client.getZookeeperClient().getZooKeeper().getState();
        } catch (Exception e) {
            return ZooKeeper.States.NOT_CONNECTED;
        }
    }

    private static void warnIfGrantedLess(CuratorFramework client, Settings settings) {
        long granted;
        try {
            granted = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
        } catch (Exception e) {
            return;
        }
        if (granted < settings.sessionTimeout().toMillis()) {
            log.warn(
                    "ZooKeeper at {} granted a session timeout of {} ms instead of the {} asked for (the server's"
                            + " maxSessionTimeout); leases with a longer TTL, such as a coordinator session longer"
                            + " than that, are persistent nodes that only the reaper expires",
                    settings.connectString(),
                    granted,
                    settings.sessionTimeout());
        }
    }
}
