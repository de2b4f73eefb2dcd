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
package dev.baton.consul.tck;

import dev.baton.lock.tck.CoordinatorConformanceSuite;
import dev.baton.lock.tck.TckEnvironment;
import dev.baton.lock.tck.TckTimeouts;
import java.time.Duration;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The whole conformance kit against the Consul emulator, a fresh one per test. This is what CI verifies Consul with:
 * no Consul binary can be installed on the project's machines. The tests run in parallel (most of their time is spent
 * waiting for 10 s TTLs, Consul's minimum), each on its own emulator. The emulators close keep-alive connections idle
 * for 1 s (see the module's pom), so the kit also exercises the backend's second sending of a request whose reused
 * connection was closed under it.
 */
@Execution(ExecutionMode.CONCURRENT)
class ConsulEmulatorConformanceIT extends CoordinatorConformanceSuite {
    @Override
    protected TckEnvironment newEnvironment() {
        return ConsulTckEnvironment.onEmulator();
    }

    /**
     * Consul invalidates a session {@code SessionTTLMultiplier} (2) x TTL after its last renewal, not at the TTL (its
     * session docs: the TTL is a lower bound; Consul issues 1172 and 2347), so a cut-off holder's lock is free again
     * up to one more TTL later than the TTL; add 3 s for the waiter to see the delete and acquire on a loaded machine.
     */
    @Override
    protected Duration livenessSlack() {
        return TckTimeouts.scaled(ConsulTckEnvironment.TTL.plusSeconds(3));
    }
}
