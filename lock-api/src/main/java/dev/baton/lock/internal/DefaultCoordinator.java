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
package dev.baton.lock.internal;

import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorObserver;
import dev.baton.lock.DistributedLease;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.DistributedMultiLock;
import dev.baton.lock.DistributedReadWriteLock;
import dev.baton.lock.DistributedSemaphore;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.LeaderInfo;
import dev.baton.lock.LeaderObserver;
import dev.baton.lock.LeaseOptions;
import dev.baton.lock.LockOptions;
import dev.baton.lock.LossReason;
import dev.baton.lock.SessionListener;
import dev.baton.lock.SessionState;
import dev.baton.lock.SingletonOptions;
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.SingletonTask;
import dev.baton.lock.Subscription;
import dev.baton.lock.spi.BackendChecks;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.SystemTimeSource;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Coordinator}: wires the session keeper, the janitor and the executors, validates arguments, creates
 * recipes, and on close releases everything it holds and stops every thread it started.
 */
public final class DefaultCoordinator implements Coordinator {
    private static final Logger log = LoggerFactory.getLogger(DefaultCoordinator.class);

    private final Services services;
    private final Observation observation;
    private final SessionKeeper keeper;
    private final CoordinationBackend backend;
    private final boolean closeBackend;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final ExecutorService taskThreads;
    private final Set<HeldLock> handles = ConcurrentHashMap.newKeySet();
    private final Set<ElectionRecipe> elections = ConcurrentHashMap.newKeySet();
    private final Set<SingletonRecipe> singletons = ConcurrentHashMap.newKeySet();
    private final Set<LeaderWatch> observers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Builds a coordinator whose session is not yet open: {@link #start()} opens it. Called by
     * {@link dev.baton.lock.CoordinatorBuilder}, which has checked the arguments' own rules; this checks them against
     * the backend's limits before it starts any thread.
     *
     * @param backend the backend
     * @param sessionTtl the session TTL
     * @param margin the safety margin
     * @param timeSource the time source, or null for the system's
     * @param callbackExecutor the callback executor, or null for an owned thread
     * @param blockingExecutor the executor for blocking backend calls, or null for an owned pool
     * @param observer the observer of the coordinator's events, or null for none
     * @param closeBackend whether close() closes the backend
     * @throws IllegalArgumentException if the TTL is outside the backend's limits
     */
    public DefaultCoordinator(
            CoordinationBackend backend,
            Duration sessionTtl,
            Duration margin,
            TimeSource timeSource,
            Executor callbackExecutor,
            Executor blockingExecutor,
            CoordinatorObserver observer,
            boolean closeBackend) {
        BackendChecks.requireTtlWithin(backend, "sessionTtl", sessionTtl);
        this.backend = backend;
        this.closeBackend = closeBackend;
        String tag = "baton-" + Integer.toHexString(System.identityHashCode(this));
        TimeSource time = timeSource;
        if (time == null) {
            SystemTimeSource system = new SystemTimeSource(tag + "-timer");
            owned.add(system);
            time = system;
        }
        Executor rawBlocking = blockingExecutor;
        if (rawBlocking == null) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threads(tag + "-io"));
            owned.add(pool::shutdownNow);
            rawBlocking = pool;
        }
        Executor blocking = dropAfterClose(rawBlocking);
        Executor callbacks = callbackExecutor;
        if (callbacks == null) {
            ExecutorService single = Executors.newSingleThreadExecutor(threads(tag + "-callbacks"));
            owned.add(() -> {
                single.shutdown();
                single.awaitTermination(1, TimeUnit.SECONDS);
            });
            callbacks = single;
        }
        this.taskThreads = Executors.newCachedThreadPool(threads(tag + "-task"));
        // Stopped after the keeper's close, so that the last events (losses at close, the CLOSED state) are delivered.
        this.observation =
                observer == null ? Observation.NONE : new Observation(observer, time, threads(tag + "-observer"));
        this.services =
                new Services(backend, time, blocking, new SerialExecutor(callbacks), observation, sessionTtl, margin);
        this.keeper = new SessionKeeper(
                backend, time, sessionTtl, margin, blocking, services.callbacks(), services.janitor(), observation);
        services.attach(keeper);
    }

    /**
     * Opens the session of a coordinator made by the constructor; on failure closes the coordinator (and the backend
     * if it owns it) before rethrowing.
     *
     * @return this coordinator, with an open session
     * @throws dev.baton.lock.BackendUnavailableException if the server could not be reached
     */
    public Coordinator start() {
        try {
            keeper.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /**
     * Work handed over after close (a late watch event, a timer that fired during close) is dropped instead of
     * throwing {@link RejectedExecutionException} into the thread that handed it over, which may be a client
     * library's I/O thread.
     */
    private Executor dropAfterClose(Executor executor) {
        return task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                if (!closed.get()) {
                    throw e;
                }
                log.debug("coordinator closed; dropping late work");
            }
        };
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String id() {
        return services.coordinatorId();
    }

    /**
     * Throws the {@link IllegalStateException} of use after close if the coordinator was closed while {@code handle}
     * was being acquired, after ending the handle (revoking its own lease); close() sets its flag before it ends the
     * tracked handles, so a handle tracked before this check is either seen here or ended by close().
     */
    void refuseIfClosedDuringAcquire(HeldLock handle, String what) {
        if (closed.get()) {
            handle.lose(LossReason.COORDINATOR_CLOSED);
            throw new IllegalStateException("coordinator was closed while " + what + "; build a new one");
        }
    }

    /**
     * What an acquisition that failed with {@code e} throws: the {@link IllegalStateException} of use after close if
     * the coordinator closed meanwhile (its close removed what the acquisition was working on), else {@code e}.
     */
    RuntimeException failureDuringAcquire(RuntimeException e, String what) {
        if (closed.get() && !(e instanceof IllegalStateException)) {
            return new IllegalStateException("coordinator was closed while " + what + "; build a new one", e);
        }
        return e;
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("coordinator is closed; build a new one");
        }
    }

    /** A live session for an acquisition of {@code name}, opened on the calling thread if the last was lost. */
    SessionKeeper.Session sessionFor(String name) {
        ensureOpen();
        try {
            return keeper.session();
        } catch (RuntimeException e) {
            throw Failures.translate(name, e);
        }
    }

    void track(HeldLock handle) {
        handles.add(handle);
    }

    void untrack(HeldLock handle) {
        handles.remove(handle);
    }

    void forget(ElectionRecipe election) {
        elections.remove(election);
    }

    @Override
    public DistributedLock lock(String name) {
        return lock(name, LockOptions.defaults());
    }

    @Override
    public DistributedLock lock(String name, LockOptions options) {
        LockNames.requireValid("name", name);
        Objects.requireNonNull(options, "options must not be null");
        ensureOpen();
        if (options.fixedTtl().isPresent()) {
            Duration ttl = BackendChecks.requireTtlWithin(
                    backend, "ttl", options.fixedTtl().get());
            return new MutexRecipe.FixedTtl(this, services, name, ttl, options.minimumHold());
        }
        return new MutexRecipe.SessionBound(this, services, name);
    }

    @Override
    public DistributedLease lease(String name, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl must not be null");
        return lease(name, LeaseOptions.of(ttl));
    }

    @Override
    public DistributedLease lease(String name, LeaseOptions options) {
        LockNames.requireValid("name", name);
        Objects.requireNonNull(options, "options must not be null");
        ensureOpen();
        Duration ttl = BackendChecks.requireTtlWithin(backend, "ttl", options.ttl());
        return new MutexRecipe.Lease(this, services, name, ttl, options.autoRenew(), options.renewInterval());
    }

    @Override
    public DistributedReadWriteLock readWriteLock(String name) {
        LockNames.requireValid("name", name);
        ensureOpen();
        return new ReadWriteLockRecipe(this, services, name);
    }

    @Override
    public DistributedSemaphore semaphore(String name, int permits) {
        LockNames.requireValid("name", name);
        if (permits < 1) {
            throw new IllegalArgumentException("permits of semaphore '" + name + "' must be at least 1, got " + permits
                    + "; a semaphore's limit" + " is the most permits held at once");
        }
        ensureOpen();
        return new SemaphoreRecipe(this, services, name, permits);
    }

    @Override
    public DistributedMultiLock multiLock(String... names) {
        List<String> sorted = MultiLockRecipe.requireValidNames(names);
        ensureOpen();
        return new MultiLockRecipe(this, services, sorted);
    }

    @Override
    public LeaderElection election(String name, String candidateId) {
        return newElection(name, candidateId);
    }

    private ElectionRecipe newElection(String name, String candidateId) {
        LockNames.requireValid("name", name);
        LockNames.requireValid("candidateId", candidateId);
        ensureOpen();
        ElectionRecipe e = new ElectionRecipe(this, services, name, candidateId);
        elections.add(e);
        return e;
    }

    @Override
    public Optional<LeaderInfo> leader(String electionName) {
        LockNames.requireValid("electionName", electionName);
        ensureOpen();
        try {
            return LeaderWatch.leaderOf(backend.list(LockNames.electionPrefix(electionName)));
        } catch (RuntimeException e) {
            throw Failures.translate(electionName, e);
        }
    }

    @Override
    public Subscription observe(String electionName, LeaderObserver observer) {
        LockNames.requireValid("electionName", electionName);
        Objects.requireNonNull(observer, "observer must not be null");
        ensureOpen();
        LeaderWatch watch = new LeaderWatch(services, LockNames.electionPrefix(electionName), observer);
        observers.add(watch);
        try {
            watch.start();
        } catch (RuntimeException e) {
            observers.remove(watch);
            watch.close();
            throw Failures.translate(electionName, e);
        }
        return () -> {
            observers.remove(watch);
            watch.close();
        };
    }

    @Override
    public SingletonRunner singleton(String name, String candidateId, SingletonTask task) {
        return singleton(name, candidateId, SingletonOptions.defaults(), task);
    }

    @Override
    public SingletonRunner singleton(String name, String candidateId, SingletonOptions options, SingletonTask task) {
        Objects.requireNonNull(options, "options must not be null");
        Objects.requireNonNull(task, "task must not be null");
        ElectionRecipe e = newElection(name, candidateId);
        SingletonRecipe s = new SingletonRecipe(
                e, task, options, services, taskThreads, keeper.ttl().dividedBy(10));
        singletons.add(s);
        s.start();
        return s;
    }

    @Override
    public SessionState sessionState() {
        return keeper.state();
    }

    @Override
    public Subscription onSessionStateChange(SessionListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        return keeper.addListener(listener);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (SingletonRecipe s : singletons) {
            s.close();
        }
        for (ElectionRecipe e : List.copyOf(elections)) {
            e.close();
        }
        for (LeaderWatch w : observers) {
            w.close();
        }
        observers.clear();
        for (HeldLock h : List.copyOf(handles)) {
            h.lose(LossReason.COORDINATOR_CLOSED);
        }
        keeper.close(new SessionKeeper.SessionLostException("the coordinator was closed"));
        // An acquisition that granted a lease as this close began keeps it (and is lost above, or below in its own
        // check) or revokes it, and a release's first delete may still be queued: let them finish while the backend is
        // still open, so that no lease or entry is left behind.
        if (!services.janitor().closeSections(keeper.ttl())) {
            log.warn(
                    "an acquisition or release still running {} after close began may leave a lease or entry until its"
                            + " TTL",
                    keeper.ttl());
        }
        services.janitor().closeAfterLastAttempt();
        observation.close();
        taskThreads.shutdownNow();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing {} failed: {}", c, e.toString());
            }
        }
        if (closeBackend) {
            backend.close();
        }
    }

    @Override
    public String toString() {
        return "Coordinator{id=" + id() + ", backend=" + backend.describe() + ", session=" + keeper.state() + "}";
    }
}
