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
 * Root of the unchecked exceptions Baton throws for coordination failures. Carries the lock (or election) name the
 * failure concerns, when there is one.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public class LockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The name of the lock or election concerned; {@code null} for failures not tied to one name. */
    private final String lockName;

    /**
     * Creates an exception.
     *
     * @param lockName the lock or election name concerned, or {@code null}
     * @param message what went wrong and what to change
     * @param cause the underlying failure, or {@code null}
     */
    public LockException(String lockName, String message, Throwable cause) {
        super(message, cause);
        this.lockName = lockName;
    }

    /**
     * Returns the name of the lock or election the failure concerns.
     *
     * @return the name, or {@code null} when the failure is not tied to one name
     */
    public String lockName() {
        return lockName;
    }
}
