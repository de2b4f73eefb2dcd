/**
 * The etcd backend: {@link dev.baton.etcd.EtcdCoordinatorBuilder} builds a {@link dev.baton.lock.Coordinator} over
 * an etcd cluster (v3 API, through jetcd), and {@link dev.baton.etcd.EtcdBackend} is the {@link
 * dev.baton.lock.spi.CoordinationBackend} underneath it.
 *
 * <p>How the SPI maps onto etcd: a key's version is its mod revision and its creation sequence (the fencing token)
 * its create revision, which only grows across the cluster; create-if-absent and compare-and-set are one {@code Txn}
 * each; a session is one etcd lease, renewed by one unary keep-alive per renewal; watches resume from the last revision
 * they delivered and report a compacted history as a reset.
 */
package dev.baton.etcd;
