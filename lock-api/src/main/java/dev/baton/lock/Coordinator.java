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
package dev.baton.lock;

import dev.baton.lock.internal.BackendProviders;
import dev.baton.lock.spi.BackendFactory;
import dev.baton.lock.spi.BackendProvider;
import dev.baton.lock.spi.ConnectionUri;
import dev.baton.lock.spi.CoordinationBackend;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One process's connection to a coordination cluster, and the factory for every lock, lease and election on it.
 * Owns the <em>session</em>: one server-side lease, renewed in the background, that every session-bound lock and
 * election term of this coordinator hangs on, so holding many locks still costs one renewal stream. The session
 * keeps a local deadline from its last acknowledged renewal on a monotonic clock, shorter than the TTL by a safety
 * margin; when it passes, every session-bound handle is declared lost before the server could hand it to another
 * process.
 *
 * <p>Create one per process and cluster, through a backend module's builder ({@code XxxBackend.builder()...coordinatorBuilder()}),
 * a connection URI ({@link #builder(String)}) or {@link #builder(CoordinationBackend)}.
 * Threadsafe. {@link #close()} releases everything this coordinator holds, stops every thread it started, and is
 * idempotent; after it, every method throws {@link IllegalStateException}.
 *
 * <p>Names may be any string of 1 to 256 UTF-8 bytes without control characters; they are mapped to keys that can
 * never be a prefix of another name's keys. Locks, TTL locks and leases of one name exclude each other; elections
 * have names of their own.
 */
public interface Coordinator extends AutoCloseable {
    /**
     * Starts building a coordinator over any backend.
     *
     * @param backend the backend; the coordinator closes it only if {@link CoordinatorBuilder#closeBackendOnClose
     *     closeBackendOnClose(true)} is set
     * @return a builder (not threadsafe)
     * @throws NullPointerException if {@code backend} is null
     */
    static CoordinatorBuilder builder(CoordinationBackend backend) {
        return new CoordinatorBuilder(backend);
    }

    /**
     * Starts building a coordinator that builds its backend once its session TTL is known, owns it and closes it.
     * Backend modules return this from their builders' {@code coordinatorBuilder()}; call it directly for a backend
     * of your own.
     *
     * @param factory builds the backend for the coordinator's session TTL
     * @return a builder (not threadsafe)
     * @throws NullPointerException if {@code factory} is null
     */
    static CoordinatorBuilder builder(BackendFactory factory) {
        return new CoordinatorBuilder(factory);
    }

    /**
     * Starts building a coordinator from a connection URI, such as {@code etcd://h1:2379,h2:2379/myapp}, {@code
     * zookeeper://zk1:2181/myapp}, {@code consul://agent:8500/myapp?dc=eu1} or {@code inmemory:}: the backend module
     * that serves the URI's scheme is found on the class path, configures its backend builder from the URI, and
     * returns that builder's {@code coordinatorBuilder()}, whose coordinator builds the backend, owns it and closes
     * it. The coordinator's own settings ({@link CoordinatorBuilder#sessionTtl(Duration) sessionTtl} and the others)
     * stay settable on the builder returned. Secrets are parameters ({@code password=}, {@code token=}) or come from
     * the environment ({@code password-env=VARIABLE}); they never appear in messages. The README's "Connection URIs"
     * gives each scheme's grammar and parameters. The URI is checked now; nothing is sent until {@code build()}.
     *
     * @param uri the connection URI
     * @return a builder (not threadsafe)
     * @throws IllegalArgumentException if the URI is malformed, no module on the class path serves its scheme (the
     *     message names the dependency to add), or a host, the path or a parameter is wrong or unknown for the
     *     backend (the message names it)
     * @throws IllegalStateException if two modules on the class path serve the scheme
     * @throws NullPointerException if {@code uri} is null
     */
    static CoordinatorBuilder builder(String uri) {
        return builder(uri, System::getenv);
    }

    /**
     * Like {@link #builder(String)}, reading the variables named by {@code *-env} parameters from {@code environment}
     * instead of the process's environment (for instance from an application's configuration).
     *
     * @param uri the connection URI
     * @param environment returns a variable's value, or null if it is not set
     * @return a builder (not threadsafe)
     * @throws IllegalArgumentException as {@link #builder(String)}; also if a variable named is not set
     * @throws IllegalStateException if two modules on the class path serve the scheme
     * @throws NullPointerException if an argument is null
     */
    static CoordinatorBuilder builder(String uri, Function<String, String> environment) {
        ConnectionUri parsed = ConnectionUri.parse(uri, environment);
        BackendProvider provider = BackendProviders.forUri(parsed, BackendProviders.installed());
        CoordinatorBuilder builder = Objects.requireNonNull(
                provider.coordinatorBuilder(parsed), () -> provider.getClass().getName() + " returned null");
        if (!builder.buildsOwnBackend()) {
            throw new IllegalStateException(provider.getClass().getName() + " returned a builder over a backend"
                    + " it built beforehand; a URI's coordinator must build, own and close its backend");
        }
        return builder;
    }

    /**
     * Returns this coordinator's unique id, recorded in the entries it writes.
     *
     * @return the id
     */
    String id();

    /**
     * Returns a mutex bound to this coordinator's session: held until released or until the session is lost.
     *
     * @param name the lock name
     * @return the lock; cheap, creates nothing on the server until acquired
     * @throws IllegalArgumentException if the name is empty, longer than 256 UTF-8 bytes, or holds a control
     *     character or an unpaired surrogate
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if the coordinator is closed
     */
    DistributedLock lock(String name);

    /**
     * Returns a lock held as {@code options} say: session-bound, or with a fixed TTL.
     *
     * @param name the lock name
     * @param options how the lock is held
     * @return the lock
     * @throws IllegalArgumentException if the name is invalid, or the TTL is outside the backend's limits
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the coordinator is closed
     */
    DistributedLock lock(String name, LockOptions options);

    /**
     * Returns a renewable lease: an exclusive hold on {@code name} with its own TTL, independent of the session, kept
     * by calling {@link LeaseHandle#renew()} on the handle that acquiring it gives.
     *
     * @param name the lease name
     * @param ttl the lease's TTL
     * @return the lease, acquired like a lock
     * @throws IllegalArgumentException if the name is invalid, or the TTL is outside the backend's limits
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the coordinator is closed
     */
    DistributedLease lease(String name, Duration ttl);

    /**
     * Returns a renewable lease configured by {@code options} (for example renewed automatically).
     *
     * @param name the lease name
     * @param options TTL and renewal
     * @return the lease, acquired like a lock
     * @throws IllegalArgumentException if the name is invalid, or the TTL is outside the backend's limits
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the coordinator is closed
     */
    DistributedLease lease(String name, LeaseOptions options);

    /**
     * Returns a read-write lock bound to this coordinator's session: many readers or one writer, served in FIFO order
     * so that writers do not starve, with fencing tokens that order every write hold against every other hold (see
     * {@link DistributedReadWriteLock}).
     *
     * @param name the lock name; read-write locks have names of their own, apart from mutexes
     * @return the lock; cheap, creates nothing on the server until acquired
     * @throws IllegalArgumentException if the name is invalid (as for {@link #lock(String)})
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if the coordinator is closed
     */
    DistributedReadWriteLock readWriteLock(String name);

    /**
     * Returns the mutexes of {@code names} (the same as {@link #lock(String)} gives) as one lock, acquired all or none
     * in the order of their names, so that multi-locks over overlapping names cannot deadlock (see {@link
     * DistributedMultiLock}).
     *
     * @param names the lock names, at least one, each valid and distinct, in any order
     * @return the multi-lock; cheap, creates nothing on the server until acquired
     * @throws IllegalArgumentException if no name is given, a name is invalid (naming its position), or a name is
     *     given twice (naming it)
     * @throws NullPointerException if {@code names} or one of them is null
     * @throws IllegalStateException if the coordinator is closed
     */
    DistributedMultiLock multiLock(String... names);

    /**
     * Returns a counting semaphore bound to this coordinator's session: at most {@code permits} permits held at once
     * across the cluster, FIFO waiters, each acquisition its own handle with a fencing token (see {@link
     * DistributedSemaphore}). Every process must use the same {@code permits} for a name: an acquisition that finds
     * acquisitions of another limit on the server fails with {@link SemaphoreLimitMismatchException}.
     *
     * @param name the semaphore name; semaphores have names of their own, apart from mutexes
     * @param permits the limit, at least 1
     * @return the semaphore; cheap, creates nothing on the server until acquired
     * @throws IllegalArgumentException if the name is invalid (as for {@link #lock(String)}) or {@code permits} is
     *     below 1
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if the coordinator is closed
     */
    DistributedSemaphore semaphore(String name, int permits);

    /**
     * Returns a candidate in the named election, bound to this coordinator's session.
     *
     * @param name the election name
     * @param candidateId this candidate's id, shown to observers (1 to 256 UTF-8 bytes, no control characters)
     * @return the candidate; campaigns only when asked
     * @throws IllegalArgumentException if the name or id is invalid
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the coordinator is closed
     */
    LeaderElection election(String name, String candidateId);

    /**
     * Reads the current leader of the named election from the server, without taking part in it.
     *
     * @param electionName the election's name
     * @return the leader, or empty when nobody leads
     * @throws IllegalArgumentException if the name is invalid
     * @throws NullPointerException if {@code electionName} is null
     * @throws IllegalStateException if the coordinator is closed
     * @throws BackendUnavailableException if the server could not be reached
     */
    Optional<LeaderInfo> leader(String electionName);

    /**
     * Observes the named election's leader without taking part in it: {@code observer} is called first with the
     * current leader, then after every change of leader or of its proclaimed value. Stops when the subscription or
     * the coordinator is closed.
     *
     * @param electionName the election's name
     * @param observer the observer
     * @return a subscription that stops the observer
     * @throws IllegalArgumentException if the name is invalid
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the coordinator is closed
     * @throws BackendUnavailableException if the server could not be reached
     */
    Subscription observe(String electionName, LeaderObserver observer);

    /**
     * Starts running {@code task} whenever this candidate leads the named election: campaigns at once, runs the task
     * on a thread of its own once elected, interrupts it when leadership is lost, and campaigns again. With {@link
     * SingletonOptions#defaults()}: a task that returns keeps its term, idle, until the term is lost or the runner
     * closed; a task that throws makes the runner resign and wait before campaigning again.
     *
     * @param name the election name
     * @param candidateId this candidate's id
     * @param task the task
     * @return the runner; close it to stop
     * @throws IllegalArgumentException if the name or id is invalid
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the coordinator is closed
     */
    SingletonRunner singleton(String name, String candidateId, SingletonTask task);

    /**
     * As {@link #singleton(String, String, SingletonTask)}, with {@code options} saying what happens when the task
     * returns (keep the term idle, the default, or resign and stop) and how long to wait after it throws.
     *
     * @param name the election name
     * @param candidateId this candidate's id
     * @param options what to do when the task returns or throws
     * @param task the task
     * @return the runner; close it to stop
     * @throws IllegalArgumentException if the name or id is invalid
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the coordinator is closed
     */
    SingletonRunner singleton(String name, String candidateId, SingletonOptions options, SingletonTask task);

    /**
     * Returns the session's current health.
     *
     * @return the state
     */
    SessionState sessionState();

    /**
     * Registers a listener of session state changes.
     *
     * @param listener the listener
     * @return a subscription that removes it
     * @throws NullPointerException if {@code listener} is null
     */
    Subscription onSessionStateChange(SessionListener listener);

    /**
     * Releases every lock and term this coordinator holds, revokes its session, stops its threads, and closes the
     * backend if it was told to. Idempotent; never throws for an unreachable server (what it could not remove
     * expires with the session).
     */
    @Override
    void close();
}
