package dev.baton.consul.tck;

import dev.baton.lock.tck.CoordinatorConformanceSuite;
import dev.baton.lock.tck.RequiredBackends;
import dev.baton.lock.tck.TckEnvironment;
import dev.baton.lock.tck.TckTimeouts;
import java.time.Duration;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The whole conformance kit against a real Consul agent named by {@code CONSUL_HTTP_ADDR} (and {@code
 * CONSUL_HTTP_TOKEN} if ACLs are on), a fresh key prefix per test:
 *
 * <pre>{@code CONSUL_HTTP_ADDR=127.0.0.1:8500 mvn -B -pl lock-consul verify -Dit.test=ConsulAgentConformanceIT}</pre>
 *
 * <p>Without an agent these tests are skipped under the name {@code consul-agent}: CI has no Consul binary and verifies
 * the backend against the emulator ({@link ConsulEmulatorConformanceIT}, required as {@code consul}). Set {@code
 * BATON_REQUIRE_BACKENDS=consul-agent} to make a missing agent fail instead.
 */
@Execution(ExecutionMode.CONCURRENT)
class ConsulAgentConformanceIT extends CoordinatorConformanceSuite {
    @Override
    protected TckEnvironment newEnvironment() {
        String address = System.getenv("CONSUL_HTTP_ADDR");
        if (address == null || address.isBlank()) {
            throw RequiredBackends.fromEnvironment()
                    .unavailable("consul-agent", "CONSUL_HTTP_ADDR is unset (CI verifies Consul with the emulator)");
        }
        return ConsulTckEnvironment.onAgent(address.trim(), System.getenv("CONSUL_HTTP_TOKEN"));
    }

    /** As {@link ConsulEmulatorConformanceIT#livenessSlack()}: Consul invalidates sessions at 2 x TTL. */
    @Override
    protected Duration livenessSlack() {
        return TckTimeouts.scaled(ConsulTckEnvironment.TTL.plusSeconds(3));
    }
}
