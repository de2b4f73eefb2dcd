package dev.baton.etcd;

import dev.baton.lock.tck.CoordinatorConformanceSuite;
import dev.baton.lock.tck.TckEnvironment;
import dev.baton.lock.tck.TckTimeouts;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole conformance kit against a local 3-member etcd cluster (or the cluster {@code ETCD_ENDPOINTS} names), each
 * client spreading its requests over all three members.
 */
class EtcdThreeNodeConformanceIT extends CoordinatorConformanceSuite {
    private static EtcdConformance etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdConformance.start(3);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected TckEnvironment newEnvironment() {
        return etcd.newEnvironment();
    }

    /**
     * Half the session TTL (the default) plus one election timeout (the fixture's 500 ms, or etcd's default 1 s for
     * an outside cluster). On a 3-member cluster a leader change, which a loaded host can cause at a short election
     * timeout, makes the new leader extend every lease by its
     * election timeout (etcd resets lease expiry on promotion, etcd issue 9395), on top of the lessor's 500 ms expiry
     * scan that the default slack already covers.
     */
    @Override
    protected Duration livenessSlack() {
        return TckTimeouts.scaled(environment().sessionTtl().dividedBy(2).plus(etcd.electionTimeout));
    }
}
