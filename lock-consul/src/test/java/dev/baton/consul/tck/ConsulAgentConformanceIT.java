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
 * The whole conformance kit against a real Consul, a fresh key prefix per test. It runs only in the {@code
 * consul-agent} Maven profile, which turns on by itself when {@code CONSUL_HTTP_ADDR} is set:
 *
 * <pre>{@code
 * CONSUL_HTTP_ADDR=127.0.0.1:8500 mvn -B -pl lock-consul verify   # an agent of your own
 * mvn -B -pl lock-consul verify -Pconsul-agent                    # a Consul container, through Docker
 * }</pre>
 *
 * <p>See {@link RealConsul} for how the agent is found, and why a missing one fails rather than skips. Without the
 * profile (CI) this class is not run at all, so it never shows as skipped; CI verifies the backend against the emulator
 * ({@link ConsulEmulatorConformanceIT}).
 */
@Execution(ExecutionMode.CONCURRENT)
class ConsulAgentConformanceIT extends CoordinatorConformanceSuite {
    @Override
    protected TckEnvironment newEnvironment() {
        return ConsulTckEnvironment.onAgent(RealConsul.address(), RealConsul.token());
    }

    /** As {@link ConsulEmulatorConformanceIT#livenessSlack()}: Consul invalidates sessions at 2 x TTL. */
    @Override
    protected Duration livenessSlack() {
        return TckTimeouts.scaled(ConsulTckEnvironment.TTL.plusSeconds(3));
    }
}
