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

/** Health of a coordinator's session, the one server-side lease that everything bound to the process hangs on. */
public enum SessionState {
    /** The last renewal was acknowledged and the local deadline lies ahead. */
    CONNECTED,
    /**
     * Renewals are failing, but the local deadline has not passed: handles are still valid, and turn lost if the
     * deadline passes before a renewal succeeds.
     */
    SUSPENDED,
    /**
     * The session was lost: every session-bound handle was declared lost. The coordinator opens a fresh session in
     * the background; new acquisitions wait for it.
     */
    LOST,
    /** The coordinator was closed. */
    CLOSED
}
