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
package dev.baton.examples;

import dev.baton.examples.DemoResult.Failover;
import dev.baton.examples.DemoResult.Leases;
import dev.baton.examples.DemoResult.TtlLock;
import dev.baton.inmemory.InMemoryBackend;
import dev.baton.inmemory.InMemoryCluster;
import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.LeaderInfo;
import dev.baton.lock.LeaseHandle;
import dev.baton.lock.LeaseOptions;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.SessionState;
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.SingletonTask;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Three coordinators ("nodes") on the embedded in-memory cluster: a singleton task elects a leader, workers pass a
 * mutex with fencing tokens, a TTL lock expires on a holder that never releases it, two leases are renewed, and then
 * the leader is cut off from the cluster. The demo prints when the old leader is told it lost and when the new one is
 * elected.
 *
 * <p>The demo narrates; it does not judge. What it saw is returned as a {@link DemoResult}, and {@code DemoTest} checks
 * it: one leader at a time, fencing tokens strictly increasing, the cut-off leader told before its successor is
 * elected, failover within the session TTL plus slack, nothing left on the cluster or running after close. For one
 * recipe at a time, read the short examples beside it ({@link MutexExample} and the others).
 *
 * <p>Not threadsafe: one instance runs once, from {@link #run(PrintStream)}.
 */
public final class Demo {
    /** Every coordinator's session TTL: short, so that the failover is quick to watch. */
    static final Duration SESSION_TTL = Duration.ofSeconds(2);

    /** The election the singleton task runs under. */
    static final String ELECTION = "demo/leader";

    /** The mutex the workers pass around. */
    static final String ORDER_LOCK = "orders/42";

    /** How many workers take turns on the mutex, and how many turns each. */
    static final int WORKER_COUNT = 6;

    static final int ROUNDS_PER_WORKER = 2;

    private static final int NODE_COUNT = 3;
    /** How long a worker holds the lock: only so that the hand-offs can be read as they happen. */
    private static final Duration HOLD_TIME = Duration.ofMillis(50);

    private static final String TTL_LOCK = "reports/nightly";
    private static final Duration TTL_LOCK_TTL = Duration.ofMillis(600);
    private static final String MANUAL_LEASE = "jobs/compaction";
    private static final String AUTO_LEASE = "jobs/reindex";
    private static final Duration LEASE_TTL = Duration.ofSeconds(1);

    /** How long the demo waits for any single event before it stops the story: only a hang trips it. */
    private static final Duration EVENT_TIMEOUT = SESSION_TTL.multipliedBy(3);
    /** {@link #main(String[])} gives up after this long, whatever hangs. */
    private static final Duration WATCHDOG = Duration.ofSeconds(30);

    private final TimedConsole console;
    private final Duration safetyMargin = SESSION_TTL.dividedBy(5);
    private final List<Node> nodes = new ArrayList<>();
    private final List<SingletonRunner> runners = new ArrayList<>();
    private final List<AutoCloseable> otherResources = new ArrayList<>();

    private final AtomicReference<Term> currentTerm = new AtomicReference<>();
    private final BlockingQueue<Term> termsStarted = new LinkedBlockingQueue<>();
    private final BlockingQueue<Term> termsEnded = new LinkedBlockingQueue<>();
    private final AtomicInteger leadersNow = new AtomicInteger();
    private final AtomicInteger mostLeadersAtOnce = new AtomicInteger();
    private final List<Long> leaderTokens = new CopyOnWriteArrayList<>();
    private final List<Long> observedLeaderTokens = new CopyOnWriteArrayList<>();
    private final List<Long> orderTokens = new CopyOnWriteArrayList<>();
    private final AtomicInteger mostOrderHoldersAtOnce = new AtomicInteger();

    /** What the leader writes to, and the orders the workers write to: both reject stale fencing tokens. */
    private final FencedStore leaderState = new FencedStore();

    private final FencedStore orders = new FencedStore();
    private volatile boolean shuttingDown;

    private Demo(PrintStream out) {
        this.console = new TimedConsole(out);
    }

    /**
     * Runs the demo and prints what happens to standard output; exits with 0 when the story ran to its end, 1 when it
     * stopped early, 2 when it did not finish within 30 seconds.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        startWatchdog();
        System.exit(run(System.out).stoppedEarly().isEmpty() ? 0 : 1);
    }

    /**
     * Runs the demo once and returns what it saw. Never throws for an exception from the library: the run stops and
     * says why in {@link DemoResult#stoppedEarly()}.
     *
     * @param out where to print the narration
     * @return the result
     */
    public static DemoResult run(PrintStream out) {
        return new Demo(out).runAll();
    }

    private DemoResult runAll() {
        console.line(
                "Baton demo: %d coordinators on one in-memory cluster, session TTL %s, safety margin %s",
                NODE_COUNT, TimedConsole.seconds(SESSION_TTL.toNanos()), TimedConsole.seconds(safetyMargin.toNanos()));
        Optional<String> stoppedEarly = Optional.empty();
        Optional<TtlLock> ttlLock = Optional.empty();
        Optional<Leases> leases = Optional.empty();
        Optional<Failover> failover = Optional.empty();
        InMemoryCluster cluster = null;
        try {
            cluster = startNodes();
            electLeader();
            passTheLock();
            ttlLock = Optional.of(showTtlLock());
            LeaseShow leaseShow = showLeases();
            failover = Optional.of(cutOffTheLeader());
            leases = Optional.of(leaseShow.afterFailover());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stoppedEarly = Optional.of("the demo was interrupted");
        } catch (Abort e) {
            stoppedEarly = Optional.of(e.getMessage());
        } catch (RuntimeException e) {
            stoppedEarly = Optional.of("an unexpected exception: " + e);
            e.printStackTrace(System.err);
        } finally {
            closeEverything();
        }
        stoppedEarly.ifPresent(why -> console.line("STOPPED EARLY: %s", why));
        // Introspection still works on a closed cluster: what did release and close leave behind?
        List<String> keysLeft = cluster == null ? List.of() : cluster.keys();
        int leasesLeft = cluster == null ? 0 : cluster.liveLeaseCount();
        if (keysLeft.isEmpty() && leasesLeft == 0) {
            console.line("the cluster holds no keys and no leases");
        } else {
            console.line("the cluster still holds keys %s and %d leases", keysLeft, leasesLeft);
        }
        return new DemoResult(
                stoppedEarly,
                orderTokens,
                mostOrderHoldersAtOnce.get(),
                leaderTokens,
                mostLeadersAtOnce.get(),
                observedLeaderTokens,
                ttlLock,
                leases,
                failover,
                keysLeft,
                leasesLeft);
    }

    /**
     * Each node keeps its own client of the embedded default cluster, so that the demo can cut it off later; the
     * coordinator closes it.
     *
     * @return the cluster the nodes share
     */
    private InMemoryCluster startNodes() {
        for (int i = 1; i <= NODE_COUNT; i++) {
            String id = "node-" + i;
            InMemoryBackend backend = InMemoryBackend.builder().build();
            Coordinator coordinator;
            try {
                coordinator = Coordinator.builder(backend)
                        .sessionTtl(SESSION_TTL)
                        .safetyMargin(safetyMargin)
                        .closeBackendOnClose(true)
                        .build();
            } catch (RuntimeException e) {
                backend.close();
                throw e;
            }
            nodes.add(new Node(id, backend, coordinator));
            coordinator.onSessionStateChange((previous, current) -> {
                if (current != SessionState.CLOSED) {
                    console.line("%s session %s -> %s", id, previous, current);
                }
            });
        }
        console.line("started node-1..node-%d, each a coordinator with a session of its own", NODE_COUNT);
        return nodes.get(0).backend().cluster();
    }

    /** Starts the singleton on node-1 first so that the story is easy to follow, then on the others. */
    private void electLeader() throws InterruptedException {
        Node first = nodes.get(0);
        runners.add(first.coordinator().singleton(ELECTION, first.id(), leaderTask(first.id())));
        awaitTerm(termsStarted, "the first leader of " + ELECTION);
        for (Node node : nodes.subList(1, NODE_COUNT)) {
            runners.add(node.coordinator().singleton(ELECTION, node.id(), leaderTask(node.id())));
        }
        console.line("node-2 and node-3 run the same singleton: they campaign and wait in line");

        Node watcherNode = nodes.get(NODE_COUNT - 1);
        LeaderElection watcher = watcherNode.coordinator().election(ELECTION, watcherNode.id() + "-watcher");
        otherResources.add(watcher);
        watcher.observe(leader -> describeObservedLeader(watcherNode.id(), leader));
    }

    /**
     * The singleton task: leads until interrupted, writing its token to the leader-state store, as a real leader would
     * to the resources it controls.
     */
    private SingletonTask leaderTask(String nodeId) {
        return leadership -> {
            Term term = new Term(nodeId, leadership.fencingToken(), console.now());
            mostLeadersAtOnce.accumulateAndGet(leadersNow.incrementAndGet(), Math::max);
            console.line("%s elected leader of %s (token %d)", nodeId, ELECTION, term.token());
            leaderTokens.add(term.token());
            leaderState.write(term.token(), nodeId);
            currentTerm.set(term);
            termsStarted.add(term);
            try {
                leadership.proclaim(nodeId + ".example:8080");
                new CountDownLatch(1).await(); // lead until the runner interrupts this thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                console.line("%s could not proclaim its address: %s", nodeId, e);
            } finally {
                leadersNow.decrementAndGet();
                if (shuttingDown) {
                    console.line("%s stops leading (runner closed)", nodeId);
                } else {
                    console.line(
                            "%s told it lost leadership of %s: task interrupted (term token %d)",
                            nodeId, ELECTION, term.token());
                }
                termsEnded.add(new Term(nodeId, term.token(), console.now()));
            }
        };
    }

    private void describeObservedLeader(String observer, Optional<LeaderInfo> leader) {
        if (leader.isEmpty()) {
            console.line("%s watches %s: no leader", observer, ELECTION);
            return;
        }
        LeaderInfo info = leader.get();
        observedLeaderTokens.add(info.fencingToken());
        console.line(
                "%s watches %s: leader %s (token %d%s)",
                observer,
                ELECTION,
                info.candidateId(),
                info.fencingToken(),
                info.value().isEmpty() ? "" : ", proclaimed \"" + info.value() + "\"");
    }

    /** Workers spread over the nodes take turns on one mutex; each hand-off carries a larger token. */
    private void passTheLock() throws InterruptedException {
        console.line(
                "%d workers on %d nodes take turns on %s, %d times each",
                WORKER_COUNT, NODE_COUNT, ORDER_LOCK, ROUNDS_PER_WORKER);
        AtomicInteger threadCount = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(
                WORKER_COUNT, r -> new Thread(r, "orders-worker-" + threadCount.incrementAndGet()));
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger holders = new AtomicInteger();
        List<Future<Void>> workers = new ArrayList<>();
        try {
            for (int w = 0; w < WORKER_COUNT; w++) {
                Node node = nodes.get(w % NODE_COUNT);
                String worker = node.id() + "/worker-" + (w + 1);
                Callable<Void> work = () -> {
                    start.await();
                    takeTurns(node, worker, holders);
                    return null;
                };
                workers.add(pool.submit(work));
            }
            start.countDown();
            long deadline = System.nanoTime() + EVENT_TIMEOUT.toNanos();
            for (Future<Void> f : workers) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new Abort("a worker failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw new Abort("the workers did not finish within " + EVENT_TIMEOUT);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void takeTurns(Node node, String worker, AtomicInteger holders) throws InterruptedException {
        // One DistributedLock per worker: an instance refuses a second acquisition while its handle is valid.
        DistributedLock lock = node.coordinator().lock(ORDER_LOCK);
        for (int round = 0; round < ROUNDS_PER_WORKER; round++) {
            try (LockHandle handle = lock.acquire(EVENT_TIMEOUT)) {
                mostOrderHoldersAtOnce.accumulateAndGet(holders.incrementAndGet(), Math::max);
                long token = handle.fencingToken();
                orderTokens.add(token);
                orders.write(token, worker);
                console.line("%s handed to %s (token %d)", ORDER_LOCK, worker, token);
                Thread.sleep(HOLD_TIME.toMillis()); // only to make the hand-offs readable
                holders.decrementAndGet();
            }
        }
    }

    /** A TTL lock whose holder never releases it: it expires, the holder is told, and the next one gets it. */
    private TtlLock showTtlLock() throws InterruptedException {
        Node holderNode = nodes.get(1);
        Node nextNode = nodes.get(2);
        LockOptions options = LockOptions.ttl(TTL_LOCK_TTL);
        LockHandle forgotten = holderNode.coordinator().lock(TTL_LOCK, options).acquire(EVENT_TIMEOUT);
        long takenAt = console.now();
        otherResources.add(forgotten);
        CountDownLatch toldLost = new CountDownLatch(1);
        forgotten.onLost((handle, reason) -> {
            console.line("%s told its TTL lock %s is gone: %s", holderNode.id(), handle.name(), reason);
            toldLost.countDown();
        });
        console.line(
                "%s took TTL lock %s for at most %d ms (token %d) and never releases it",
                holderNode.id(), TTL_LOCK, TTL_LOCK_TTL.toMillis(), forgotten.fencingToken());

        DistributedLock next = nextNode.coordinator().lock(TTL_LOCK, options);
        Optional<LockHandle> attempt = next.tryAcquire();
        attempt.ifPresent(LockHandle::close);
        console.line(
                "%s tryAcquire(%s): %s",
                nextNode.id(), TTL_LOCK, attempt.isPresent() ? "got it" : "taken, returns empty; now waits");
        try (LockHandle handle = next.acquire(EVENT_TIMEOUT)) {
            Duration waited = Duration.ofNanos(console.now() - takenAt);
            boolean firstStillValid = forgotten.isValid();
            console.line(
                    "%s got %s %d ms after the first acquisition (token %d)",
                    nextNode.id(), TTL_LOCK, waited.toMillis(), handle.fencingToken());
            boolean told = toldLost.await(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new TtlLock(
                    forgotten.fencingToken(),
                    handle.fencingToken(),
                    attempt.isPresent(),
                    firstStillValid,
                    told,
                    waited,
                    TTL_LOCK_TTL);
        }
    }

    /** A lease renewed by hand, and one renewed in the background (looked at again after the failover). */
    private LeaseShow showLeases() throws InterruptedException {
        Node node = nodes.get(1);
        Duration before;
        Duration after;
        try (LeaseHandle lease =
                node.coordinator().lease(MANUAL_LEASE, LEASE_TTL).acquire(EVENT_TIMEOUT)) {
            console.line(
                    "%s holds lease %s (token %d), %d ms left",
                    node.id(),
                    MANUAL_LEASE,
                    lease.fencingToken(),
                    lease.remaining().toMillis());
            Thread.sleep(LEASE_TTL.dividedBy(2).toMillis()); // stands for work done under the lease
            before = lease.remaining();
            lease.renew();
            after = lease.remaining();
            console.line(
                    "%s renewed %s: %d ms left before, %d ms after",
                    node.id(), MANUAL_LEASE, before.toMillis(), after.toMillis());
        }
        LeaseOptions autoRenew = LeaseOptions.builder(LEASE_TTL).autoRenew(true).build();
        LockHandle lease = node.coordinator().lease(AUTO_LEASE, autoRenew).acquire(EVENT_TIMEOUT);
        otherResources.add(lease);
        console.line(
                "%s holds lease %s with a %d ms TTL, renewed every %d ms in the background (token %d)",
                node.id(),
                AUTO_LEASE,
                LEASE_TTL.toMillis(),
                autoRenew.renewInterval().toMillis(),
                lease.fencingToken());
        return new LeaseShow(node.id(), before, after, lease);
    }

    /**
     * Cuts the leader off: its backend fails every call from now on, so it can neither renew its session nor resign.
     * Its own coordinator interrupts its task before the server expires the session and the next candidate is
     * elected.
     */
    private Failover cutOffTheLeader() throws InterruptedException {
        Term oldTerm = currentTerm.get();
        if (oldTerm == null) {
            throw new Abort("no sitting leader to cut off");
        }
        String oldId = oldTerm.node();
        console.line("cutting %s off the network: it can neither renew its session nor resign", oldId);
        long cutAt = console.now();
        node(oldId).backend().disconnect();

        Term told = awaitTerm(termsEnded, "the cut-off leader being told it lost");
        Term next = awaitTerm(termsStarted, "a new leader");
        Duration toldAfter = Duration.ofNanos(told.at() - cutAt);
        Duration electedAfter = Duration.ofNanos(next.at() - cutAt);
        console.line(
                "failover: %s told at +%s after the cut, %s elected at +%s (session TTL %s, safety margin %s)",
                told.node(),
                TimedConsole.seconds(toldAfter.toNanos()),
                next.node(),
                TimedConsole.seconds(electedAfter.toNanos()),
                TimedConsole.seconds(SESSION_TTL.toNanos()),
                TimedConsole.seconds(safetyMargin.toNanos()));
        if (told.at() < next.at()) {
            console.line(
                    "%s knew it was no longer leader %s before %s was elected",
                    told.node(), TimedConsole.seconds(next.at() - told.at()), next.node());
        } else {
            console.line(
                    "%s was elected %s before %s was told",
                    next.node(), TimedConsole.seconds(told.at() - next.at()), told.node());
        }

        // A leader that was paused rather than cut off would not see its interrupt; it would wake up and write with
        // its old token. Only the resource can stop that write, by comparing fencing tokens.
        boolean rejected = !leaderState.write(oldTerm.token(), oldId);
        console.line(
                "leader-state store %s a late write from %s with its old token %d (it has seen %d)",
                rejected ? "rejects" : "ACCEPTS", oldId, oldTerm.token(), leaderState.highestToken());
        return new Failover(oldId, told.node(), next.node(), toldAfter, electedAfter, SESSION_TTL, rejected);
    }

    private void closeEverything() {
        shuttingDown = true;
        long start = console.now();
        // Stop the waiting candidates before the leader, so that its resignation elects nobody.
        List<SingletonRunner> leadersLast = new ArrayList<>(runners);
        leadersLast.sort(Comparator.comparing(r -> r.currentTerm().isPresent()));
        List<AutoCloseable> all = new ArrayList<>(leadersLast);
        all.addAll(otherResources);
        nodes.forEach(node -> all.add(node.coordinator()));
        for (AutoCloseable resource : all) {
            try {
                resource.close();
            } catch (Exception e) {
                console.line("closing %s threw %s", resource, e);
            }
        }
        console.line(
                "closed %d runners and %d coordinators in %d ms",
                runners.size(), nodes.size(), TimeUnit.NANOSECONDS.toMillis(console.now() - start));
    }

    private Term awaitTerm(BlockingQueue<Term> queue, String what) throws InterruptedException {
        Term term = queue.poll(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (term == null) {
            throw new Abort("waited " + EVENT_TIMEOUT + " for " + what);
        }
        return term;
    }

    private Node node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow(() -> new Abort("no node " + id));
    }

    private static void startWatchdog() {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(WATCHDOG.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.out.println("The demo did not finish within " + WATCHDOG + "; stopping it.");
                    Runtime.getRuntime().halt(2);
                },
                "demo-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** One node of the demo: a coordinator over its own client of the in-memory cluster. */
    private record Node(String id, InMemoryBackend backend, Coordinator coordinator) {}

    /** A leadership term starting or ending at {@code at} nanoseconds on the demo's clock. */
    private record Term(String node, long token, long at) {}

    /** The leases shown so far; the auto-renewed one is looked at again after the failover. */
    private final class LeaseShow {
        private final String nodeId;
        private final Duration before;
        private final Duration after;
        private final LockHandle autoRenewed;

        LeaseShow(String nodeId, Duration before, Duration after, LockHandle autoRenewed) {
            this.nodeId = nodeId;
            this.before = before;
            this.after = after;
            this.autoRenewed = autoRenewed;
        }

        Leases afterFailover() {
            boolean valid = autoRenewed.isValid();
            console.line(
                    "%s %s lease %s, well past its %d ms TTL%s",
                    nodeId,
                    valid ? "still holds" : "LOST",
                    autoRenewed.name(),
                    LEASE_TTL.toMillis(),
                    valid
                            ? ": renewed automatically ("
                                    + autoRenewed.remaining().toMillis() + " ms left)"
                            : "");
            autoRenewed.close();
            return new Leases(before, after, valid, LEASE_TTL);
        }
    }

    /** Ends the story early when an awaited event never came. */
    private static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abort(String message) {
            super(message);
        }
    }
}
