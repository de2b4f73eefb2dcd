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
 * A named renewable lease on the cluster, from {@link Coordinator#lease(String, java.time.Duration)}: an exclusive
 * hold with its own TTL, independent of the coordinator's session. Acquiring it gives a {@link LeaseHandle}, which
 * can be {@linkplain LeaseHandle#renew() renewed}. Leases, mutexes and TTL locks of one name exclude each other; every
 * method is described in {@link Acquirable}.
 *
 * <p>Threadsafe, but one instance serves one holder at a time (see {@link Acquirable}): threads that compete for one
 * name should each call {@link Coordinator#lease(String, java.time.Duration)}, or share the {@link #asJavaLock()}
 * view.
 */
public interface DistributedLease extends Acquirable<LeaseHandle> {}
