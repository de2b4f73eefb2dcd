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
package dev.baton.consul;

import dev.baton.lock.LockException;

/**
 * Thrown when Consul refuses a request for its ACL token: HTTP 403 (the token is missing, unknown, {@code ACL not
 * found}, or lacks a permission, {@code Permission denied}), or a transaction answered 409 with a {@code Permission
 * denied} error for one of its operations (Consul checks a transaction's operations against the token before applying
 * any). The message says which call was refused and what the token needs, for a transaction the {@code key_prefix}
 * rule; it never contains the token.
 *
 * <p>Immutable and threadsafe.
 */
public class ConsulAccessDeniedException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what was refused and what to change
     */
    public ConsulAccessDeniedException(String message) {
        super(null, message, null);
    }
}
