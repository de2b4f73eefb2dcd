package dev.baton.lock.internal;

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.LockException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Maps failures of backend calls and futures onto the API's exception types. */
final class Failures {
    private Failures() {}

    /** Attaches the lock name to a backend failure, keeping its type; anything unexpected stays as it is. */
    static RuntimeException translate(String lockName, RuntimeException e) {
        if (e instanceof BackendUnavailableException && ((LockException) e).lockName() == null) {
            return new BackendUnavailableException(lockName, e.getMessage(), e);
        }
        return e;
    }

    /** Unwraps the cause of a failed future so that blocking calls throw what the async form reports. */
    static RuntimeException unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new LockException(null, "unexpected failure: " + cause, cause);
    }
}
