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
package dev.baton.lock.spi;

import dev.baton.lock.LockException;

/**
 * Thrown by a backend when a lease it was asked to use or renew no longer exists on the server (expired or revoked).
 *
 * <p>Immutable and threadsafe.
 */
public class NoSuchLeaseException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param leaseId the lease that is gone
     */
    public NoSuchLeaseException(long leaseId) {
        super(null, "lease " + Long.toHexString(leaseId) + " no longer exists on the server", null);
    }
}
