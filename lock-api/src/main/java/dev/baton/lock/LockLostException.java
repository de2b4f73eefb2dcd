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
 * Thrown when an operation needs a lock, lease or leadership that has been lost (expired, session lost, entry
 * deleted on the server, or released). A holder that sees this must stop touching the protected resource.
 *
 * <p>Immutable and safe to share between threads.
 */
public class LockLostException extends LockException {
    private static final long serialVersionUID = 1L;

    /** Why the lock was lost. */
    private final LossReason reason;

    /**
     * Creates an exception.
     *
     * @param lockName the lock name
     * @param reason why the lock was lost
     * @param message details
     * @param cause the underlying failure, or {@code null}
     */
    public LockLostException(String lockName, LossReason reason, String message, Throwable cause) {
        super(lockName, message, cause);
        this.reason = reason;
    }

    /**
     * Returns why the lock was lost.
     *
     * @return the reason, never {@code null}
     */
    public LossReason reason() {
        return reason;
    }
}
