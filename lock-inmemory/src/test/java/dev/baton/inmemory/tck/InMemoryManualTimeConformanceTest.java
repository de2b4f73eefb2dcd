package dev.baton.inmemory.tck;

import dev.baton.lock.tck.CoordinatorConformanceSuite;
import dev.baton.lock.tck.TckEnvironment;

/** The whole conformance kit on the in-memory backend with a manual clock: deterministic and fast. */
class InMemoryManualTimeConformanceTest extends CoordinatorConformanceSuite {
    @Override
    protected TckEnvironment newEnvironment() {
        return InMemoryTckEnvironment.onManualClock();
    }
}
