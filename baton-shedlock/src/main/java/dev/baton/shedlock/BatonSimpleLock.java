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
package dev.baton.shedlock;

import dev.baton.lock.LockLostException;
import dev.baton.lock.TtlLockHandle;
import java.util.Optional;
import net.javacrumbs.shedlock.core.AbstractSimpleLock;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A ShedLock lock held through {@link BatonLockProvider}: a {@link SimpleLock} over a Baton {@link TtlLockHandle},
 * with the lock's {@linkplain #fencingToken() fencing token}. {@link #unlock()} releases the TTL lock (keeping it on
 * the server until {@code lockAtLeastFor}); {@link #extend(java.time.Duration, java.time.Duration)} extends it and,
 * as ShedLock specifies, returns a new {@code SimpleLock} for the same handle, after which this one may no longer be
 * used.
 *
 * <p>Threadsafe.
 */
public final class BatonSimpleLock extends AbstractSimpleLock {
    private final TtlLockHandle handle;
    private final BatonLockProvider provider;

    BatonSimpleLock(LockConfiguration configuration, TtlLockHandle handle, BatonLockProvider provider) {
        super(configuration);
        this.handle = handle;
        this.provider = provider;
    }

    /**
     * Returns the lock name.
     *
     * @return ShedLock's lock name
     */
    public String name() {
        return lockConfiguration.getName();
    }

    /**
     * Returns the fencing token of this acquisition: greater than that of every earlier holder of the lock. Pass it to
     * the resource the job writes, and have the resource refuse tokens smaller than one it has seen.
     *
     * @return the token, positive
     */
    public long fencingToken() {
        return handle.fencingToken();
    }

    /**
     * Tells whether the Baton lock is still held, judged locally: false once released, once lost, and from a safety
     * margin before {@code lockAtMostFor} runs out, so before anyone else can take the lock. A lock replaced by an
     * {@linkplain #extend(java.time.Duration, java.time.Duration) extension} shares its handle with the new one and
     * answers as it does (ShedLock itself refuses to unlock or extend it again). Never blocks.
     *
     * @return whether the Baton handle is still valid
     */
    public boolean isValid() {
        return handle.isValid();
    }

    /**
     * Returns the Baton handle, for its loss listeners ({@link TtlLockHandle#onLost}) and remaining time.
     *
     * @return the handle
     */
    public TtlLockHandle handle() {
        return handle;
    }

    @Override
    protected void doUnlock() {
        provider.untrack(this);
        handle.close();
    }

    /**
     * Extends the TTL lock ({@link TtlLockHandle#extend(java.time.Duration, java.time.Duration)}).
     *
     * @param configuration the new {@code lockAtMostFor} and {@code lockAtLeastFor}, counted from now
     * @return a new lock for the same handle; empty if the lock was already lost
     * @throws IllegalArgumentException if {@code lockAtMostFor} is outside the backend's TTL limits
     * @throws dev.baton.lock.BackendUnavailableException if the server could not be reached; the lock is held until
     *     its local deadline, which has not moved later
     */
    @Override
    protected Optional<SimpleLock> doExtend(LockConfiguration configuration) {
        try {
            handle.extend(configuration.getLockAtMostFor(), configuration.getLockAtLeastFor());
        } catch (LockLostException e) {
            provider.untrack(this);
            return Optional.empty();
        }
        return Optional.of(provider.track(new BatonSimpleLock(configuration, handle, provider)));
    }

    @Override
    public String toString() {
        return "BatonSimpleLock{name=" + name() + ", token=" + fencingToken() + ", valid=" + isValid() + "}";
    }
}
