package dev.baton.etcd;

import dev.baton.lock.tck.CoordinatorConformanceSuite;
import dev.baton.lock.tck.TckEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole conformance kit against one local etcd node (or the cluster {@code ETCD_ENDPOINTS} names). */
class EtcdSingleNodeConformanceIT extends CoordinatorConformanceSuite {
    private static EtcdConformance etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdConformance.start(1);
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
}
