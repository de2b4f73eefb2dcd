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
import java.util.Optional;
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
        if (uri.hosts().isEmpty()) {
            throw uri.invalid("name at least one host, as in zookeeper://zk1:2181,zk2:2181/namespace");
        }
        ZooKeeperBackend.Builder builder = ZooKeeperBackend.builder();
        uri.configure("the hosts", () -> builder.connectString(String.join(",", uri.hosts(DEFAULT_PORT))));
        if (!uri.path().isEmpty()) {
            uri.configure("the path (the namespace)", () -> builder.namespace(uri.path()));
        }
        Optional<String> password = uri.secret("password");
        if (uri.user().isPresent() != password.isPresent()) {
            throw uri.invalid(
                    uri.user().isPresent()
                            ? "user '" + uri.user().get()
                                    + "' needs a password: add password-env=VARIABLE or password=..."
                            : "a password needs a user: write zookeeper://USER@host/...");
        }
        uri.user()
                .ifPresent(user -> uri.configure("the user", () -> builder.digestAuthentication(user, password.get())));
        uri.duration("session-timeout")
                .ifPresent(t -> uri.configure("parameter 'session-timeout'", () -> builder.sessionTimeout(t)));
        uri.duration("connection-timeout")
                .ifPresent(t -> uri.configure("parameter 'connection-timeout'", () -> builder.connectionTimeout(t)));
        uri.duration("request-timeout")
                .ifPresent(t -> uri.configure("parameter 'request-timeout'", () -> builder.requestTimeout(t)));
        uri.duration("reap-interval")
                .ifPresent(t -> uri.configure("parameter 'reap-interval'", () -> builder.reapInterval(t)));
        return builder.coordinatorBuilder();
    }
}
