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
package dev.baton.zookeeper;

import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.spi.BackendProvider;
import dev.baton.lock.spi.ConnectionUri;
import java.util.List;
import java.util.Set;

/**
 * Serves {@code zookeeper://[user@]host[:port][,host[:port]...][/namespace][?parameters]} connection URIs ({@link
 * dev.baton.lock.Coordinator#builder(String)}) through {@link ZooKeeperBackend.Builder}: the hosts are the connect
 * string (port 2181 by default), the path Baton's namespace (not a connect-string chroot), the user and {@code
 * password}/{@code password-env} digest authentication; {@code session-timeout}, {@code connection-timeout}, {@code
 * request-timeout} and {@code reap-interval} are the builder's settings of those names.
 *
 * <p>Threadsafe (stateless). Found by {@link java.util.ServiceLoader}; not meant to be called directly.
 */
public final class ZooKeeperBackendProvider implements BackendProvider {
    private static final int DEFAULT_PORT = 2181;

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public ZooKeeperBackendProvider() {}

    @Override
    public Set<String> schemes() {
        return Set.of("zookeeper");
    }

    @Override
    public Set<String> parameters() {
        return Set.of(
                "password",
                "password-env",
                "session-timeout",
                "connection-timeout",
                "request-timeout",
                "reap-interval");
    }

    @Override
    public CoordinatorBuilder coordinatorBuilder(ConnectionUri uri) {
        List<String> hosts = uri.requiredHosts(DEFAULT_PORT, "zookeeper://zk1:2181,zk2:2181/namespace");
        ZooKeeperBackend.Builder builder = ZooKeeperBackend.builder();
        uri.configure("the hosts", () -> builder.connectString(String.join(",", hosts)));
        uri.configurePath("the namespace", builder::namespace);
        uri.configureUserAndPassword(builder::digestAuthentication);
        uri.configureDuration("session-timeout", builder::sessionTimeout);
        uri.configureDuration("connection-timeout", builder::connectionTimeout);
        uri.configureDuration("request-timeout", builder::requestTimeout);
        uri.configureDuration("reap-interval", builder::reapInterval);
        return builder.coordinatorBuilder();
    }
}
