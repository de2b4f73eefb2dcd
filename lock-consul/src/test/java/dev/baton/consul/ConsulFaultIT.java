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
package dev.baton.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.lock.AccessDeniedException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.tck.HistoryChecker;
import dev.baton.lock.tck.HistoryRecorder;
import dev.baton.lock.tck.TckTimeouts;
import dev.baton.lock.tck.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Faults against the Consul emulator, checked with the history checker: a holder whose renewals fail for longer than
 * its TTL is told of its loss before another client's acquire returns, in every trial; a wrong ACL token is a clear
 * error; {@code close()} leaves nothing under the key prefix. Figures are printed on lines starting {@code
 * [baton-consul]}.
 */
@Execution(ExecutionMode.CONCURRENT)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConsulFaultIT {
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final int TRIALS = 3;

    /** What one cut-off trial observed, on the recorder's clock. */
    private record Trial(long cutNanos, long lostNanos, long acquiredNanos, long heldToken, long nextToken) {}

    @Test
    void holder_cut_off_by_a_tcp_proxy_is_told_before_another_client_acquires_in_every_trial() throws Exception {
        runTrials(true, "tcp proxy blackhole");
    }

    @Test
    void holder_whose_renewals_go_unanswered_is_told_before_another_client_acquires_in_every_trial() throws Exception {
        runTrials(false, "emulator stops answering renewals");
    }

    /** Runs {@link #TRIALS} cut-off trials side by side and reports them under {@code what}. */
    private void runTrials(boolean proxy, String what) throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        ExecutorService pool = Executors.newFixedThreadPool(TRIALS);
        List<Future<Trial>> trials = new ArrayList<>();
        try {
            for (int i = 0; i < TRIALS; i++) {
                int trial = i;
                trials.add(pool.submit(() -> cutOffTrial(recorder, trial, proxy)));
            }
            report(recorder, trials, what);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One trial: the holder takes a lock, a waiter queues behind it, then the holder's renewals fail. With {@code
     * proxy}, only the holder's traffic goes through a TCP proxy that is blackholed; otherwise the emulator stops
     * answering the renewals of the holder's session.
     */
    private Trial cutOffTrial(HistoryRecorder recorder, int trial, boolean proxy) throws Exception {
        try (ConsulEmulator consul = ConsulEmulator.start()) {
            String port = consul.address().substring(consul.address().lastIndexOf(':') + 1);
            TcpProxy tcp = proxy ? TcpProxy.start("127.0.0.1", Integer.parseInt(port)) : null;
            String prefix = "fault-" + trial;
            try (Coordinator holder = holder(tcp == null ? consul.address() : "http://" + tcp.address(), prefix);
                    Coordinator waiter = waiter(consul.address(), prefix)) {
                String name = "trial-" + trial;
                LockHandle held = holder.lock(name).acquire(Duration.ofSeconds(10));
                HistoryRecorder.Hold hold = recorder.acquired("holder-" + trial, name, held.fencingToken());
                AtomicLong lost = new AtomicLong();
                held.onLost((h, reason) -> {
                    hold.lost();
                    lost.compareAndSet(0, recorder.now());
                });
                AtomicLong acquired = new AtomicLong();
                CompletableFuture<LockHandle> next = waiter.lock(name).acquireAsync();
                CompletableFuture<HistoryRecorder.Hold> nextHold = next.thenApply(h -> {
                    acquired.set(recorder.now());
                    return recorder.acquired("waiter-" + trial, name, h.fencingToken());
                });
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> consul.keys(prefix + "/").size() == 2);
                long cut = recorder.now();
                if (tcp != null) {
                    tcp.blackhole();
                } else {
                    // The emulator holds the holder's renewals unanswered; every other request is answered.
                    String session = consul.oldestHolder(prefix + "/");
                    consul.stopAnswering("/v1/session/renew/" + session);
                }
                LockHandle nextHandle =
                        next.get(TckTimeouts.scaled(TTL.multipliedBy(4)).toSeconds(), TimeUnit.SECONDS);
                nextHold.join().releasing();
                nextHandle.close();
                assertThat(held.isValid())
                        .as("trial %d: the cut-off holder's handle", trial)
                        .isFalse();
                if (tcp != null) {
                    tcp.close();
                }
                return new Trial(cut, lost.get(), acquired.get(), held.fencingToken(), nextHandle.fencingToken());
            }
        }
    }

    /** The holder of a trial: a short request timeout, so that its renewals fail fast once it is cut off. */
    private static Coordinator holder(String address, String prefix) {
        return ConsulBackend.builder()
                .agentAddress(address)
                .keyPrefix(prefix)
                .requestTimeout(Duration.ofSeconds(2))
                .coordinatorBuilder()
                .sessionTtl(TTL)
                .build();
    }

    private static Coordinator waiter(String address, String prefix) {
        return ConsulBackend.builder()
                .agentAddress(address)
                .keyPrefix(prefix)
                .coordinatorBuilder()
                .sessionTtl(TTL)
                .build();
    }

    private static void report(HistoryRecorder recorder, List<Future<Trial>> trials, String fault) throws Exception {
        int told = 0;
        for (int i = 0; i < trials.size(); i++) {
            Trial t = trials.get(i).get();
            boolean first = t.lostNanos != 0 && t.lostNanos < t.acquiredNanos;
            if (first) {
                told++;
            }
            System.out.printf(
                    Locale.ROOT,
                    "[baton-consul] %s trial %d: holder told %d ms after the cut, other client acquired %d ms after it"
                            + " (session TTL %d ms; Consul expires at up to 2 x TTL after the last renewal); tokens %d"
                            + " -> %d%n",
                    fault,
                    i,
                    TimeUnit.NANOSECONDS.toMillis(t.lostNanos - t.cutNanos),
                    TimeUnit.NANOSECONDS.toMillis(t.acquiredNanos - t.cutNanos),
                    TTL.toMillis(),
                    t.heldToken,
                    t.nextToken);
            assertThat(t.nextToken).isGreaterThan(t.heldToken);
        }
        HistoryChecker.Report report = recorder.check();
        System.out.printf(
                Locale.ROOT,
                "[baton-consul] %s: %s; loss before handover in %d of %d trials%n",
                fault,
                report.summary(),
                told,
                trials.size());
        report.assertValid();
        assertThat(report.overlaps()).isZero();
        assertThat(told)
                .as("trials where the holder was told before the other client acquired")
                .isEqualTo(trials.size());
        assertThat(report.lossBeforeHandoverPercent()).isEqualTo(100.0);
    }

    /**
     * The holder's node fails (its {@code serfHealth} check turns critical and its agent goes silent). The backend's
     * sessions carry no checks, so the holder's session lives on to its TTL: the holder, unable to renew, is told of
     * its loss at its local deadline, before Consul frees the lock 2 x TTL after the last renewal.
     */
    @Test
    void holder_whose_node_fails_is_told_before_another_client_acquires() throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        NodeFailureTrial t = nodeFailureTrial(recorder, false);
        System.out.printf(
                Locale.ROOT,
                "[baton-consul] node failure (failNode, sessions without checks): holder told %d ms after the"
                        + " failure, other client acquired %d ms after it; holder valid at hand-over: %s; %s%n",
                TimeUnit.NANOSECONDS.toMillis(t.lostNanos - t.failedNanos),
                TimeUnit.NANOSECONDS.toMillis(t.acquiredNanos - t.failedNanos),
                t.holderValidAtHandover,
                recorder.check().summary());
        recorder.check().assertValid();
        assertThat(t.lostNanos).as("holder told of its loss").isPositive();
        assertThat(t.lostNanos)
                .as("holder told before the other client acquired")
                .isLessThan(t.acquiredNanos);
        assertThat(t.holderValidAtHandover).isFalse();
        assertThat(t.nextToken).isGreaterThan(t.heldToken);
    }

    /**
     * Negative control: the same failure with sessions created as the backend created them before it sent empty
     * checks (no {@code Checks} field, so Consul ties them to {@code serfHealth}); a proxy strips the fields from the
     * holder's session creation. The failure destroys the holder's session at once and the other client acquires
     * while the holder's handle still counts itself valid: an overlap only fencing tokens would catch.
     */
    @Test
    void negative_control_sessions_with_the_default_serf_check_hand_over_while_the_holder_is_still_valid()
            throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        NodeFailureTrial t = nodeFailureTrial(recorder, true);
        HistoryChecker.Report report = recorder.check();
        System.out.printf(
                Locale.ROOT,
                "[baton-consul] node failure, negative control (default serfHealth check): other client acquired %d ms"
                        + " after the failure; holder valid at hand-over: %s; %s%n",
                TimeUnit.NANOSECONDS.toMillis(t.acquiredNanos - t.failedNanos),
                t.holderValidAtHandover,
                report.summary());
        assertThat(t.holderValidAtHandover)
                .as("holder's handle valid when the other client acquired")
                .isTrue();
        assertThat(report.overlaps()).as("overlaps the history checker finds").isPositive();
        assertThat(t.nextToken).as("fencing still orders them").isGreaterThan(t.heldToken);
    }

    private record NodeFailureTrial(
            long failedNanos,
            long lostNanos,
            long acquiredNanos,
            boolean holderValidAtHandover,
            long heldToken,
            long nextToken) {}

    /**
     * The holder talks to an agent on node {@code node-a} (through a proxy that, with {@code defaultChecks}, strips
     * the checks from session creation), the waiter to the primary agent; node {@code node-a} then fails.
     */
    private NodeFailureTrial nodeFailureTrial(HistoryRecorder recorder, boolean defaultChecks) throws Exception {
        try (ConsulEmulator consul = ConsulEmulator.start();
                FlakyConnectionProxy proxy = FlakyConnectionProxy.start(consul.addAgent("node-a"))) {
            if (defaultChecks) {
                proxy.rewriteBodies("PUT", "/v1/session/create", ConsulFaultIT::withoutChecks);
            }
            String prefix = defaultChecks ? "node-control" : "node-failure";
            try (Coordinator holder = holder(proxy.address(), prefix);
                    Coordinator waiter = waiter(consul.address(), prefix)) {
                LockHandle held = holder.lock("n").acquire(Duration.ofSeconds(10));
                HistoryRecorder.Hold hold = recorder.acquired("holder", "n", held.fencingToken());
                AtomicLong lost = new AtomicLong();
                held.onLost((h, reason) -> {
                    hold.lost();
                    lost.compareAndSet(0, recorder.now());
                });
                AtomicLong acquired = new AtomicLong();
                boolean[] validAtHandover = new boolean[1];
                CompletableFuture<LockHandle> next = waiter.lock("n").acquireAsync();
                CompletableFuture<HistoryRecorder.Hold> nextHold = next.thenApply(h -> {
                    validAtHandover[0] = held.isValid();
                    acquired.set(recorder.now());
                    return recorder.acquired("waiter", "n", h.fencingToken());
                });
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> consul.keys(prefix + "/").size() == 2);
                long failed = recorder.now();
                consul.failNode("node-a");
                LockHandle nextHandle =
                        next.get(TckTimeouts.scaled(TTL.multipliedBy(4)).toSeconds(), TimeUnit.SECONDS);
                HistoryRecorder.Hold h = nextHold.join();
                if (defaultChecks) {
                    // Wait for the holder to learn of its loss (its renewals go unanswered) so that the record is
                    // complete; the overlap is already in it.
                    await().atMost(TckTimeouts.scaled(TTL.multipliedBy(2))).until(() -> !held.isValid());
                }
                h.releasing();
                nextHandle.close();
                consul.recoverNode("node-a");
                return new NodeFailureTrial(
                        failed,
                        lost.get(),
                        acquired.get(),
                        validAtHandover[0],
                        held.fencingToken(),
                        nextHandle.fencingToken());
            }
        }
    }

    /** A session creation body as consul-api wrote it: no {@code Checks}, {@code NodeChecks} or {@code ServiceChecks}. */
    private static byte[] withoutChecks(byte[] body) {
        JsonObject o =
                JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
        o.remove("Checks");
        o.remove("NodeChecks");
        o.remove("ServiceChecks");
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void wrong_or_missing_acl_token_is_a_clear_error_that_never_shows_the_token() {
        try (ConsulEmulator consul = ConsulEmulator.start()) {
            consul.requireToken("the-right-token");
            try (ConsulBackend wrong = ConsulBackend.builder()
                    .agentAddress(consul.address())
                    .aclToken("a-wrong-token-1234")
                    .build()) {
                assertThatThrownBy(() -> wrong.grantLease(TTL))
                        .isInstanceOf(AccessDeniedException.class)
                        .hasMessageContaining("403")
                        .hasMessageContaining("ACL not found")
                        .hasMessageContaining("aclToken")
                        .hasMessageContaining("refused to create a session")
                        .hasMessageContaining("session_prefix \"\" { policy = \"write\" }")
                        .message()
                        .doesNotContain("a-wrong-token-1234");
                assertThatThrownBy(() -> wrong.list("x")).isInstanceOf(AccessDeniedException.class);
            }
            try (ConsulBackend missing =
                    ConsulBackend.builder().agentAddress(consul.address()).build()) {
                assertThatThrownBy(() -> missing.grantLease(TTL))
                        .isInstanceOf(AccessDeniedException.class)
                        .hasMessageContaining("Permission denied")
                        .hasMessageContaining("no token was given");
            }
            try (ConsulBackend right = ConsulBackend.builder()
                    .agentAddress(consul.address())
                    .aclToken("the-right-token")
                    .build()) {
                long lease = right.grantLease(TTL);
                assertThat(right.createIfAbsent("k", new byte[] {1}, lease)).isPresent();
                right.revokeLease(lease);
            }
            assertThat(consul.keys("")).isEmpty();
        }
    }

    @Test
    void close_leaves_nothing_under_the_prefix() throws Exception {
        try (ConsulEmulator consul = ConsulEmulator.start()) {
            ConsulBackend.Builder builder =
                    ConsulBackend.builder().agentAddress(consul.address()).keyPrefix("app/locks");
            Coordinator a = builder.coordinatorBuilder().sessionTtl(TTL).build();
            Coordinator b = builder.coordinatorBuilder().sessionTtl(TTL).build();
            LockHandle mutex = a.lock("orders/42").acquire(Duration.ofSeconds(10));
            a.lock("reports", LockOptions.ttl(Duration.ofSeconds(30))).acquire(Duration.ofSeconds(10));
            a.lease("jobs/compaction", Duration.ofSeconds(30)).acquire(Duration.ofSeconds(10));
            LeaderElection election = a.election("billing", "a");
            election.campaign(Duration.ofSeconds(10));
            CompletableFuture<LockHandle> waiting = b.lock("orders/42").acquireAsync();
            b.election("billing", "b").campaignAsync();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> consul.keys("app/locks/").size() == 6);
            int keysBefore = consul.keys("app/locks/").size();
            a.close();
            LockHandle next = waiting.get(10, TimeUnit.SECONDS);
            assertThat(next.fencingToken()).isGreaterThan(mutex.fencingToken());
            b.close();
            List<String> left = consul.keys("app/locks/");
            int sessionsLeft = consul.sessions("baton:app/locks");
            System.out.printf(
                    Locale.ROOT,
                    "[baton-consul] close: %d keys held before, %d keys and %d sessions left after close()%n",
                    keysBefore,
                    left.size(),
                    sessionsLeft);
            assertThat(left).as("keys under the prefix after close()").isEmpty();
            assertThat(sessionsLeft).as("sessions after close()").isZero();
        }
    }
}
