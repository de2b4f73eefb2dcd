package dev.baton.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.ElectionListener;
import dev.baton.lock.Leadership;
import dev.baton.lock.LockException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.LossReason;
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.tck.HistoryChecker;
import dev.baton.lock.tck.HistoryRecorder;
import dev.baton.lock.tck.TckTimeouts;
import dev.baton.lock.tck.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults on real ZooKeeper servers, each checked with the history checker: a server crash under contention, an expired
 * session, a holder cut off by a TCP proxy, ACLs, and the namespace left clean. Figures go to standard output on lines
 * starting with {@code [baton-zookeeper]}.
 */
class ZooKeeperFaultIT {
    private static final Duration SESSION_TTL = ZooKeeperTckEnvironment.SESSION_TTL;
    private static final int TRIALS = 3;

    private final List<AutoCloseable> closeAfter = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeEverything() {
        List<AutoCloseable> reversed = new ArrayList<>(closeAfter);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            ZooKeeperServers.closeQuietly(c);
        }
    }

    // 4a -----------------------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void killing_the_connected_server_during_contended_acquisitions_never_lets_two_hold() throws Exception {
        TestingCluster cluster = ZooKeeperServers.newEnsemble();
        closeAfter.add(cluster::close);
        ZooKeeperTckEnvironment env = track(new ZooKeeperTckEnvironment(cluster.getConnectString()));
        String name = "crash-contended";
        HistoryRecorder recorder = new HistoryRecorder();
        List<Coordinator> coordinators = new ArrayList<>();
        List<ZooKeeperBackend> backends = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            ZooKeeperBackend backend = env.builder().build();
            backends.add(backend);
            coordinators.add(track(coordinator(backend)));
        }
        int threadsPerCoordinator = 2;
        AtomicInteger acquired = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicLong lastAcquired = new AtomicLong(System.nanoTime());
        AtomicLong longestStall = new AtomicLong();
        AtomicReference<Boolean> stop = new AtomicReference<>(false);
        ExecutorService pool = Executors.newFixedThreadPool(coordinators.size() * threadsPerCoordinator);
        closeAfter.add(pool::shutdownNow);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < coordinators.size(); c++) {
            for (int t = 0; t < threadsPerCoordinator; t++) {
                Coordinator coordinator = coordinators.get(c);
                String label = "c" + c + "-t" + t;
                workers.add(pool.submit(() -> {
                    DistributedLock lock = coordinator.lock(name);
                    while (!stop.get()) {
                        LockHandle h;
                        try {
                            h = lock.acquire(Duration.ofSeconds(10));
                        } catch (LockException e) {
                            failures.incrementAndGet();
                            continue;
                        }
                        HistoryRecorder.Hold hold = recorder.acquired(label, name, h.fencingToken());
                        h.onLost((handle, reason) -> hold.lost());
                        long now = System.nanoTime();
                        longestStall.accumulateAndGet(now - lastAcquired.getAndSet(now), Math::max);
                        acquired.incrementAndGet();
                        Thread.yield();
                        hold.releasing();
                        h.close();
                    }
                    return null;
                }));
            }
        }
        await().atMost(scaled(60)).until(() -> acquired.get() >= 300);
        InstanceSpec victim = cluster.findConnectionInstance(
                backends.get(0).curator().getZookeeperClient().getZooKeeper());
        int before = acquired.get();
        long killedAt = System.nanoTime();
        cluster.killServer(victim);
        longestStall.set(0);
        lastAcquired.set(killedAt);
        await().atMost(scaled(90)).until(() -> acquired.get() >= before + 300);
        stop.set(true);
        for (Future<?> w : workers) {
            w.get(30, TimeUnit.SECONDS);
        }
        HistoryChecker.Report report = recorder.check();
        report(
                "4a server crash: killed server %d (client c0's), %s; %d acquisitions after the kill; failed attempts %d;"
                        + " longest stall after the kill %d ms (session TTL %d ms)",
                victim.getServerId(),
                report.summary(),
                acquired.get() - before,
                failures.get(),
                TimeUnit.NANOSECONDS.toMillis(longestStall.get()),
                SESSION_TTL.toMillis());
        report.assertValid();
        assertThat(report.overlaps()).isZero();
    }

    // 4b -----------------------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void expired_session_interrupts_the_task_and_runs_the_listener_before_another_is_elected() throws Exception {
        ZooKeeperTckEnvironment env = track(new ZooKeeperTckEnvironment(ZooKeeperServers.single()));
        runHandoverTrials("4b session expiry", env, null, (first) -> {
            try {
                KillSession.kill(first.curator().getZookeeperClient().getZooKeeper());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // 4c -----------------------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void holder_cut_off_by_a_proxy_is_told_before_another_is_elected() throws Exception {
        String connect = ZooKeeperServers.single();
        String[] hostPort = connect.split(",")[0].split(":");
        ZooKeeperTckEnvironment env = track(new ZooKeeperTckEnvironment(connect));
        runHandoverTrials(
                "4c proxy cut",
                env,
                () -> {
                    TcpProxy proxy = TcpProxy.start(hostPort[0], Integer.parseInt(hostPort[1]));
                    closeAfter.add(proxy);
                    return proxy;
                },
                null);
    }

    /**
     * Trials of one fault: a singleton runs on {@code first}, a second runner waits; the fault hits {@code first};
     * the first's task must be interrupted and its listener run before the second's task starts.
     */
    private void runHandoverTrials(
            String what, ZooKeeperTckEnvironment env, ProxyFactory proxies, Consumer<ZooKeeperBackend> fault)
            throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        List<Long> failovers = new ArrayList<>();
        List<Long> warnings = new ArrayList<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            String name = "handover-" + trial;
            TcpProxy proxy = proxies == null ? null : proxies.start();
            ZooKeeperBackend.Builder b1 = env.builder();
            if (proxy != null) {
                b1 = ZooKeeperBackend.builder()
                        .connectString(proxy.address())
                        .namespace(env.namespace())
                        .sessionTimeout(SESSION_TTL)
                        .connectionTimeout(Duration.ofSeconds(3))
                        .reapInterval(ZooKeeperTckEnvironment.REAP_INTERVAL);
            }
            ZooKeeperBackend firstBackend = b1.build();
            Coordinator first = track(coordinator(firstBackend));
            Coordinator second = track(coordinator(env.builder().build()));
            AtomicReference<HistoryRecorder.Hold> firstHold = new AtomicReference<>();
            AtomicLong firstInterrupted = new AtomicLong();
            AtomicLong firstRevoked = new AtomicLong();
            AtomicLong secondStarted = new AtomicLong();
            CountDownLatch firstRunning = new CountDownLatch(1);
            SingletonRunner r1 = track(first.singleton(name, "first", term -> {
                firstHold.set(recorder.acquired("first-" + what, name, term.fencingToken()));
                firstRunning.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    firstInterrupted.compareAndSet(0, System.nanoTime());
                    firstHold.get().lost();
                }
            }));
            r1.listen(new ElectionListener() {
                @Override
                public void onElected(Leadership leadership) {}

                @Override
                public void onRevoked(Leadership leadership, LossReason reason) {
                    firstRevoked.compareAndSet(0, System.nanoTime());
                }
            });
            assertThat(firstRunning.await(30, TimeUnit.SECONDS)).isTrue();
            track(second.singleton(name, "second", term -> {
                secondStarted.compareAndSet(0, System.nanoTime());
                HistoryRecorder.Hold hold = recorder.acquired("second-" + what, name, term.fencingToken());
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    hold.releasing();
                }
            }));
            awaitKeys(env, 2);
            long faultAt = System.nanoTime();
            if (proxy != null) {
                proxy.blackhole();
            } else {
                fault.accept(firstBackend);
            }
            await().atMost(SESSION_TTL.multipliedBy(3).plus(scaled(20))).until(() -> secondStarted.get() != 0);
            if (proxy != null) {
                proxy.heal();
            }
            assertThat(firstInterrupted.get())
                    .as("trial %d: the first task was interrupted", trial)
                    .isNotZero();
            assertThat(firstInterrupted.get())
                    .as("trial %d: interrupted before the second task started", trial)
                    .isLessThan(secondStarted.get());
            assertThat(firstRevoked.get())
                    .as("trial %d: onRevoked ran before the second task started", trial)
                    .isNotZero()
                    .isLessThan(secondStarted.get());
            failovers.add(TimeUnit.NANOSECONDS.toMillis(secondStarted.get() - faultAt));
            warnings.add(TimeUnit.NANOSECONDS.toMillis(secondStarted.get() - firstInterrupted.get()));
            report(
                    "%s trial %d: first told (task interrupted) %d ms after the fault, listener %d ms, second elected"
                            + " %d ms after the fault (session TTL %d ms): told %d ms before handover",
                    what,
                    trial,
                    TimeUnit.NANOSECONDS.toMillis(firstInterrupted.get() - faultAt),
                    TimeUnit.NANOSECONDS.toMillis(firstRevoked.get() - faultAt),
                    failovers.get(failovers.size() - 1),
                    SESSION_TTL.toMillis(),
                    warnings.get(warnings.size() - 1));
            first.close();
            second.close();
        }
        HistoryChecker.Report report = recorder.check();
        report(
                "%s: %s; failover max %d ms against session TTL %d ms",
                what, report.summary(), Collections.max(failovers), SESSION_TTL.toMillis());
        report.assertValid();
        assertThat(report.lossesChecked()).isEqualTo(TRIALS);
        assertThat(report.lossBeforeHandoverPercent()).isEqualTo(100.0);
    }

    @FunctionalInterface
    private interface ProxyFactory {
        TcpProxy start();
    }

    // 4d -----------------------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void another_identity_cannot_delete_or_overwrite_a_held_lock() throws Exception {
        ZooKeeperTckEnvironment env = track(new ZooKeeperTckEnvironment(ZooKeeperServers.single()));
        Coordinator owner = track(coordinator(
                env.builder().digestAuthentication("baton-owner", "s3cret").build()));
        LockHandle held = owner.lock("guarded").acquire(Duration.ofSeconds(10));
        List<String> keys = env.keysOnServer();
        assertThat(keys).hasSize(1);
        String path = new dev.baton.zookeeper.internal.Layout("/" + env.namespace()).entry(keys.get(0));
        List<String> refused = new ArrayList<>();
        for (String identity : List.of("intruder:other", "")) {
            CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder()
                    .connectString(env.connectString())
                    .retryPolicy(new RetryNTimes(0, 0));
            if (!identity.isEmpty()) {
                b.authorization("digest", identity.getBytes(StandardCharsets.UTF_8));
            }
            CuratorFramework other = track(b.build());
            other.start();
            assertThat(other.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            assertThat(other.getData().forPath(path))
                    .as("world may read the holder")
                    .isNotEmpty();
            assertThatThrownBy(() -> other.delete().forPath(path)).isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> other.setData().forPath(path, new byte[] {1}))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> other.delete().deletingChildrenIfNeeded().forPath("/" + env.namespace()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            refused.add(identity.isEmpty() ? "anonymous" : identity.split(":")[0]);
        }
        assertThat(env.keysOnServer()).containsExactlyElementsOf(keys);
        assertThat(held.isValid()).isTrue();
        report("4d ACLs: delete, overwrite and recursive delete of a held lock refused (NoAuth) for %s", refused);
        held.close();
    }

    // 4e -----------------------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void every_node_lives_under_the_namespace_and_nothing_remains_after_close() throws Exception {
        ZooKeeperTckEnvironment env = track(new ZooKeeperTckEnvironment(ZooKeeperServers.single()));
        CuratorFramework admin = env.admin();
        List<String> rootBefore = admin.getChildren().forPath("/");
        ZooKeeperBackend backend = env.builder().build();
        Coordinator c = coordinator(backend);
        LockHandle mutex = c.lock("orders/42").acquire(Duration.ofSeconds(10));
        LockHandle ttl =
                c.lock("nightly", LockOptions.ttl(Duration.ofSeconds(30))).acquire(Duration.ofSeconds(10));
        LockHandle lease = c.lease("compaction", Duration.ofSeconds(1)).acquire(Duration.ofSeconds(10));
        SingletonRunner runner = c.singleton("leader", "me", term -> new CountDownLatch(1).await());
        await().atMost(scaled(10)).until(() -> env.keysOnServer().size() == 4);
        List<String> rootDuring = admin.getChildren().forPath("/");
        List<String> added = new ArrayList<>(rootDuring);
        added.removeAll(rootBefore);
        assertThat(added).as("top-level nodes added").containsExactly(env.namespace());
        Stat entry = admin.checkExists()
                .forPath(new dev.baton.zookeeper.internal.Layout("/" + env.namespace())
                        .entry(env.keysOnServer().stream()
                                .filter(k -> k.startsWith("locks/orders"))
                                .findFirst()
                                .orElseThrow()));
        long session = backend.curator().getZookeeperClient().getZooKeeper().getSessionId();
        assertThat(entry.getEphemeralOwner())
                .as("session-bound entry is ephemeral")
                .isEqualTo(session);
        Stat ttlEntry = admin.checkExists()
                .forPath(new dev.baton.zookeeper.internal.Layout("/" + env.namespace())
                        .entry(env.keysOnServer().stream()
                                .filter(k -> k.startsWith("locks/nightly"))
                                .findFirst()
                                .orElseThrow()));
        assertThat(ttlEntry.getEphemeralOwner())
                .as("a TTL lock longer than the ZooKeeper session is persistent")
                .isZero();
        assertThat(ttl.fencingToken())
                .as("its token is still the czxid of its first node")
                .isLessThan(ttlEntry.getCzxid());
        int nodesDuring = env.allNodes().size();
        runner.close();
        c.close();
        assertThat(mutex.isValid()).isFalse();
        assertThat(lease.isValid()).isFalse();
        List<String> left = env.allNodes();
        boolean namespaceGone = admin.checkExists().forPath("/" + env.namespace()) == null;
        report(
                "4e namespace: %d nodes under /%s while holding 4 locks, %d left after close, namespace node %s",
                nodesDuring, env.namespace(), left.size(), namespaceGone ? "removed" : "left");
        assertThat(left).as("nodes left under the namespace after close").isEmpty();
        assertThat(namespaceGone).isTrue();
        assertThat(admin.getChildren().forPath("/")).containsExactlyInAnyOrderElementsOf(rootBefore);
    }

    // -------------------------------------------------------------------------------------------------------------

    private static Coordinator coordinator(ZooKeeperBackend backend) {
        return Coordinator.builder(backend)
                .sessionTtl(SESSION_TTL)
                .closeBackendOnClose(true)
                .build();
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closeAfter.add(closeable);
        return closeable;
    }

    private static void awaitKeys(ZooKeeperTckEnvironment env, int count) {
        await().atMost(scaled(20)).until(() -> env.keysOnServer().size() == count);
    }

    private static Duration scaled(long seconds) {
        return TckTimeouts.scaled(Duration.ofSeconds(seconds));
    }

    private static void report(String format, Object... args) {
        System.out.println("[baton-zookeeper] " + String.format(Locale.ROOT, format, args));
    }
}
