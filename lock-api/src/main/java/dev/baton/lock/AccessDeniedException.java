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
 * The server refused a request for lack of rights: bad or missing credentials, an unknown or expired token, or a role,
 * ACL or policy that does not grant what the operation needs. Every backend throws this one type; its message names
 * the backend, the operation and what to grant or fix (for example the etcd role, the ZooKeeper ACL or the Consul
 * policy rule). Retrying does not help until the rights change, unlike {@link BackendUnavailableException}.
 *
 * <p>Immutable and threadsafe.
 */
public class AccessDeniedException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param lockName the name of the lock, lease or election concerned, or null if none
     * @param message what was refused and what to grant or fix
     * @param cause the backend's own error, or null
     */
    public AccessDeniedException(String lockName, String message, Throwable cause) {
        super(lockName, message, cause);
    }
}
