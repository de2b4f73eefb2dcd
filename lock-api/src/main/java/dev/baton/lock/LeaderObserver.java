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

import java.util.Optional;

/**
 * Told whenever an election's leader, or the leader's proclaimed value, changes as seen on the server.
 *
 * <p>Called on the coordinator's callback executor, one call at a time and in order. Exceptions are logged and
 * ignored.
 */
@FunctionalInterface
public interface LeaderObserver {
    /**
     * Called with the current leader after a change, and once with the leader at registration.
     *
     * @param leader the leader, or empty when nobody leads
     */
    void onLeaderChanged(Optional<LeaderInfo> leader);
}
