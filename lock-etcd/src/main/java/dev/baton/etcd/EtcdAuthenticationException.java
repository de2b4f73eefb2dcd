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

import dev.baton.lock.BackendUnavailableException;

/**
 * Thrown when etcd refuses the client's credentials (wrong user name or password, authentication required but no
 * credentials given; with mutual TLS, a client certificate it does not accept, or none when it requires one) or
 * denies it access to the namespace. A {@link BackendUnavailableException}, since nothing can
 * be done on the server until the configuration is fixed; the message says which user was refused and what to check,
 * and never contains the password.
 *
 * <p>Immutable and safe to share between threads.
 */
public class EtcdAuthenticationException extends BackendUnavailableException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what was refused and what to change; must not contain secrets
     * @param cause the client library's error, or {@code null}
     */
    public EtcdAuthenticationException(String message, Throwable cause) {
        super(null, message, cause);
    }
}
