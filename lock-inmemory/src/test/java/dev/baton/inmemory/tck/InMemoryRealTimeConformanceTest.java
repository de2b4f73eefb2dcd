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
package dev.baton.inmemory.tck;

import dev.baton.lock.tck.CoordinatorConformanceSuite;
import dev.baton.lock.tck.TckEnvironment;

/**
 * The whole conformance kit on the in-memory backend with the system clock, the coordinators' own threads and short
 * TTLs: the same rules with real concurrency and real time passing.
 */
class InMemoryRealTimeConformanceTest extends CoordinatorConformanceSuite {
    @Override
    protected TckEnvironment newEnvironment() {
        return InMemoryTckEnvironment.onSystemClock();
    }
}
