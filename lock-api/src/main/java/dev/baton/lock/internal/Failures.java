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
