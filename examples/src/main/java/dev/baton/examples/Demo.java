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
import dev.baton.inmemory.InMemoryBackend;
import dev.baton.inmemory.InMemoryCluster;
import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorBuilder;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Three coordinators ("nodes") on one in-memory cluster: a singleton task elects a leader, workers pass a mutex with
 * fencing tokens, a TTL lock expires on a holder that never releases it, a lease is renewed, and then the leader is
 * cut off from the cluster. The demo prints when the old leader is told it lost and when the new one is elected,
 * and checks that the first comes before the second.
 *
 * <p>Every expectation the demo prints is also checked: one leader at a time, fencing tokens strictly increasing,
 * the cut-off leader told before its successor is elected, failover within the session TTL (plus slack), nothing
 * left running after close. {@link #main(String[])} exits with 1 when any of them failed.
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

    private static final int NODE_COUNT = 3;
    private static final int WORKER_COUNT = 6;
    private static final int ROUNDS_PER_WORKER = 2;
    /** How long a worker holds the lock: only so that the hand-offs can be read as they happen. */
    private static final Duration HOLD_TIME = Duration.ofMillis(50);

    private static final String TTL_LOCK = "reports/nightly";
    private static final Duration TTL_LOCK_TTL = Duration.ofMillis(600);
    private static final String MANUAL_LEASE = "jobs/compaction";
    private static final String AUTO_LEASE = "jobs/reindex";
    private static final Duration LEASE_TTL = Duration.ofSeconds(1);

    /** How long the demo waits for any single event before it declares the run failed: only a hang trips it. */
    private static final Duration EVENT_TIMEOUT = SESSION_TTL.multipliedBy(3);
    /** Liveness: the new leader must be elected within the session TTL plus this after the cut. */
    private static final Duration FAILOVER_SLACK = SESSION_TTL.dividedBy(2);
    /** How long threads the coordinators started may take to end after close. */
    private static final Duration THREAD_STOP_GRACE = Duration.ofSeconds(2);
    /** {@link #main(String[])} gives up after this long, whatever hangs. */
    private static final Duration WATCHDOG = Duration.ofSeconds(30);

    private final TimedConsole console;
    private final Duration safetyMargin = SESSION_TTL.dividedBy(5);
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<SingletonRunner> runners = new ArrayList<>();
    private final List<AutoCloseable> otherResources = new ArrayList<>();

    /** The node whose singleton task runs now; set and cleared by the tasks themselves. */
    private final AtomicReference<String> sittingLeader = new AtomicReference<>();

    private final AtomicReference<Term> currentTerm = new AtomicReference<>();
    private final BlockingQueue<Term> termsStarted = new LinkedBlockingQueue<>();
    private final BlockingQueue<Term> termsEnded = new LinkedBlockingQueue<>();
    private final List<Long> leaderTokens = new CopyOnWriteArrayList<>();
    private final AtomicLong lastObservedLeaderToken = new AtomicLong();
    private final List<Long> orderTokens = Collections.synchronizedList(new ArrayList<>());

    /** What the leader writes to, and the orders the workers write to: both reject stale fencing tokens. */
    private final FencedStore leaderState = new FencedStore();

    private final FencedStore orders = new FencedStore();
    private volatile boolean shuttingDown;

    private Demo(PrintStream out) {
        this.console = new TimedConsole(out);
    }

    /**
     * Runs the demo, prints what happens to standard output, and exits with 0 when every expectation held, 1 when
     * one did not, 2 when the demo did not finish within 30 seconds.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        startWatchdog();
        System.exit(run(System.out).exitCode());
    }

    /**
     * Runs the demo once and returns what it saw. Never throws for a failed expectation or an exception from the
     * library: both are reported in the result's {@link DemoResult#problems()}.
     *
     * @param out where to print the narration
     * @return the result
     */
    public static DemoResult run(PrintStream out) {
        return new Demo(out).runAll();
    }

    private DemoResult runAll() {
        Set<Thread> threadsBefore = new HashSet<>(Thread.getAllStackTraces().keySet());
        Optional<Failover> failover = Optional.empty();
        console.line(
                "Baton demo: %d coordinators on one in-memory cluster, session TTL %s, safety margin %s",
                NODE_COUNT, TimedConsole.seconds(SESSION_TTL.toNanos()), TimedConsole.seconds(safetyMargin.toNanos()));
        InMemoryCluster cluster = new InMemoryCluster();
        try {
            startNodes(cluster);
            electLeader();
            passTheLock();
            showTtlLock();
            LockHandle autoRenewed = showLeases();
            failover = Optional.of(cutOffTheLeader());
            checkAutoRenewedLease(autoRenewed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem("the demo was interrupted");
        } catch (Abort e) {
            problem("stopped early: %s", e.getMessage());
        } catch (RuntimeException e) {
            problem("stopped early by an unexpected exception: %s", e);
            e.printStackTrace(System.err);
        } finally {
            closeEverything(cluster);
        }
        try {
            checkNoThreadLeftRunning(threadsBefore);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem("interrupted while waiting for threads to end");
        }
        DemoResult result = new DemoResult(problems, orderTokens, leaderTokens, failover);
        printSummary(result);
        return result;
    }

    private void startNodes(InMemoryCluster cluster) {
        for (int i = 1; i <= NODE_COUNT; i++) {
            String id = "node-" + i;
            InMemoryBackend backend = cluster.newBackend();
            CoordinatorBuilder builder = Coordinator.builder(backend)
                    .sessionTtl(SESSION_TTL)
                    .safetyMargin(safetyMargin)
                    .closeBackendOnClose(true);
            Coordinator coordinator;
            try {
                coordinator = builder.build();
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
     * The singleton task: leads until interrupted. Checks on the way in that nobody else leads, and that the token
     * grew; writes its token to the leader-state store, as a real leader would to the resources it controls.
     */
    private SingletonTask leaderTask(String nodeId) {
        return leadership -> {
            Term term = new Term(nodeId, leadership.fencingToken(), console.now());
            String other = sittingLeader.getAndSet(nodeId);
            if (other != null) {
                problem("two leaders at once: %s elected (token %d) while %s still leads", nodeId, term.token(), other);
            }
            console.line("%s elected leader of %s (token %d)", nodeId, ELECTION, term.token());
            Long previousToken = leaderTokens.isEmpty() ? null : leaderTokens.get(leaderTokens.size() - 1);
            if (previousToken != null && term.token() <= previousToken) {
                problem("leader token did not increase: %d after %d", term.token(), previousToken);
            }
            leaderTokens.add(term.token());
            if (!leaderState.write(term.token(), nodeId)) {
                problem("leader-state store rejected the new leader %s (token %d)", nodeId, term.token());
            }
            currentTerm.set(term);
            termsStarted.add(term);
            try {
                leadership.proclaim(nodeId + ".example:8080");
                new CountDownLatch(1).await(); // lead until the runner interrupts this thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!shuttingDown) {
                    problem("%s could not proclaim its address: %s", nodeId, e);
                }
            } finally {
                Term end = new Term(nodeId, term.token(), console.now());
                sittingLeader.compareAndSet(nodeId, null);
                if (shuttingDown) {
                    console.line("%s stops leading (runner closed)", nodeId);
                } else {
                    console.line(
                            "%s told it lost leadership of %s: task interrupted (term token %d)",
                            nodeId, ELECTION, term.token());
                }
                termsEnded.add(end);
            }
        };
    }

    private void describeObservedLeader(String observer, Optional<LeaderInfo> leader) {
        if (leader.isEmpty()) {
            console.line("%s watches %s: no leader", observer, ELECTION);
            return;
        }
        LeaderInfo info = leader.get();
        long previous = lastObservedLeaderToken.getAndAccumulate(info.fencingToken(), Math::max);
        if (info.fencingToken() < previous) {
            problem("%s saw the leader token go back from %d to %d", observer, previous, info.fencingToken());
        }
        console.line(
                "%s watches %s: leader %s (token %d%s)",
                observer,
                ELECTION,
                info.candidateId(),
                info.fencingToken(),
                info.value().isEmpty() ? "" : ", proclaimed \"" + info.value() + "\"");
    }

    /** Workers spread over the nodes take turns on one mutex; each hand-off must carry a larger token. */
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
            problem("a worker failed: %s", e.getCause());
        } catch (TimeoutException e) {
            problem("the workers did not finish within %s", EVENT_TIMEOUT);
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                problem("worker threads did not stop");
            }
        }
    }

    private void takeTurns(Node node, String worker, AtomicInteger holders) throws InterruptedException {
        // One DistributedLock per worker: an instance refuses a second acquisition while its handle is valid.
        DistributedLock lock = node.coordinator().lock(ORDER_LOCK);
        for (int round = 0; round < ROUNDS_PER_WORKER; round++) {
            try (LockHandle handle = lock.acquire(EVENT_TIMEOUT)) {
                if (holders.incrementAndGet() != 1) {
                    problem("two holders of %s at once (%s is one)", ORDER_LOCK, worker);
                }
                long token = handle.fencingToken();
                synchronized (orderTokens) {
                    Long last = orderTokens.isEmpty() ? null : orderTokens.get(orderTokens.size() - 1);
                    if (last != null && token <= last) {
                        problem("%s token did not increase: %s got %d after %d", ORDER_LOCK, worker, token, last);
                    }
                    orderTokens.add(token);
                }
                if (!orders.write(token, worker)) {
                    problem("%s rejected %s's token %d", ORDER_LOCK, worker, token);
                }
                console.line("%s handed to %s (token %d)", ORDER_LOCK, worker, token);
                Thread.sleep(HOLD_TIME.toMillis()); // only to make the hand-offs readable
                holders.decrementAndGet();
            }
        }
    }

    /** A TTL lock whose holder never releases it: it expires, the holder is told, and the next one gets it. */
    private void showTtlLock() throws InterruptedException {
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
        if (attempt.isPresent()) {
            problem("%s got %s while %s held it", nextNode.id(), TTL_LOCK, holderNode.id());
            attempt.get().close();
        } else {
            console.line("%s tryAcquire(%s): taken, returns empty; now waits", nextNode.id(), TTL_LOCK);
        }
        try (LockHandle handle = next.acquire(EVENT_TIMEOUT)) {
            long after = console.now() - takenAt;
            boolean firstStillValid = forgotten.isValid();
            console.line(
                    "%s got %s %d ms after the first acquisition (token %d)",
                    nextNode.id(), TTL_LOCK, TimeUnit.NANOSECONDS.toMillis(after), handle.fencingToken());
            if (firstStillValid) {
                problem("the expired TTL lock's handle was still valid when %s got the lock", nextNode.id());
            }
            if (handle.fencingToken() <= forgotten.fencingToken()) {
                problem(
                        "%s token did not increase: %d after %d",
                        TTL_LOCK, handle.fencingToken(), forgotten.fencingToken());
            }
        }
        if (!toldLost.await(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            problem("the holder of the expired TTL lock was never told");
        }
    }

    /**
     * A lease renewed by hand, and one renewed automatically (checked again after the failover, well past its TTL).
     *
     * @return the automatically renewed lease, still held
     */
    private LockHandle showLeases() throws InterruptedException {
        Node node = nodes.get(1);
        try (LeaseHandle lease =
                node.coordinator().lease(MANUAL_LEASE, LEASE_TTL).acquire(EVENT_TIMEOUT)) {
            console.line(
                    "%s holds lease %s (token %d), %d ms left",
                    node.id(),
                    MANUAL_LEASE,
                    lease.fencingToken(),
                    lease.remaining().toMillis());
            Thread.sleep(LEASE_TTL.dividedBy(2).toMillis()); // stands for work done under the lease
            long before = lease.remaining().toMillis();
            lease.renew();
            console.line(
                    "%s renewed %s: %d ms left before, %d ms after",
                    node.id(), MANUAL_LEASE, before, lease.remaining().toMillis());
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
        return lease;
    }

    /**
     * Cuts the leader off: its backend fails every call from now on, so it can neither renew its session nor resign.
     * Its own coordinator must interrupt its task before the server expires the session and the next candidate is
     * elected.
     */
    private Failover cutOffTheLeader() throws InterruptedException {
        Term oldTerm = currentTerm.get();
        String oldId = sittingLeader.get();
        if (oldTerm == null || oldId == null || !oldId.equals(oldTerm.node())) {
            throw new Abort("no single sitting leader to cut off (sitting: " + oldId + ")");
        }
        Node old = node(oldId);
        console.line("cutting %s off the network: it can neither renew its session nor resign", oldId);
        long cutAt = console.now();
        old.backend().disconnect();

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
        if (!told.node().equals(oldId) || next.node().equals(oldId)) {
            problem("expected %s to lose and another node to win, saw %s lose and %s win", oldId, told, next);
        }
        if (told.at() < next.at()) {
            console.line(
                    "%s knew it was no longer leader %s before %s was elected",
                    oldId, TimedConsole.seconds(next.at() - told.at()), next.node());
        } else {
            problem("%s was elected before %s was told it lost leadership", next.node(), oldId);
        }
        if (electedAfter.compareTo(SESSION_TTL.plus(FAILOVER_SLACK)) > 0) {
            problem(
                    "failover took %s, more than the session TTL %s plus %s",
                    electedAfter, SESSION_TTL, FAILOVER_SLACK);
        }

        // A leader that was paused rather than cut off would not see its interrupt; it would wake up and write with
        // its old token. Only the resource can stop that write, by comparing fencing tokens.
        if (leaderState.write(oldTerm.token(), oldId)) {
            problem("the leader-state store accepted a write with the stale token %d", oldTerm.token());
        } else {
            console.line(
                    "leader-state store rejects a late write from %s with its old token %d (it has seen %d)",
                    oldId, oldTerm.token(), leaderState.highestToken());
        }
        return new Failover(oldId, next.node(), toldAfter, electedAfter, SESSION_TTL);
    }

    private void checkAutoRenewedLease(LockHandle lease) {
        if (lease.isValid()) {
            console.line(
                    "%s still holds lease %s, well past its %d ms TTL: renewed automatically (%d ms left)",
                    nodes.get(1).id(),
                    lease.name(),
                    LEASE_TTL.toMillis(),
                    lease.remaining().toMillis());
        } else {
            problem("the auto-renewed lease %s was lost", lease.name());
        }
        lease.close();
    }

    private void closeEverything(InMemoryCluster cluster) {
        shuttingDown = true;
        long start = console.now();
        // Stop the waiting candidates before the leader, so that its resignation elects nobody.
        List<SingletonRunner> leadersLast = new ArrayList<>(runners);
        leadersLast.sort(Comparator.comparing(r -> r.currentTerm().isPresent()));
        for (SingletonRunner runner : leadersLast) {
            closeQuietly("a singleton runner", runner);
        }
        for (AutoCloseable resource : otherResources) {
            closeQuietly("a handle or election", resource);
        }
        for (Node node : nodes) {
            closeQuietly(node.id() + "'s coordinator", node.coordinator());
        }
        console.line(
                "closed %d runners and %d coordinators in %d ms",
                runners.size(), nodes.size(), TimeUnit.NANOSECONDS.toMillis(console.now() - start));
        checkNothingLeftOnTheServer(cluster);
        closeQuietly("the in-memory cluster", cluster);
    }

    /** Release and close must leave no keys or sessions behind; the cut-off node's session expired on its own. */
    private void checkNothingLeftOnTheServer(InMemoryCluster cluster) {
        try {
            List<String> keys = cluster.keys();
            int leases = cluster.liveLeaseCount();
            if (keys.isEmpty() && leases == 0) {
                console.line("the cluster holds no keys and no leases");
            } else {
                problem("left on the cluster after close: keys %s, %d lease(s)", keys, leases);
            }
        } catch (RuntimeException e) {
            problem("could not inspect the cluster after close: %s", e);
        }
    }

    private void closeQuietly(String what, AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            problem("closing %s threw %s", what, e);
        }
    }

    /** Everything a coordinator starts must stop on close; give its threads a moment to finish. */
    private void checkNoThreadLeftRunning(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + THREAD_STOP_GRACE.toNanos();
        List<String> running = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            // The JDK's common pool is shared by the whole JVM and not the demo's to stop.
            if (before.contains(t) || t.getName().startsWith("ForkJoinPool.commonPool")) {
                continue;
            }
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                running.add(t.getName());
            }
        }
        if (!running.isEmpty()) {
            problem("threads still running %s after close: %s", THREAD_STOP_GRACE, running);
        }
    }

    private void printSummary(DemoResult result) {
        if (result.succeeded()) {
            console.line(
                    "OK: %d hand-offs of %s with strictly increasing tokens; %d leader terms, one at a time;"
                            + " cut-off leader told first; nothing left on the cluster or running",
                    result.orderTokens().size(),
                    ORDER_LOCK,
                    result.leaderTokens().size());
            return;
        }
        console.line("FAILED: %d unexpected outcome(s):", result.problems().size());
        for (String p : result.problems()) {
            console.plain("  - " + p);
        }
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

    private void problem(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        problems.add(text);
        console.line("UNEXPECTED: %s", text);
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

    /** One node of the demo: a coordinator over its own connection to the in-memory cluster. */
    private record Node(String id, InMemoryBackend backend, Coordinator coordinator) {}

    /** A leadership term starting or ending at {@code at} nanoseconds on the demo's clock. */
    private record Term(String node, long token, long at) {}

    /** Ends the story early when an awaited event never came. */
    private static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abort(String message) {
            super(message);
        }
    }
}
