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
