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
import java.util.Objects;

/**
 * The handle of a TTL lock ({@link Coordinator#lock(String, LockOptions)} with {@link LockOptions#ttl(Duration)}):
 * a {@link LockHandle} that can also be extended, as ShedLock's {@code SimpleLock.extend} does. Every handle a TTL
 * lock gives is one; {@link #of(LockHandle)} casts with a message that says what to change when it is not.
 *
 * <pre>{@code
 * TtlLockHandle job = TtlLockHandle.of(coordinator.lock("reports/nightly", LockOptions.ttl(ttl)).acquire());
 * job.extend(Duration.ofMinutes(5)); // now expires 5 minutes from now, on the server
 * }</pre>
 *
 * <p>Threadsafe. Extensions of one handle run one at a time; {@link #close()} during an extension waits for it in the
 * background, never on the caller's thread.
 */
public interface TtlLockHandle extends LockHandle {
    /**
     * Returns the handle of a TTL lock as a {@code TtlLockHandle}.
     *
     * @param handle a handle from a lock built with {@link LockOptions#ttl(Duration)}
     * @return the same handle
     * @throws IllegalArgumentException if {@code handle} is not a TTL lock's (a mutex is held as long as its session,
     *     and a lease is renewed with {@link LeaseHandle#renew()})
     * @throws NullPointerException if {@code handle} is null
     */
    static TtlLockHandle of(LockHandle handle) {
        Objects.requireNonNull(handle, "handle must not be null");
        if (handle instanceof TtlLockHandle) {
            return (TtlLockHandle) handle;
        }
        throw new IllegalArgumentException("'" + handle.name() + "' is not a TTL lock's handle (" + handle
                + "); acquire it from coordinator.lock(name, LockOptions.ttl(...)) to extend it");
    }

    /**
     * Replaces the lock's TTL: it now expires {@code ttl} from now, measured on the server (a lease of that TTL is
     * granted and the lock moved onto it), whether that is later or earlier than before. Blocks for two requests to
     * the server (three after an extension whose answer was lost). Once confirmed, the local deadline is {@code ttl}
     * minus the safety margin from when this call sent its grant, as at acquisition, so the holder is still told of
     * the expiry before the server can hand the lock to anyone else. An extension that fails or whose answer is lost never moves the local deadline later
     * (it may move it earlier: to what the extension would have given, if that is earlier). A {@linkplain
     * LockOptions#holdAtLeast(Duration) minimum hold} is kept, but never beyond the new expiry.
     *
     * @param ttl how long from now the lock is held at most, within the backend's TTL limits
     * @throws IllegalArgumentException if {@code ttl} is zero, negative or outside the backend's TTL limits, naming
     *     the limit to respect
     * @throws NullPointerException if {@code ttl} is null
     * @throws LockLostException if the lock was already released or lost, or turned out lost on the server
     * @throws BackendUnavailableException if the server could not be reached or its answer was lost; the lock is
     *     held until its local deadline, which has not moved later
     */
    void extend(Duration ttl);

    /**
     * Extends the lock as {@link #extend(Duration)} does and replaces its minimum hold with {@code minimumHold} from
     * now (ShedLock's {@code SimpleLock.extend(lockAtMostFor, lockAtLeastFor)}): a release earlier than that keeps
     * the lock on the server until then.
     *
     * @param ttl how long from now the lock is held at most, within the backend's TTL limits
     * @param minimumHold how long from now the lock stays taken at least, from zero to {@code ttl}
     * @throws IllegalArgumentException if {@code ttl} is zero, negative or outside the backend's TTL limits, or
     *     {@code minimumHold} is negative or longer than {@code ttl}
     * @throws NullPointerException if an argument is null
     * @throws LockLostException if the lock was already released or lost, or turned out lost on the server
     * @throws BackendUnavailableException if the server could not be reached or its answer was lost; the lock is
     *     held until its local deadline, which has not moved later
     */
    void extend(Duration ttl, Duration minimumHold);
}
