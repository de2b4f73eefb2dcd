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
 * The handle of a read-write lock's write hold ({@link DistributedReadWriteLock#writeLock()}): a {@link LockHandle}
 * that can also be downgraded to a read hold.
 *
 * <p>Threadsafe. {@link #close()} releases the write hold and is idempotent.
 */
public interface WriteLockHandle extends LockHandle {
    /**
     * Turns this write hold into a read hold, atomically on the server: the queue entry stays where it is, with its
     * fencing token, and only its mode changes, so no writer can get in between; readers queued behind it are let in.
     * This handle is invalid from the start of the call (its loss listeners are not called); the read hold is the
     * returned handle, which the read side of the same instance counts as its one valid handle. Blocks for one request
     * to the server.
     *
     * @return the read handle, with this handle's fencing token
     * @throws LockLostException if this handle was already released or lost, or its entry turned out gone on the
     *     server; nothing is held then
     * @throws BackendUnavailableException if the server could not be reached; nothing is held then (the entry is
     *     removed in the background)
     */
    LockHandle downgrade();
}
