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
 * Thrown when a read-write lock's write side is asked for the lock while a read handle of the same instance is still
 * valid: upgrading a read hold in place is refused, because two readers that both upgrade would each wait for the
 * other's read hold to end, for ever. Release the read handle, acquire the write lock, and check again what was read
 * under the read hold (another writer may have come first).
 *
 * <p>An {@link IllegalStateException}, like every misuse of a handle-owned lock. Immutable and threadsafe.
 */
public class LockUpgradeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The name of the read-write lock. */
    private final String lockName;

    /**
     * Creates the exception.
     *
     * @param lockName the read-write lock's name
     * @param readToken the fencing token of the read hold that is still valid
     */
    public LockUpgradeException(String lockName, long readToken) {
        super("'" + lockName + "' is held for reading by this instance (fencing token " + readToken + "); a read hold"
                + " cannot be upgraded to a write hold, since two readers upgrading at once would wait for each other"
                + " for ever: close the read handle, then acquire the write lock and check again what was read");
        this.lockName = lockName;
    }

    /**
     * Returns the name of the read-write lock.
     *
     * @return the name
     */
    public String lockName() {
        return lockName;
    }
}
