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

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Prompt release across a member fault (issue 11, point 2): on a 3-member cluster, holder A holds a lock (session TTL
 * 2 s), waiter C on another coordinator is queued behind it; then one member fails and A releases. Asserted per trial:
 * {@code close()} returns within {@link #CLOSE_BOUND} (the handle is invalid at once, the delete goes on in the
 * background), and A's entry is gone from the server within the session TTL plus the documented slack (the lessor's
 * 0.5 s expiry check and one election timeout) of the release, whichever member failed. C acquires within that same
 * bound once the cluster serves normally again: at once after a killed member (the two others elect a leader), and in
 * the pause case within that bound of the old leader's SIGCONT ({@link #PAUSE} after the release).
 *
 * <p>Why the pause case counts from the SIGCONT: while the old leader stays stopped, the leader-change rule (see
 * {@code EtcdLeaderPauseIT}) counts no renewal, since the stopped leader may still revoke leases when it runs again.
 * Every session then lives one TTL minus its margin from its grant, so C may lose its session while it queues, and
 * queue again; measured with the leader left stopped, C's acquire took 0.8–6.8 s (10 trials, etcd 3.5.16, one core
 * busy) while A's entry was gone within 0.7–1.8 s in every trial. That is the rule's price, stated in RELIABILITY.md.
 *
 * <p>A trial in which A had lost the lock before the fault (a loss that a previous trial's fault left behind: A was
 * told, or C held the lock before A released) does not test a release; it is printed and run again, at most {@link #TRIALS} extra times.
 *
 * <p>Before the fix, a release that went to a killed member or needed a stopped leader blocked in {@code close()}
 * for the whole request timeout, and the waiter got the lock only after it. With the leader stopped, the waiter then
 * took up to 9 s, or more than its 20 s acquire: its watch stream sat on the stopped member and never heard of the
 * deletion, and after a lost session its new entry queued behind its own old one until the old lease was revoked.
 *
 * <p>Trials per case: {@code -Dbaton.etcd.releaseFailover.trials=N} (default 2).
 */
class EtcdReleaseFailoverIT {
    private static final int TRIALS = Integer.getInteger("baton.etcd.releaseFailover.trials", 2);
    private static final Duration SESSION_TTL = Duration.ofSeconds(2);
    /** What close() may take: its own wait for the first attempt (250 ms), with room for a busy machine. */
    private static final Duration CLOSE_BOUND = Duration.ofMillis(750);
    /** TTL + the lessor's expiry check (0.5 s) + one election timeout (0.5 s). */
    private static final Duration FREE_WITHIN = SESSION_TTL.plusMillis(500).plus(EtcdCluster.ELECTION_TIMEOUT);
    /**
     * How long the leader stays stopped in the pause case, from the release: longer than an election, so that a new
     * leader serves the release while the old one is stopped.
     */
    private static final Duration PAUSE = Duration.ofMillis(2500);

    private static final String NAMESPACE = "leader-pause-it/";

    enum Fault {
        KILL_LEADER,
        KILL_FOLLOWER,
        PAUSE_LEADER
    }

    @Test
    void release_returns_promptly_and_frees_the_lock_when_the_leader_was_just_killed() throws Exception {
        check(Fault.KILL_LEADER);
    }

    @Test
    void release_returns_promptly_and_frees_the_lock_when_a_follower_was_just_killed() throws Exception {
        check(Fault.KILL_FOLLOWER);
    }

    @Test
    void release_returns_promptly_and_frees_the_lock_while_the_leader_is_stopped() throws Exception {
        check(Fault.PAUSE_LEADER);
    }

    private static void check(Fault fault) throws Exception {
        List<long[]> results = new ArrayList<>(); // close, freed and acquired millis after the release
        int voided = 0;
        try (EtcdCluster cluster = EtcdCluster.start(3);
                Coordinator a = EtcdLeaderPauseIT.coordinator(cluster, true);
                Coordinator c = EtcdLeaderPauseIT.coordinator(cluster, true)) {
            for (int i = 0; results.size() < TRIALS; i++) {
                long[] r = trial(cluster, a, c, fault, "release-" + i);
                if (r != null) {
                    results.add(r);
                } else {
                    assertThat(++voided)
                            .as("trials in which A had lost the lock before the fault")
                            .isLessThanOrEqualTo(TRIALS);
                }
            }
        }
        if (voided > 0) {
            Figures.print(
                    "release failover",
                    "%s: %d trial(s) run again: A had lost the lock before the fault",
                    fault,
                    voided);
        }
        for (long[] r : results) {
            Figures.print(
                    "release failover",
                    "%s: close() took %d ms; A's entry gone %d ms after the release (bound %d ms, TTL %d ms);"
                            + " waiter acquired after %s",
                    fault,
                    r[0],
                    r[1],
                    FREE_WITHIN.toMillis(),
                    SESSION_TTL.toMillis(),
                    r[2] + " ms");
        }
        for (long[] r : results) {
            assertThat(r[0]).as("close() took (ms)").isLessThanOrEqualTo(CLOSE_BOUND.toMillis());
            assertThat(r[1]).as("lock free after the release (ms)").isLessThanOrEqualTo(FREE_WITHIN.toMillis());
            long waiterBound = FREE_WITHIN.toMillis() + (fault == Fault.PAUSE_LEADER ? PAUSE.toMillis() : 0);
            assertThat(r[2]).as("waiter acquired after the release (ms)").isLessThanOrEqualTo(waiterBound);
        }
    }

    /** One trial's figures (close, freed, acquired; millis after the release), or null if A lost before the fault. */
    private static long[] trial(EtcdCluster cluster, Coordinator a, Coordinator c, Fault fault, String name)
            throws Exception {
        cluster.awaitHealthy(Duration.ofSeconds(30));
        LockHandle held = EtcdLeaderPauseIT.acquireThroughLosses(a, name);
        AtomicBoolean lostEarly = new AtomicBoolean();
        held.onLost((h, why) -> lostEarly.set(true));
        List<String> aKeys = queue(cluster, name);
        assertThat(aKeys).as("A's entry").hasSize(1);
        String aKey = aKeys.get(0);
        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
            try (LockHandle got = EtcdLeaderPauseIT.acquireThroughLosses(c, name)) {
                return System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await("C queued behind A")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> waiter.isDone()
                        || lostEarly.get()
                        || queue(cluster, name).size() >= 2);
        if (waiter.isDone() || lostEarly.get()) {
            // A lost the lock before the fault (a session the previous trial's fault left capped), and C may have
            // taken and released it already, so it never queues behind A: no trial.
            held.close();
            waiter.get(30, TimeUnit.SECONDS);
            return null;
        }
        int leader = cluster.leader();
        assertThat(leader).as("leader").isGreaterThanOrEqualTo(0);
        int victim = fault == Fault.KILL_FOLLOWER ? (leader + 1) % cluster.size() : leader;
        CompletableFuture<Void> resumed = CompletableFuture.completedFuture(null);
        if (fault == Fault.PAUSE_LEADER) {
            cluster.pause(victim);
            // The fault's length, not a synchronisation: the old leader runs again PAUSE after the release.
            resumed = CompletableFuture.runAsync(
                    () -> cluster.resume(victim),
                    CompletableFuture.delayedExecutor(PAUSE.toMillis(), TimeUnit.MILLISECONDS));
        } else {
            cluster.kill(victim);
        }
        long released = System.nanoTime();
        boolean voided = lostEarly.get();
        held.close();
        long closeTook = System.nanoTime() - released;
        assertThat(held.isValid())
                .as("the handle is invalid once close() returned")
                .isFalse();
        long acquired;
        long freed;
        List<String> others = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            if (i != victim) {
                others.add(cluster.endpoint(i));
            }
        }
        try (Client survivors =
                Client.builder().endpoints(others.toArray(new String[0])).build()) {
            ByteSequence key = ByteSequence.from(aKey, StandardCharsets.UTF_8);
            Awaitility.await("A's entry removed")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .ignoreExceptions()
                    .until(() -> survivors
                            .getKVClient()
                            .get(key)
                            .get(1, TimeUnit.SECONDS)
                            .getKvs()
                            .isEmpty());
            freed = System.nanoTime();
            acquired = waiter.get(30, TimeUnit.SECONDS);
        } finally {
            if (fault == Fault.PAUSE_LEADER) {
                resumed.get(30, TimeUnit.SECONDS);
            } else {
                cluster.restart(victim);
            }
        }
        if (voided || acquired - released < 0) {
            return null; // A did not hold the lock when it released: C had it already
        }
        return new long[] {
            TimeUnit.NANOSECONDS.toMillis(closeTook),
            TimeUnit.NANOSECONDS.toMillis(freed - released),
            TimeUnit.NANOSECONDS.toMillis(acquired - released)
        };
    }

    /** The entries of lock {@code name} on the server. */
    private static List<String> queue(EtcdCluster cluster, String name) {
        return cluster.keys(NAMESPACE).stream()
                .filter(k -> k.contains("/" + name + "/"))
                .collect(Collectors.toList());
    }
}
