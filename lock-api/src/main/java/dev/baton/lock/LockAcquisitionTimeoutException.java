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

import java.time.Duration;

/**
 * Thrown when an acquisition or campaign did not succeed within the time the caller allowed. The waiter's queue
 * entry has been removed (or handed to background cleanup when the server could not be reached) when this is
 * thrown.
 *
 * <p>Immutable and safe to share between threads.
 */
public class LockAcquisitionTimeoutException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param lockName the lock name
     * @param waited how long the caller waited
     */
    public LockAcquisitionTimeoutException(String lockName, Duration waited) {
        super(
                lockName,
                "could not acquire '" + lockName + "' within " + waited
                        + "; another holder kept it. Wait longer, or use tryAcquire() to give up at once.",
                null);
    }
}
