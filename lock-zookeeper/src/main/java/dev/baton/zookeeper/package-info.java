/**
 * The ZooKeeper backend: {@link dev.baton.zookeeper.ZooKeeperBackend}, built on Apache Curator's framework (not its
 * lock or leader recipes). Create one with {@link dev.baton.zookeeper.ZooKeeperBackend#builder()} and hand it to
 * {@code Coordinator.builder(backend)}.
 */
package dev.baton.zookeeper;
