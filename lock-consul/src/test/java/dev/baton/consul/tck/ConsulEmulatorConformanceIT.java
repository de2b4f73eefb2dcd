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
 * waiting for 10 s TTLs, Consul's minimum), each on its own emulator.
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
