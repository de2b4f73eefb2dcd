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
package dev.baton.lock;

/**
 * Thrown when the coordination server cannot be reached or did not answer in time. Nothing was acquired; any entry
 * that may have been written is cleaned up in the background.
 *
 * <p>Immutable and safe to share between threads.
 */
public class BackendUnavailableException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param lockName the lock name concerned, or {@code null}
     * @param message what failed and what to check (address, credentials, network)
     * @param cause the underlying failure, or {@code null}
     */
    public BackendUnavailableException(String lockName, String message, Throwable cause) {
        super(lockName, message, cause);
    }
}
