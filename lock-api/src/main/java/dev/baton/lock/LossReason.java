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

/** Why a {@link LockHandle} or {@link Leadership} stopped being valid. */
public enum LossReason {
    /** The holder released it ({@link LockHandle#close()} or {@link Leadership#close()}). */
    RELEASED,
    /**
     * The coordinator could not renew its session before the local deadline (a safety margin ahead of the server's
     * expiry), or the server reported the session gone. Declared before the server can hand the lock over.
     */
    SESSION_LOST,
    /** The lock's own TTL ran out: a TTL lock reached its fixed expiry, or a lease was not renewed in time. */
    EXPIRED,
    /** The server no longer holds the holder's entry (deleted by an operator, or its lease revoked). */
    ENTRY_REMOVED,
    /** The coordinator was closed while the lock was held. */
    COORDINATOR_CLOSED
}
