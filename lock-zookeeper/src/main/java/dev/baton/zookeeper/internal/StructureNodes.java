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
package dev.baton.zookeeper.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The structure nodes entries live under (the keys root, one node per level of a key, the leases root, the clock):
 * creates them with the backend's ACL when a write finds one missing, and prunes them once they are empty.
 *
 * <p>Pruning is deferred: a delete only records the parent it may have emptied, and the reaper's rounds remove it once
 * no delete of this client has touched it for {@value #IDLE_ROUNDS} rounds (and at close, whatever the age). A lock
 * that is taken again within that time (the common case: a job's lock, a hot key) keeps its parent, and neither the
 * release nor the next acquire pays round trips for the structure; pruning at the next round instead made every
 * acquire of a lock taken less often than the reap interval fail on the missing parent, re-create it and try again
 * (with 1,000 locks and 16 threads, 0.3 deletes and 0.3 failed multi-operations per acquisition). Pruning is safe
 * against a concurrent create under the same parent: ZooKeeper refuses to delete a node that has children, and a create
 * that loses its parent re-creates it ({@link #ensurePath}).
 *
 * <p>Threadsafe.
 */
public final class StructureNodes implements LeaseReaper.NodeFactory {
    private static final Logger log = LoggerFactory.getLogger(StructureNodes.class);
    private static final byte[] NO_DATA = new byte[0];

    /** The reaper's rounds a parent stays after this client's last delete under it before it is pruned. */
    static final int IDLE_ROUNDS = 40;

    private final Layout layout;
    private final List<ACL> acl;
    private final long idleNanos;
    /**
     * Structure nodes that lost an entry to this client's deletes and may now be empty, each with the {@link
     * System#nanoTime()} of the last such delete.
     */
    private final Map<String, Long> emptiedParents = new ConcurrentHashMap<>();

    /**
     * @param layout the namespace's paths
     * @param acl the ACL of every node the backend creates
     * @param reapInterval the time between the reaper's rounds; a parent is pruned {@value #IDLE_ROUNDS} of them after
     *     the last delete under it
     */
    public StructureNodes(Layout layout, List<ACL> acl, Duration reapInterval) {
        this.layout = layout;
        this.acl = acl;
        this.idleNanos = reapInterval.multipliedBy(IDLE_ROUNDS).toNanos();
    }

    /** The ACL every node the backend creates carries. */
    public List<ACL> acl() {
        return acl;
    }

    /** Creates a node that holds no data (a structure node, or a lease's reference to an entry). */
    public Op createEmpty(String path) {
        return Op.create(path, NO_DATA, acl, CreateMode.PERSISTENT);
    }

    @Override
    public void ensurePath(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
        // A parent may be pruned (by this client's pruning or another's) between creating it and creating the child
        // under it: go up and try again, a bounded number of times.
        for (int attempt = 1; ; attempt++) {
            try {
                zk.create(path, NO_DATA, acl, CreateMode.PERSISTENT);
                return;
            } catch (KeeperException.NodeExistsException e) {
                return; // created meanwhile: fine
            } catch (KeeperException.NoNodeException e) {
                if (attempt >= ZkCalls.RACE_ATTEMPTS) {
                    throw e;
                }
                ensurePath(zk, Layout.parent(path));
            }
        }
    }

    /** Records that this client deleted the entry at {@code entryPath}, so its parent may now be empty. */
    @Override
    public void entryDeleted(String entryPath) {
        emptiedParents.put(Layout.parent(entryPath), System.nanoTime());
    }

    /**
     * Removes the structure left empty by this client's deletes, {@value #IDLE_ROUNDS} reap intervals after the last
     * of them under each parent; best effort, only while connected.
     */
    public void pruneIdle(CuratorFramework curator) {
        prune(curator, System.nanoTime() - idleNanos);
    }

    /** Removes all the structure left empty by this client's deletes, however recent (at close); best effort. */
    public void pruneAll(CuratorFramework curator) {
        prune(curator, Long.MAX_VALUE);
    }

    /** Prunes the parents whose last delete was at or before {@code lastDeleteBefore} (a nanoTime; MAX_VALUE: all). */
    private void prune(CuratorFramework curator, long lastDeleteBefore) {
        if (emptiedParents.isEmpty() || !curator.getZookeeperClient().isConnected()) {
            return;
        }
        try {
            ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
            for (Map.Entry<String, Long> e : List.copyOf(emptiedParents.entrySet())) {
                long deleted = e.getValue();
                // Removed only if no delete touched it since it was read: a newer one keeps it for a later round.
                if ((lastDeleteBefore == Long.MAX_VALUE || deleted - lastDeleteBefore <= 0)
                        && emptiedParents.remove(e.getKey(), deleted)) {
                    pruneEmptyFrom(zk, e.getKey());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("could not prune empty structure: {}", e.toString());
        }
    }

    /** At close: removes the namespace's skeleton (keys root, leases root, clock, root), each only if it is empty. */
    public void removeEmptySkeleton(ZooKeeper zk) throws InterruptedException {
        for (String path : List.of(layout.keysRoot(), layout.leasesRoot(), layout.clock(), layout.root())) {
            try {
                zk.delete(path, -1);
            } catch (KeeperException e) {
                // Absent, or not empty (another client's keys): either way it stays as it is.
            }
        }
    }

    /** Deletes {@code dir} and then its ancestors under the keys root, each only if it is empty. */
    private void pruneEmptyFrom(ZooKeeper zk, String dir) throws InterruptedException {
        // Best effort: a creator that loses its parent to this delete re-creates it (its create fails with NoNode and
        // it retries), so removing empty structure eagerly is safe.
        String p = dir;
        while (p.startsWith(layout.keysRoot() + "/")) {
            try {
                zk.delete(p, -1);
            } catch (KeeperException.NoNodeException e) {
                // Already gone: go on upwards.
            } catch (KeeperException e) {
                return;
            }
            p = Layout.parent(p);
        }
    }
}
