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

import dev.baton.etcd.internal.EtcdCalls;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The jetcd client a backend works through, and what is known of it: either built here from the settings of {@link
 * EtcdBackend.Builder} (endpoints, credentials, TLS), and then owned by the backend, or given by the caller.
 *
 * @param client the client
 * @param owned whether the backend closes it
 * @param where the endpoints, for the description
 * @param user the user it authenticates as, or null
 * @param tls what it was told about TLS
 * @param sslContext its TLS context, or null (plain connections, or a caller's client)
 */
record JetcdConnection(
        Client client, boolean owned, String where, String user, EtcdCalls.Tls tls, SslContext sslContext) {

    /** A client given by the caller: its endpoints, credentials and TLS settings are its own. */
    static JetcdConnection given(Client client) {
        return new JetcdConnection(
                client, false, "through a jetcd Client given by the caller", null, EtcdCalls.Tls.UNKNOWN, null);
    }

    /**
     * Builds a client from the builder's settings. No request is made yet.
     *
     * @throws IllegalStateException if there are no endpoints, or a client certificate without a CA, or https
     *     endpoints without a CA, or a CA with http endpoints
     * @throws IllegalArgumentException if the TLS files cannot be loaded
     */
    static JetcdConnection build(
            List<String> endpoints,
            String user,
            byte[] password,
            Path trustedCertificates,
            Path clientCertificate,
            Path clientKey,
            Duration requestTimeout) {
        if (endpoints.isEmpty()) {
            throw new IllegalStateException(
                    "no etcd to connect to: set endpoints(\"http://host:2379\", ...) or client(aJetcdClient)");
        }
        if (clientCertificate != null && trustedCertificates == null) {
            throw new IllegalStateException("tlsClientCertificate(...) needs tls(caCertificates) too");
        }
        for (String endpoint : endpoints) {
            boolean https = endpoint.regionMatches(true, 0, "https:", 0, 6);
            if (https && trustedCertificates == null) {
                throw new IllegalStateException("endpoint " + endpoint + " uses https but no CA was given: set"
                        + " tls(caCertificates) to the PEM file of the CA that signed etcd's certificate");
            }
            if (!https && trustedCertificates != null) {
                throw new IllegalStateException("tls(...) is set but endpoint " + endpoint + " is not https: use"
                        + " https://host:port for every endpoint of a cluster that serves TLS");
            }
        }
        ClientBuilder builder = Client.builder()
                .endpoints(endpoints.toArray(new String[0]))
                .connectTimeout(requestTimeout)
                // jetcd retries reads that failed with UNAVAILABLE (twice, 0.5 s then 1 s apart). Keep its retries
                // within the first half of the request timeout, so that a call failing fast every time (a TLS
                // handshake refused, a port with nothing listening) reports that failure before the caller's own
                // deadline turns it into a bare "did not answer within".
                .retryMaxDuration(requestTimeout.dividedBy(2))
                // jetcd's first retry comes 0.5 s after the failure, and its retry policy refuses a maximum duration
                // that is not longer than that: with a request timeout of 1 s or less, retry sooner.
                .retryDelay(
                        Math.max(1, Math.min(500, requestTimeout.dividedBy(8).toMillis())))
                // Fail a call at once while no endpoint is reachable, rather than queueing it to run, perhaps, after
                // the caller has given up on it.
                .waitForReady(false);
        if (user != null) {
            builder.user(ByteSequence.from(user, StandardCharsets.UTF_8)).password(ByteSequence.from(password));
        }
        if (trustedCertificates != null) {
            Path ca = trustedCertificates;
            Path cert = clientCertificate;
            Path key = clientKey;
            try {
                builder.sslContext(ssl -> {
                    ssl.trustManager(ca.toFile());
                    if (cert != null) {
                        ssl.keyManager(cert.toFile(), key.toFile());
                    }
                });
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "could not load the TLS files (CA " + ca
                                + (cert == null ? "" : ", certificate " + cert + ", key " + key) + "): "
                                + e.getMessage() + "; the key must be PEM in PKCS#8",
                        e);
            }
        }
        EtcdCalls.Tls tls = trustedCertificates == null
                ? EtcdCalls.Tls.OFF
                : clientCertificate == null ? EtcdCalls.Tls.SERVER_ONLY : EtcdCalls.Tls.MUTUAL;
        return new JetcdConnection(builder.build(), true, String.join(",", endpoints), user, tls, builder.sslContext());
    }

    /**
     * Checks an endpoint URL.
     *
     * @throws IllegalArgumentException if it lacks the scheme, host or port, or carries credentials
     */
    static String checkEndpoint(String url) {
        Objects.requireNonNull(url, "endpoint must not be null");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "endpoint '" + url + "' is not a URL; use the form http://127.0.0.1:2379 or https://host:2379", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!Arrays.asList("http", "https").contains(scheme) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException(
                    "endpoint '" + url + "' must have a scheme, host and port, such as http://127.0.0.1:2379");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("endpoint '" + uri.getHost() + ":" + uri.getPort()
                    + "' must not carry credentials in the URL; use credentials(user, password)");
        }
        return url;
    }

    /**
     * Checks that a TLS file can be read.
     *
     * @throws IllegalArgumentException if it does not exist or is not readable
     */
    static Path readable(String argument, Path path) {
        Objects.requireNonNull(path, argument + " must not be null");
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(argument + " file " + path + " does not exist or is not readable");
        }
        return path;
    }
}
