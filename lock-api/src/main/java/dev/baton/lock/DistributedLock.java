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
 * A named lock on the cluster, held as the {@link Coordinator} method that created it says: a mutex bound to the
 * coordinator's session ({@link Coordinator#lock(String)}), or a TTL lock ({@link Coordinator#lock(String,
 * LockOptions)}). Acquiring it gives a {@link LockHandle}. A renewable lease is a {@link DistributedLease}; both are
 * {@link Acquirable}s, and every method is described there.
 *
 * <p>Threadsafe, but one instance serves one holder at a time (see {@link Acquirable}): threads that compete for one
 * name should each call {@link Coordinator#lock(String)}, or share the {@link #asJavaLock()} view.
 */
public interface DistributedLock extends Acquirable<LockHandle> {}
