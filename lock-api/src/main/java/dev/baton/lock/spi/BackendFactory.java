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
package dev.baton.lock.spi;

import java.time.Duration;

/**
 * Builds a backend for one coordinator, once its session TTL is known, so that a backend whose own timeouts follow
 * the session (ZooKeeper's session timeout, for one) is configured in one place. Passed to
 * {@link dev.baton.lock.Coordinator#builder(BackendFactory)}; the coordinator owns the backend it gets and closes it.
 *
 * <p>Called at most once per {@link dev.baton.lock.CoordinatorBuilder#build()}, on the caller's thread.
 */
@FunctionalInterface
public interface BackendFactory {
    /**
     * Builds the backend.
     *
     * @param sessionTtl the session TTL the coordinator will use
     * @return a backend, not yet used by anyone else
     * @throws IllegalArgumentException if the backend's settings contradict {@code sessionTtl}, saying which to change
     * @throws dev.baton.lock.BackendUnavailableException if the server could not be reached
     */
    CoordinationBackend create(Duration sessionTtl);
}
