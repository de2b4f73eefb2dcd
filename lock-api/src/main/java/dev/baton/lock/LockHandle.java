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
 * Proof of holding a lock, a TTL lock or a lease: returned by every successful acquisition. The handle, not the
 * thread that acquired it, owns the lock: it may be passed between threads and released from any of them. A lease's
 * handle is a {@link LeaseHandle}, which can also be renewed.
 *
 * <p>Threadsafe. {@link #close()} releases the lock and is idempotent.
 */
public interface LockHandle extends AutoCloseable {
    /**
     * Returns the lock's name as the user gave it.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the fencing token of this acquisition: strictly greater than the token of every earlier acquisition of
     * the same name on the same cluster. Pass it to the protected resource and have the resource reject writes that
     * carry a smaller token than one it has seen; that is what protects the resource from a holder that was paused
     * past its expiry.
     *
     * @return the token, positive
     */
    long fencingToken();

    /**
     * Tells whether the handle still holds the lock, judged locally: {@code false} once released, once the local
     * deadline passed (which happens before the server could give the lock to anyone else), or once the loss was
     * reported by the server. Never blocks and never contacts the server.
     *
     * @return whether the lock is still held
     */
    boolean isValid();

    /**
     * Returns how long the handle stays valid at most without further renewal, as judged by the local deadline.
     *
     * @return the time left, {@link Duration#ZERO} when no longer valid
     */
    Duration remaining();

    /**
     * Registers a listener told when the handle is lost for any reason other than its own release. When the handle is
     * already lost, the listener is called at once (on the callback executor).
     *
     * @param listener the listener
     * @return a subscription that removes the listener
     * @throws NullPointerException if {@code listener} is null
     */
    Subscription onLost(LossListener listener);

    /**
     * Releases the lock. Idempotent: later calls do nothing. Never releases another holder's lock, even when the
     * server's answer to the release is lost (removal is conditional on this handle's own entry and version). When
     * the server cannot be reached, the handle is invalid at once and removal is retried in the background. The
     * removal always runs in the background, and this call waits for its first attempt at most a quarter of a second,
     * so it returns promptly even when a server member is down or the leader is stopped; a removal still pending when
     * the coordinator closes expires with the session.
     */
    @Override
    void close();
}
