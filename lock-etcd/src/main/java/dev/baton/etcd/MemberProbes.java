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
package dev.baton.etcd;

import dev.baton.etcd.internal.EtcdCalls;
import dev.baton.etcd.internal.EtcdVersions;
import dev.baton.etcd.internal.LeaderChangeGuard;
import io.etcd.jetcd.Cluster;
import io.etcd.jetcd.cluster.Member;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the status of every member, for the leader-change rule ({@link LeaderChangeGuard}) and for the etcd version
 * check at connect time. The member list is read through the client and remembered, so that a probe still knows every
 * member when the list cannot be read; each member is asked over {@link MemberStatusChannels}.
 *
 * <p>Threadsafe. {@link #close()} closes the members' channels.
 */
final class MemberProbes implements AutoCloseable {
    /** The longest a leader-change probe waits for the members' status. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(MemberProbes.class);

    private final Cluster cluster;
    private final EtcdCalls calls;
    private final MemberStatusChannels statuses;
    private final Duration requestTimeout;
    private final String description;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "baton-etcd-leader-probe");
        t.setDaemon(true);
        return t;
    });
    private volatile List<Member> knownMembers = List.of();

    MemberProbes(
            Cluster cluster,
            EtcdCalls calls,
            MemberStatusChannels statuses,
            Duration requestTimeout,
            String description) {
        this.cluster = cluster;
        this.calls = calls;
        this.statuses = statuses;
        this.requestTimeout = requestTimeout;
        this.description = description;
    }

    /** The one thread the leader-change rule runs its probes on, shut down by {@link #close()}. */
    ExecutorService executor() {
        return executor;
    }

    /** Asks every member for its status, each within {@link #probeTimeout()}, in parallel. */
    LeaderChangeGuard.ClusterStatus probe() {
        return probe(probeTimeout());
    }

    /**
     * Asks every member for its status within {@code timeout}, in parallel.
     *
     * @throws dev.baton.lock.LockException if the member list could not be read and none is known yet
     */
    LeaderChangeGuard.ClusterStatus probe(Duration timeout) {
        try {
            List<Member> list =
                    calls.await(cluster.listMember(), timeout, "a member list").getMembers();
            if (!list.isEmpty()) {
                knownMembers = list;
            }
        } catch (RuntimeException e) {
            if (knownMembers.isEmpty()) {
                throw e;
            }
        }
        List<Member> members = knownMembers;
        Map<Long, CompletableFuture<LeaderChangeGuard.MemberStatus>> pending = new HashMap<>();
        Set<Long> ids = new HashSet<>();
        for (Member m : members) {
            ids.add(m.getId());
            if (!m.getClientURIs().isEmpty()) {
                pending.put(m.getId(), statuses.status(m.getClientURIs().get(0).toString(), timeout));
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Long, LeaderChangeGuard.MemberStatus> answers = new HashMap<>();
        for (Map.Entry<Long, CompletableFuture<LeaderChangeGuard.MemberStatus>> e : pending.entrySet()) {
            // No cancel on failure: each call ends by its own deadline.
            try {
                answers.put(
                        e.getKey(), e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException failed) {
                log.trace(
                        "member {} of {} gave no status: {}",
                        Long.toHexString(e.getKey()),
                        description,
                        failed.toString());
            }
        }
        return new LeaderChangeGuard.ClusterStatus(ids, answers);
    }

    /**
     * Reads every member's status once at connect time, waiting the whole request timeout so that a slow member is
     * still inspected: seeds the leader-change rule with the current term and leader, and logs a warning for each
     * member that runs an etcd version with a known lease-safety bug. A failure is logged at debug only.
     */
    void inspect(LeaderChangeGuard leaderChanges) {
        LeaderChangeGuard.ClusterStatus status;
        try {
            status = probe(requestTimeout);
        } catch (RuntimeException e) {
            log.debug("could not read the status of the members of {}: {}", description, e.toString());
            return;
        }
        leaderChanges.seed(status);
        for (Map.Entry<Long, LeaderChangeGuard.MemberStatus> e :
                status.answers().entrySet()) {
            String version = e.getValue().version();
            if (EtcdVersions.revokesFromStaleLeader(version)) {
                log.warn(
                        "{}: member {} runs etcd {}, in which a leader that stalls (CPU starvation, a slow fsync, a"
                                + " pause) may revoke, when it runs again, leases the new leader kept alive (etcd issues"
                                + " 12528 and 15247; fixed in 3.4.31 and 3.5.13 by pull request 16822, backported as"
                                + " 17465 and 17425). Holders stay safe: renewals count only once the old leader is"
                                + " known to have stepped down, so a leader that stalls for longer than about the"
                                + " session TTL minus its margin makes holders lose their locks. Upgrade etcd to"
                                + " 3.5.13 or later.",
                        description,
                        Long.toHexString(e.getKey()),
                        version);
            }
        }
    }

    /** How long a probe waits for the members: short, as it paces the leader-change rule; at most 1 s. */
    private Duration probeTimeout() {
        return requestTimeout.compareTo(PROBE_TIMEOUT) < 0 ? requestTimeout : PROBE_TIMEOUT;
    }

    /** Stops the probe thread and closes the members' channels. Idempotent. */
    @Override
    public void close() {
        executor.shutdownNow();
        statuses.close();
    }
}
