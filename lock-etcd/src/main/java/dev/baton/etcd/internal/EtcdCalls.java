package dev.baton.etcd.internal;

import dev.baton.etcd.EtcdAuthenticationException;
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

/**
 * Turns jetcd's asynchronous calls into the SPI's synchronous ones: waits for the answer up to a deadline and
 * translates failures into the SPI's exceptions, with messages that say what to check. Messages are built from the
 * endpoint description and the user name only, never from credentials.
 *
 * <p>Immutable and threadsafe.
 */
public final class EtcdCalls {
    private final String description;
    private final String user;

    /**
     * Creates the helper.
     *
     * @param description where the client connects, for messages
     * @param user the user name the client authenticates as, or {@code null}
     */
    public EtcdCalls(String description, String user) {
        this.description = description;
        this.user = user;
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
     * @throws EtcdAuthenticationException if etcd refused the credentials
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
     * @return the exception to throw
     */
    public LockException translate(Throwable failure, String what) {
        Throwable cause = unwrap(failure);
        String message = String.valueOf(cause.getMessage());
        String lower = chainMessages(cause);
        Status.Code code = Status.fromThrowable(cause).getCode();
        if (lower.contains("authentication failed")
                || lower.contains("invalid user id or password")
                || (code == Status.Code.UNAUTHENTICATED && user != null)) {
            return new EtcdAuthenticationException(
                    description + " refused " + who() + ": authentication failed (invalid user name or password);"
                            + " check the credentials given to EtcdCoordinatorBuilder.credentials(user, password)",
                    cause);
        }
        if (lower.contains("user name is empty") || lower.contains("user name not found")) {
            return new EtcdAuthenticationException(
                    description + " requires authentication and " + who() + " is not known to it (" + message
                            + "); set EtcdCoordinatorBuilder.credentials(user, password)",
                    cause);
        }
        if (lower.contains("permission denied")) {
            return new EtcdAuthenticationException(
                    description + " denied " + who() + " permission for " + what
                            + "; grant the user's role read-write access to the backend's namespace",
                    cause);
        }
        if (cause instanceof ClosedClientException) {
            return new BackendUnavailableException(
                    null, "the jetcd client of " + description + " was closed while calling " + what, cause);
        }
        if (code == Status.Code.UNAUTHENTICATED
                || (cause instanceof EtcdException
                        && ((EtcdException) cause).getErrorCode() == ErrorCode.UNAUTHENTICATED)) {
            return new EtcdAuthenticationException(
                    description + " refused " + who() + ": " + message + "; check the credentials", cause);
        }
        return new BackendUnavailableException(
                null,
                description + " failed " + what + ": " + message + "; check that etcd runs and is reachable",
                cause);
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

    private String who() {
        return user == null ? "the client (no user set)" : "user '" + user + "'";
    }
}
