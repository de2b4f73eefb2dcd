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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend's background work and its tidying at close: runs a reaper round every reap interval (then removes the
 * leases granted without an answer and prunes the structure left empty), resets watches and reports dead session
 * leases when Curator reports a change of connection state, and at close removes what no one else would.
 *
 * <p>Threadsafe.
 */
public final class Housekeeper {
    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);

    private final CuratorFramework curator;
    private final boolean ownsCurator;
    private final Layout layout;
    private final LeaseReaper reaper;
    private final LeaseTies leases;
    private final StructureNodes structure;
    private final WatchRegistry watches;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final ConnectionStateListener stateListener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledFuture<?> reaping;

    /**
     * Starts the work: listens to the client's connection state and schedules the reaper's rounds.
     *
     * @param scheduler the user's executor, or null for a daemon thread of its own (shut down at close)
     */
    public Housekeeper(
            CuratorFramework curator,
            boolean ownsCurator,
            Layout layout,
            LeaseReaper reaper,
            LeaseTies leases,
            StructureNodes structure,
            WatchRegistry watches,
            ScheduledExecutorService scheduler,
            Duration reapInterval) {
        this.curator = curator;
        this.ownsCurator = ownsCurator;
        this.layout = layout;
        this.reaper = reaper;
        this.leases = leases;
        this.structure = structure;
        this.watches = watches;
        this.ownsScheduler = scheduler == null;
        this.scheduler = scheduler != null
                ? scheduler
                : Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "baton-zookeeper-reaper");
                    t.setDaemon(true);
                    return t;
                });
        this.stateListener = (client, state) -> {
            if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
                watches.resetAll("ZooKeeper connection " + state + ": watches may have missed changes");
            }
            if (state == ConnectionState.LOST || state == ConnectionState.RECONNECTED) {
                leases.reportLeasesOfDeadHandles();
            }
        };
        curator.getConnectionStateListenable().addListener(stateListener);
        long period = reapInterval.toMillis();
        this.reaping = this.scheduler.scheduleWithFixedDelay(this::reapQuietly, 0, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the work and every watch, removes the leases no session of this client can renew any more and those
     * granted without an answer, removes the namespace's skeleton if it is empty (best effort, only while connected),
     * and closes the client if the backend built it. Idempotent.
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        reaping.cancel(false);
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        watches.close();
        curator.getConnectionStateListenable().removeListener(stateListener);
        try {
            if (curator.getZookeeperClient().isConnected()) {
                ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
                leases.removeUnacknowledgedGrants();
                leases.removeDeadTiedLeases(zk, ownsCurator);
                // After the leases: their removal leaves parents to prune too.
                structure.pruneAll(curator);
                structure.removeEmptySkeleton(zk);
            }
        } catch (Exception e) {
            log.debug("could not tidy {} at close: {}", layout.root(), e.toString());
        }
        if (ownsCurator) {
            curator.close();
        }
    }

    private void reapQuietly() {
        if (closed.get()) {
            return;
        }
        try {
            reaper.reapOnce();
        } catch (RuntimeException e) {
            log.debug("lease reaper round failed: {}", e.toString());
        }
        leases.removeUnacknowledgedGrants();
        structure.pruneIdle(curator);
    }
}
