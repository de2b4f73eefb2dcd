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
package dev.baton.etcd;

import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.spi.BackendProvider;
import dev.baton.lock.spi.ConnectionUri;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Serves {@code etcd://[user@]host[:port][,host[:port]...][/namespace][?parameters]} connection URIs ({@link
 * dev.baton.lock.Coordinator#builder(String)}) through {@link EtcdBackend.Builder}: the hosts are the endpoints (port
 * 2379 by default), the path the namespace, the user and {@code password}/{@code password-env} the credentials;
 * {@code tls-ca} (a PEM file) turns TLS on for every endpoint, {@code tls-cert} and {@code tls-key} add a client
 * certificate; {@code request-timeout} and {@code minimum-ttl} are the builder's settings of those names.
 *
 * <p>Threadsafe (stateless). Found by {@link java.util.ServiceLoader}; not meant to be called directly.
 */
public final class EtcdBackendProvider implements BackendProvider {
    private static final int DEFAULT_PORT = 2379;

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public EtcdBackendProvider() {}

    @Override
    public Set<String> schemes() {
        return Set.of("etcd");
    }

    @Override
    public Set<String> parameters() {
        return Set.of("password", "password-env", "tls-ca", "tls-cert", "tls-key", "request-timeout", "minimum-ttl");
    }

    @Override
    public CoordinatorBuilder coordinatorBuilder(ConnectionUri uri) {
        List<String> hosts = uri.requiredHosts(DEFAULT_PORT, "etcd://host1:2379,host2:2379/namespace");
        EtcdBackend.Builder builder = EtcdBackend.builder();
        Optional<String> ca = uri.parameter("tls-ca");
        String protocol = ca.isPresent() ? "https://" : "http://";
        List<String> endpoints = hosts.stream().map(h -> protocol + h).toList();
        uri.configure("the hosts", () -> builder.endpoints(endpoints.toArray(String[]::new)));
        uri.configurePath("the namespace", builder::namespace);
        uri.configureUserAndPassword(builder::credentials);
        Optional<String> cert = uri.parameter("tls-cert");
        Optional<String> key = uri.parameter("tls-key");
        if (cert.isPresent() != key.isPresent() || (cert.isPresent() && ca.isEmpty())) {
            throw uri.invalid("a client certificate needs all of tls-ca, tls-cert and tls-key");
        }
        ca.ifPresent(file -> uri.configure("parameter 'tls-ca'", () -> builder.tls(Path.of(file))));
        if (cert.isPresent()) {
            uri.configure(
                    "parameters 'tls-cert' and 'tls-key'",
                    () -> builder.tlsClientCertificate(Path.of(cert.get()), Path.of(key.get())));
        }
        uri.configureDuration("request-timeout", builder::requestTimeout);
        uri.configureDuration("minimum-ttl", builder::minimumTtl);
        return builder.coordinatorBuilder();
    }
}
