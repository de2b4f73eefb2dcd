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
package dev.baton.etcd.internal;

import dev.baton.lock.AccessDeniedException;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.LockException;
import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns jetcd's asynchronous calls into the SPI's synchronous ones: waits for the answer up to a deadline and
 * translates failures into the SPI's exceptions, with messages that say what to check. Messages are built from the
 * endpoint description and the user name only, never from credentials.
 *
 * <p>Immutable and threadsafe.
 */
public final class EtcdCalls {
    /** What the client was told about TLS, so that a failed handshake can be explained in terms of the builder. */
    public enum Tls {
        /** Plain connections. */
        OFF,
        /** TLS with a trusted CA file and no client certificate. */
        SERVER_ONLY,
        /** TLS with a trusted CA file and a client certificate (mutual TLS). */
        MUTUAL,
        /** A jetcd client built by the caller: its TLS configuration is not known here. */
        UNKNOWN
    }

    /** TLS alerts a server sends when it refuses the client's certificate, or the lack of one. */
    private static final String[] CLIENT_CERTIFICATE_ALERTS = {
        "bad_certificate",
        "certificate_required",
        "unknown_ca",
        "certificate_unknown",
        "certificate_expired",
        "certificate_revoked",
        "unsupported_certificate",
        "access_denied"
    };

    private final String description;
    private final String user;
    private final String namespace;
    private final Tls tls;

    /**
     * Creates the helper for a client whose TLS configuration and namespace are not known.
     *
     * @param description where the client connects, for messages
     * @param user the user name the client authenticates as, or {@code null}
     */
    public EtcdCalls(String description, String user) {
        this(description, user, null, Tls.UNKNOWN);
    }

    /**
     * Creates the helper.
     *
     * @param description where the client connects, for messages
     * @param user the user name the client authenticates as, or {@code null}
     * @param namespace the key prefix the backend works under, ending with {@code /}, for the permission to grant; or
     *     {@code null}
     * @param tls how the client was configured for TLS, to explain failed handshakes
     */
    public EtcdCalls(String description, String user, String namespace, Tls tls) {
        this.description = description;
        this.user = user;
        this.namespace = namespace;
        this.tls = tls;
    }

    /**
     * Waits for a call's answer.
     *
     * @param call the pending call
     * @param timeout how long to wait
     * @param what the request, for messages ("Txn create-if-absent of k")
     * @param <T> the answer's type
     * @return the answer
     * @throws BackendUnavailableException if no answer came in time, or the call failed
     * @throws AccessDeniedException if etcd refused the credentials or denied the permission
     */
    public <T> T await(CompletableFuture<T> call, Duration timeout, String what) {
        try {
            return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new BackendUnavailableException(
                    null,
                    description + " did not answer " + what + " within " + timeout
                            + " (request timeout); check that etcd runs and is reachable",
                    e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException(
                    null, "interrupted while waiting for " + description + " to answer " + what, e);
        } catch (ExecutionException | CompletionException | CancellationException e) {
            throw translate(e, what);
        }
    }

    /**
     * Translates a failure of a call.
     *
     * @param failure what the call failed with
     * @param what the request, for messages
     * @return the exception to throw: {@link AccessDeniedException} for refused credentials or permissions, else
     *     {@link BackendUnavailableException}
     */
    public LockException translate(Throwable failure, String what) {
        Throwable cause = unwrap(failure);
        String message = String.valueOf(cause.getMessage());
        String lower = chainMessages(cause);
        Status.Code code = Status.fromThrowable(cause).getCode();
        SSLException handshake = sslFailure(cause);
        if (handshake != null) {
            return tlsFailure(handshake, cause);
        }
        if (lower.contains("password can not be empty") || lower.contains("username can not be empty")) {
            return denied(
                    "the jetcd client refused to authenticate " + who() + " with an empty "
                            + (lower.contains("password can not be empty") ? "password" : "user name")
                            + ": its own check, so no request reached " + description
                            + "; give the jetcd Client a non-empty user and password (or none, for a cluster without"
                            + " auth)",
                    cause);
        }
        if (lower.contains("authentication failed")
                || lower.contains("invalid user id or password")
                || (code == Status.Code.UNAUTHENTICATED && user != null)) {
            return denied(
                    description + " refused " + who() + ": authentication failed (invalid user name or password);"
                            + " check the credentials given to EtcdBackend.Builder.credentials(user, password)",
                    cause);
        }
        if (lower.contains("user name is empty") || lower.contains("user name not found")) {
            return denied(
                    description + " requires authentication and " + who() + " is not known to it (" + message
                            + "); set EtcdBackend.Builder.credentials(user, password) to a user " + grant(),
                    cause);
        }
        if (lower.contains("permission denied")) {
            return denied(
                    description + " denied " + who() + " permission for " + what + "; give " + who() + " " + grant(),
                    cause);
        }
        if (cause instanceof ClosedClientException) {
            return new BackendUnavailableException(
                    null, "the jetcd client of " + description + " was closed while calling " + what, cause);
        }
        if (code == Status.Code.UNAUTHENTICATED
                || (cause instanceof EtcdException
                        && ((EtcdException) cause).getErrorCode() == ErrorCode.UNAUTHENTICATED)) {
            return denied(
                    description + " refused " + who() + ": " + message
                            + "; check the credentials given to EtcdBackend.Builder.credentials(user, password)",
                    cause);
        }
        return new BackendUnavailableException(
                null,
                description + " failed " + what + ": " + message + "; check that etcd runs and is reachable",
                cause);
    }

    /**
     * Explains a failed TLS handshake in terms of the builder method to fix: a server certificate not signed by a
     * trusted CA, a certificate that does not name the endpoint's host, a server that refused the client's
     * certificate (or its lack of one), or a server that does not speak TLS.
     */
    private LockException tlsFailure(SSLException handshake, Throwable cause) {
        String detail = String.valueOf(handshake.getMessage());
        String lower = detail.toLowerCase(Locale.ROOT);
        String prefix = "TLS handshake with " + description + " failed (" + detail + "): ";
        if (lower.contains("pkix path")
                || lower.contains("valid certification path")
                || lower.contains("certpath")
                || lower.contains("signature check failed")) {
            return new BackendUnavailableException(
                    null,
                    prefix + "the server's certificate is not signed by a CA this client trusts; "
                            + (tls == Tls.UNKNOWN
                                    ? "give the jetcd Client's sslContext the CA that signed etcd's --cert-file"
                                    : "give EtcdBackend.Builder.tls(caCertificates) the PEM file of the CA that"
                                            + " signed etcd's --cert-file"),
                    cause);
        }
        if (lower.contains("subject alternative") || lower.contains("no name matching")) {
            return new BackendUnavailableException(
                    null,
                    prefix + "the server's certificate does not name the host of the endpoint; connect to a host"
                            + " name or IP address in its subject alternative names, or reissue it with one",
                    cause);
        }
        if (lower.contains("not an ssl/tls record") || lower.contains("unrecognized ssl message")) {
            return new BackendUnavailableException(
                    null,
                    prefix + "the server does not speak TLS on this port; use http:// endpoints without"
                            + " EtcdBackend.Builder.tls(...), or start etcd with --cert-file and --key-file",
                    cause);
        }
        for (String alert : CLIENT_CERTIFICATE_ALERTS) {
            if (lower.contains(alert)) {
                String fix;
                if (tls == Tls.MUTUAL) {
                    fix = "the server refused the client certificate; check that"
                            + " EtcdBackend.Builder.tlsClientCertificate(certificate, privateKey) names a valid"
                            + " certificate for client authentication (extendedKeyUsage clientAuth) signed by a CA"
                            + " in etcd's --trusted-ca-file";
                } else if (tls == Tls.SERVER_ONLY) {
                    fix = "the server requires a client certificate (etcd runs with --client-cert-auth) and none"
                            + " was given; set EtcdBackend.Builder.tlsClientCertificate(certificate, privateKey)"
                            + " to one signed by a CA in etcd's --trusted-ca-file";
                } else {
                    fix = "the server refused the client certificate, or its lack of one (etcd --client-cert-auth);"
                            + " give the client a certificate signed by a CA in etcd's --trusted-ca-file";
                }
                return denied(prefix + fix, cause);
            }
        }
        return new BackendUnavailableException(
                null,
                prefix
                        + (tls == Tls.UNKNOWN
                                ? "check the TLS configuration of the jetcd Client"
                                : "check the files given to EtcdBackend.Builder.tls(...) and tlsClientCertificate(...)"),
                cause);
    }

    /** The innermost {@link SSLException} in a failure's causes, or {@code null}. */
    private static SSLException sslFailure(Throwable failure) {
        SSLException found = null;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SSLException) {
                found = (SSLException) t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return found;
    }

    /**
     * Tells whether a failure is etcd's "requested lease not found".
     *
     * @param failure the failure, possibly wrapped
     * @return whether the lease does not exist
     */
    public static boolean isLeaseNotFound(Throwable failure) {
        Throwable cause = unwrap(failure);
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("lease not found");
    }

    /**
     * Strips the wrappers of asynchronous execution.
     *
     * @param failure the failure
     * @return the innermost meaningful cause
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String chainMessages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null && all.length() < 10_000; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
            if (t.getCause() == t) {
                break;
            }
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }

    private static AccessDeniedException denied(String message, Throwable cause) {
        return new AccessDeniedException(null, message, cause);
    }

    /** What to grant a user so that the backend may work: a role with read-write access to the namespace. */
    private String grant() {
        String range = namespace == null
                ? "the backend's namespace (the prefix set with EtcdBackend.Builder.namespace)"
                : "the prefix '" + namespace + "'";
        String name = user == null ? "<user>" : user;
        return "a role with read-write permission on " + range + ", for example: etcdctl role add baton-role;"
                + " etcdctl role grant-permission baton-role --prefix=true readwrite "
                + (namespace == null ? "<namespace>" : namespace)
                + "; etcdctl user grant-role " + name + " baton-role";
    }

    private String who() {
        return user == null ? "the client (no user set)" : "user '" + user + "'";
    }
}
