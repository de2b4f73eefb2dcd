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
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorBuilder;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLException;

/**
 * Builds a {@link Coordinator} (or just the {@link EtcdBackend}) over an etcd cluster.
 *
 * <pre>{@code
 * Coordinator coordinator = EtcdCoordinatorBuilder.create()
 *         .endpoints("http://etcd-0:2379", "http://etcd-1:2379", "http://etcd-2:2379")
 *         .namespace("myapp/locks")
 *         .credentials("myapp", System.getenv("ETCD_PASSWORD"))
 *         .sessionTtl(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 *
 * <p>Either give endpoints (and optionally credentials and TLS), and the backend builds its own jetcd {@link Client}
 * and closes it with the coordinator; or give a {@link Client} you built, which is then used as it is and never
 * closed by Baton.
 *
 * <p>Not threadsafe; what it builds is. The password is kept only to hand it to jetcd and never appears in {@link
 * #toString()}, descriptions, messages or logs.
 */
public final class EtcdCoordinatorBuilder {
    /** The namespace used when none is set. */
    public static final String DEFAULT_NAMESPACE = "baton/";

    /** The request timeout used when none is set. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The minimum TTL used when none is set: etcd's own minimum with its default election timeout of 1 s (1.5 × the
     * election timeout, rounded up to whole seconds).
     */
    public static final Duration DEFAULT_MINIMUM_TTL = Duration.ofSeconds(2);

    private final List<String> endpoints = new ArrayList<>();
    private Client client;
    private String namespace = DEFAULT_NAMESPACE;
    private String user;
    private byte[] password;
    private Path trustedCertificates;
    private Path clientCertificate;
    private Path clientKey;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration minimumTtl = DEFAULT_MINIMUM_TTL;
    private Duration sessionTtl;
    private Duration safetyMargin;
    private Executor callbackExecutor;
    private Executor blockingExecutor;

    private EtcdCoordinatorBuilder() {}

    /**
     * Starts a builder.
     *
     * @return a new builder with the defaults
     */
    public static EtcdCoordinatorBuilder create() {
        return new EtcdCoordinatorBuilder();
    }

    /**
     * Sets the etcd endpoints to connect to; requests are spread over them and fail over between them.
     *
     * @param urls one or more URLs such as {@code http://127.0.0.1:2379} ({@code https://} with TLS)
     * @return this builder
     * @throws IllegalArgumentException if a URL lacks the scheme, host or port
     * @throws NullPointerException if {@code urls} or one of them is null
     */
    public EtcdCoordinatorBuilder endpoints(String... urls) {
        Objects.requireNonNull(urls, "endpoints must not be null");
        if (urls.length == 0) {
            throw new IllegalArgumentException("endpoints must name at least one URL such as http://127.0.0.1:2379");
        }
        List<String> checked = new ArrayList<>();
        for (String url : urls) {
            checked.add(checkEndpoint(url));
        }
        endpoints.clear();
        endpoints.addAll(checked);
        return this;
    }

    /**
     * Uses a jetcd client you built instead of endpoints, credentials and TLS. The client is never closed by Baton;
     * close it yourself after the coordinator. Keys still go under {@link #namespace(String)}, inside any namespace
     * the client itself has.
     *
     * @param client the client
     * @return this builder
     * @throws NullPointerException if {@code client} is null
     */
    public EtcdCoordinatorBuilder client(Client client) {
        this.client = Objects.requireNonNull(client, "client must not be null");
        return this;
    }

    /**
     * Sets the key prefix every key of this coordinator lives under; coordinators that should coordinate with each
     * other must use the same one. A trailing {@code /} is added when missing.
     *
     * @param namespace the prefix; {@value #DEFAULT_NAMESPACE} by default
     * @return this builder
     * @throws IllegalArgumentException if it is blank, just {@code /}, or holds control characters
     * @throws NullPointerException if {@code namespace} is null
     */
    public EtcdCoordinatorBuilder namespace(String namespace) {
        this.namespace = dev.baton.etcd.internal.EtcdKeys.normalize(namespace);
        return this;
    }

    /**
     * Sets the user and password to authenticate with, for a cluster with auth enabled. A wrong pair makes {@link
     * #build()} throw {@link EtcdAuthenticationException} naming the user; the password is never logged or shown.
     *
     * @param user the user name
     * @param password the password
     * @return this builder
     * @throws IllegalArgumentException if {@code user} or {@code password} is empty (jetcd itself refuses to
     *     authenticate with an empty password, before sending anything)
     * @throws NullPointerException if either is null
     */
    public EtcdCoordinatorBuilder credentials(String user, String password) {
        Objects.requireNonNull(user, "user must not be null");
        Objects.requireNonNull(password, "password must not be null");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("user must not be empty");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the password of user '" + user + "' is empty: the jetcd client refuses"
                    + " to authenticate with an empty password (its own check; no request would reach etcd). Give"
                    + " the user's password, or leave credentials(...) unset for a cluster without auth");
        }
        this.user = user;
        this.password = password.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /**
     * Connects with TLS, trusting the certificate authorities in a PEM file. Every endpoint must then use {@code
     * https://}. A server certificate that no CA of the file signed, or that does not name the endpoint's host, makes
     * {@link #build()} fail with a {@link BackendUnavailableException} saying so; a server that requires a client
     * certificate ({@code --client-cert-auth}) when none is set makes it fail with {@link
     * EtcdAuthenticationException} naming {@link #tlsClientCertificate(Path, Path)}.
     *
     * @param caCertificates a PEM file of trusted CA certificates
     * @return this builder
     * @throws IllegalArgumentException if the file cannot be read
     * @throws NullPointerException if the path is null
     */
    public EtcdCoordinatorBuilder tls(Path caCertificates) {
        this.trustedCertificates = readable("caCertificates", caCertificates);
        return this;
    }

    /**
     * Presents a client certificate (mutual TLS); needs {@link #tls(Path)} too. A certificate the server refuses
     * makes {@link #build()} fail with {@link EtcdAuthenticationException}.
     *
     * @param certificate a PEM file with the client's certificate chain
     * @param privateKey a PEM file with its private key, in PKCS#8
     * @return this builder
     * @throws IllegalArgumentException if a file cannot be read
     * @throws NullPointerException if a path is null
     */
    public EtcdCoordinatorBuilder tlsClientCertificate(Path certificate, Path privateKey) {
        this.clientCertificate = readable("certificate", certificate);
        this.clientKey = readable("privateKey", privateKey);
        return this;
    }

    /**
     * Sets how long one request may take before it fails with {@link BackendUnavailableException}; lease keep-alives
     * wait at most a third of their TTL, if that is shorter.
     *
     * @param timeout the timeout, positive; 5 s by default
     * @return this builder
     * @throws IllegalArgumentException if it is zero or negative
     * @throws NullPointerException if {@code timeout} is null
     */
    public EtcdCoordinatorBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = positive("requestTimeout", timeout);
        return this;
    }

    /**
     * Sets the shortest lease TTL the cluster honours: 1.5 × its {@code --election-timeout}, rounded up to whole
     * seconds (2 s for etcd's default 1 s election timeout, the default here). Shorter session, lock and lease TTLs
     * are rejected with a message naming this limit instead of being raised silently by etcd.
     *
     * @param minimum the minimum, at least 1 s
     * @return this builder
     * @throws IllegalArgumentException if it is below 1 s
     * @throws NullPointerException if {@code minimum} is null
     */
    public EtcdCoordinatorBuilder minimumTtl(Duration minimum) {
        Objects.requireNonNull(minimum, "minimumTtl must not be null");
        if (minimum.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(
                    "minimumTtl must be at least 1 s: etcd counts lease TTLs in whole seconds, got " + minimum);
        }
        this.minimumTtl = minimum;
        return this;
    }

    /**
     * Sets the coordinator's session TTL (see {@link CoordinatorBuilder#sessionTtl(Duration)}).
     *
     * @param ttl the TTL, at least the minimum TTL; 10 s by default
     * @return this builder
     * @throws IllegalArgumentException if it is zero or negative
     * @throws NullPointerException if {@code ttl} is null
     */
    public EtcdCoordinatorBuilder sessionTtl(Duration ttl) {
        this.sessionTtl = positive("sessionTtl", ttl);
        return this;
    }

    /**
     * Sets the coordinator's safety margin (see {@link CoordinatorBuilder#safetyMargin(Duration)}).
     *
     * @param margin the margin, less than half the session TTL; a fifth of it by default
     * @return this builder
     * @throws IllegalArgumentException if it is zero or negative
     * @throws NullPointerException if {@code margin} is null
     */
    public EtcdCoordinatorBuilder safetyMargin(Duration margin) {
        this.safetyMargin = positive("safetyMargin", margin);
        return this;
    }

    /**
     * Sets the executor for user callbacks (see {@link CoordinatorBuilder#callbackExecutor(Executor)}); never a
     * jetcd thread.
     *
     * @param executor the executor; not shut down by the coordinator
     * @return this builder
     * @throws NullPointerException if {@code executor} is null
     */
    public EtcdCoordinatorBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor must not be null");
        return this;
    }

    /**
     * Sets the executor for the recipes' blocking etcd calls (see {@link
     * CoordinatorBuilder#blockingExecutor(Executor)}).
     *
     * @param executor the executor; not shut down by the coordinator
     * @return this builder
     * @throws NullPointerException if {@code executor} is null
     */
    public EtcdCoordinatorBuilder blockingExecutor(Executor executor) {
        this.blockingExecutor = Objects.requireNonNull(executor, "blockingExecutor must not be null");
        return this;
    }

    /**
     * Builds the backend alone, for {@link Coordinator#builder(dev.baton.lock.spi.CoordinationBackend)} or tests. No
     * request is made yet.
     *
     * @return the backend; close it when done
     * @throws IllegalStateException if neither endpoints nor a client were set, or both, or a client was set together
     *     with credentials or TLS, or a client certificate without {@link #tls(Path)}, or {@code https://} endpoints
     *     without {@link #tls(Path)}, or {@link #tls(Path)} with {@code http://} endpoints
     * @throws IllegalArgumentException if the TLS files cannot be loaded
     */
    public EtcdBackend buildBackend() {
        if (client != null) {
            if (!endpoints.isEmpty()) {
                throw new IllegalStateException("set either endpoints(...) or client(...), not both");
            }
            if (user != null || trustedCertificates != null || clientCertificate != null) {
                throw new IllegalStateException("credentials and TLS belong to the jetcd Client given to client(...);"
                        + " configure them on its ClientBuilder instead");
            }
            return new EtcdBackend(
                    client,
                    false,
                    namespace,
                    requestTimeout,
                    minimumTtl,
                    "through a jetcd Client given by the caller",
                    null,
                    EtcdCalls.Tls.UNKNOWN);
        }
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
        Client built = builder.build();
        EtcdCalls.Tls tls = trustedCertificates == null
                ? EtcdCalls.Tls.OFF
                : clientCertificate == null ? EtcdCalls.Tls.SERVER_ONLY : EtcdCalls.Tls.MUTUAL;
        return new EtcdBackend(
                built, true, namespace, requestTimeout, minimumTtl, String.join(",", endpoints), user, tls);
    }

    /**
     * Builds the backend and a coordinator over it: reads the namespace once (so that missing credentials or
     * permissions fail here, with a clear message) and opens the session (one lease grant). The coordinator closes the
     * backend when it closes.
     *
     * @return the coordinator
     * @throws IllegalStateException as {@link #buildBackend()}
     * @throws IllegalArgumentException if the session TTL is below {@link #minimumTtl(Duration)} or the margin is not
     *     less than half of it
     * @throws EtcdAuthenticationException if etcd refused the credentials, or the TLS client certificate or its lack
     * @throws BackendUnavailableException if etcd could not be reached, or the TLS handshake failed (the message says
     *     why: for example a server certificate not signed by a CA given to {@link #tls(Path)})
     */
    public Coordinator build() {
        EtcdBackend backend = buildBackend();
        try {
            backend.checkAccess();
            backend.inspectCluster();
            CoordinatorBuilder builder = Coordinator.builder(backend).closeBackendOnClose(true);
            if (sessionTtl != null) {
                builder.sessionTtl(sessionTtl);
            }
            if (safetyMargin != null) {
                builder.safetyMargin(safetyMargin);
            }
            if (callbackExecutor != null) {
                builder.callbackExecutor(callbackExecutor);
            }
            if (blockingExecutor != null) {
                builder.blockingExecutor(blockingExecutor);
            }
            return builder.build();
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "EtcdCoordinatorBuilder{endpoints=" + endpoints + ", client=" + (client != null) + ", namespace="
                + namespace + ", user=" + user + ", password=" + (password == null ? "unset" : "set") + ", tls="
                + (trustedCertificates != null) + ", requestTimeout=" + requestTimeout + ", minimumTtl=" + minimumTtl
                + "}";
    }

    private static String checkEndpoint(String url) {
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

    private static Path readable(String argument, Path path) {
        Objects.requireNonNull(path, argument + " must not be null");
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(argument + " file " + path + " does not exist or is not readable");
        }
        return path;
    }

    private static Duration positive(String argument, Duration d) {
        Objects.requireNonNull(d, argument + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(argument + " must be positive, got " + d);
        }
        return d;
    }
}
