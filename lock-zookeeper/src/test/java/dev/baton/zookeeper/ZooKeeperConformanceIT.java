package dev.baton.zookeeper;

import dev.baton.lock.tck.CoordinatorConformanceSuite;
import dev.baton.lock.tck.TckEnvironment;

/** The whole conformance kit on one real ZooKeeper server (or the ensemble named by {@code ZK_CONNECT}). */
class ZooKeeperConformanceIT extends CoordinatorConformanceSuite {
    @Override
    protected TckEnvironment newEnvironment() {
        return new ZooKeeperTckEnvironment(ZooKeeperServers.single());
    }
}
