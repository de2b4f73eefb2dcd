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
 * Proof of holding a renewable lease: returned when a {@link DistributedLease} is acquired. Besides what every {@link
 * LockHandle} does, it can be {@linkplain #renew() renewed}; a lease built with {@link
 * LeaseOptions.Builder#autoRenew(boolean) autoRenew(true)} is renewed in the background as well.
 *
 * <p>Threadsafe: {@link #renew()} may be called from any thread, also while another thread releases the lease or a
 * background renewal runs (the deadline only ever moves forward, and never once the lease is lost or released).
 * {@link #close()} releases the lease and is idempotent.
 */
public interface LeaseHandle extends LockHandle {
    /**
     * Renews the lease for another full TTL, measured from when this call was sent. Blocks for one request to the
     * server. A backend may acknowledge a renewal without letting the local deadline count from it, under the same
     * rule as the session's renewals (etcd, for a while after a leader change: see the README's etcd section); the
     * lease is then renewed on the server but {@link #remaining()} does not grow, and a later renewal moves it on.
     *
     * @throws LockLostException if the lease was already released or lost, or turned out lost on the server
     * @throws BackendUnavailableException if the server could not be reached; the lease stays valid until its local
     *     deadline
     */
    void renew();
}
