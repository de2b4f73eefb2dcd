package dev.baton.zookeeper;

import dev.baton.lock.tck.CoordinatorConformanceSuite;
import dev.baton.lock.tck.TckEnvironment;

/** The whole conformance kit on a real 3-server ZooKeeper ensemble started in this JVM. */
class ZooKeeperEnsembleConformanceIT extends CoordinatorConformanceSuite {
    @Override
    protected TckEnvironment newEnvironment() {
        return new ZooKeeperTckEnvironment(ZooKeeperServers.ensemble().getConnectString());
    }
}
