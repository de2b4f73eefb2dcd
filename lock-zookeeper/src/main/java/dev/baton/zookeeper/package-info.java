/*
 * Copyright 2026 The Baton Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
/**
 * The ZooKeeper backend: {@link dev.baton.zookeeper.ZooKeeperBackend}, built on Apache Curator's framework (not its
 * lock or leader recipes). Get a coordinator that owns it with {@code
 * ZooKeeperBackend.builder().connectString(...)...coordinatorBuilder().build()}, or build the backend alone with
 * {@code ...build()} and hand it to {@code Coordinator.builder(backend)}.
 *
 * <p><b>How the SPI maps onto ZooKeeper.</b>
 *
 * <ul>
 *   <li><b>Keys</b> are nodes under {@code /<namespace>/keys}; a key's entry records the lease it is attached to.
 *   <li><b>Fencing token</b> ({@link dev.baton.lock.spi.Entry#createSequence()}): the czxid of the entry's node, a zxid the ensemble
 *       assigns and never reuses, which grows even after every node under a name was deleted (unlike a sequential
 *       node's counter, which restarts with its parent).
 *   <li><b>Version</b> ({@link dev.baton.lock.spi.Entry#version()}): the node's mzxid, so a re-created key never repeats a version.
 *   <li><b>Leases</b> are nodes under {@code /<namespace>/leases}. A lease expires on the <em>server's</em> clock:
 *       {@link ZooKeeperBackend#keepAlive(long)} rewrites the node, so its mtime (stamped by the ZooKeeper leader) is the time of the
 *       last renewal, and every backend of the namespace runs a reaper that removes leases whose {@code mtime + ttl}
 *       has passed by the leader's clock (read from a write to {@code /<namespace>/clock}), together with their
 *       entries, in one multi-operation that a concurrent keep-alive makes fail. The liveness slack is one reap
 *       interval plus a request.
 *   <li><b>ZooKeeper sessions.</b> A lease whose TTL is at most the negotiated ZooKeeper session timeout is tied to
 *       this client's ZooKeeper session: its entries are <em>ephemeral</em> nodes, so the server also deletes them
 *       when the session expires, and once the ZooKeeper handle it was granted on is closed (its session expired, as
 *       the server or Curator found, or the client was closed) every call naming the lease throws {@link
 *       dev.baton.lock.spi.NoSuchLeaseException} at once, without waiting for a connection: a new session never adopts the old one's
 *       lease. While
 *       the connection is suspended calls throw {@link dev.baton.lock.BackendUnavailableException}, so the coordinator's local
 *       deadline (last acknowledged renewal + TTL − margin) runs out before the server, which counts the session
 *       timeout from the last request it received, can expire the session. Longer leases (TTL locks and leases
 *       with long TTLs) are persistent nodes that outlive ZooKeeper sessions and expire on the server's clock only.
 *   <li><b>Foreign data.</b> A node under the namespace whose data this backend did not write (another program's,
 *       or another format's) is never taken for an absent key: the calls that read it throw {@link dev.baton.lock.LockException}
 *       naming the node, and the reaper leaves it alone.
 *   <li><b>Watches</b> are ZooKeeper persistent watches (recursive for prefixes), one per path and client, whose
 *       PUT events are completed by a read; a watch cannot replay history, so a watch asked to start from a revision
 *       older than the node's current state, or one that lost its connection, is reset.
 * </ul>
 *
 * <p><b>Requests per call.</b> {@code grantLease}, {@code keepAlive}, {@code get}, {@code createIfAbsent}: one
 * (plus a few to create missing parent nodes the first time, or after the reaper pruned them). {@code compareAndSet}
 * and {@code compareAndDelete}: two (a read to compare the mzxid, then a versioned multi-operation); of the very version
 * this client last wrote at the key (a lock's release, a TTL lock's move onto its own lease): one, the multi-operation
 * alone, whose delete or check of the entry's reference under its lease rules out another incarnation of the node at
 * the same data version. {@code revokeLease} of a lease this client granted, every entry attached to it written by this
 * client: one, a multi-operation that deletes those entries, their references and the lease node (which ZooKeeper
 * refuses to delete while another reference is under it); otherwise three (the lease's references, a multi-read of
 * their entries, a multi-operation), after the one that failed if it was tried. Parent nodes that deletes leave empty
 * are pruned by the reaper's rounds, not by the call, once 40 rounds passed without another delete under them (and at
 * close), so a lock taken again within that time finds its parent. {@code list}: two per level of nesting under the prefix
 * (children, then one multi-read of their data). {@code createIfAbsentAndList}: the create and the children, sent
 * back to back on one session (ZooKeeper answers them in order, so the read sees the create, and the two cost one round
 * trip), and a multi-read of their data only when the created entry is not alone under the prefix (its own entry is
 * known from the create's answer) or the tree changed since the create. {@code compareAndDelete} started
 * asynchronously (a release) of the version this client last wrote is sent from the calling thread. {@code watch}: one to register (the first watch of a path),
 * plus a {@code list}-like read to check the revision. So, uncontended, a mutex's cycle (create-and-list, release) is
 * three requests, and a TTL lock's or lease's cycle on a lease of its own (grant, create-and-list, revoke) four.
 *
 * <p><b>ACLs.</b> With {@link ZooKeeperBackend.Builder#digestAuthentication(String, String)} every node the backend creates carries
 * {@code CREATOR_ALL_ACL} plus world READ: other identities can read who holds what, but cannot delete or overwrite a
 * held lock. Every coordinator sharing a namespace must then use the same identity.
 */
package dev.baton.zookeeper;
