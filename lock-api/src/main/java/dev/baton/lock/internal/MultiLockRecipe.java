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

import dev.baton.lock.DistributedLock;
import dev.baton.lock.DistributedMultiLock;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.MultiLockHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The multi-lock: the mutexes of several names, acquired one after the other in the order of their names and released
 * together. Two multi-locks over overlapping names take the names they share in the same order, so the one that gets
 * the smallest shared name first gets the others too (a deadlock would need a cycle of holders each waiting for a
 * name smaller than one it holds). Whatever ends an acquisition before the last lock (a timeout, an interrupt, a
 * failure, a cancellation, a try that finds a lock taken) releases what was taken before it returns. Each lock keeps
 * its own session binding, token and early loss; {@link HeldMultiLock} turns the first loss into the loss of all.
 */
final class MultiLockRecipe implements DistributedMultiLock {
    private final DefaultCoordinator coordinator;
    private final Services services;
    private final List<String> names;
    private final AtomicReference<HeldMultiLock> current = new AtomicReference<>();

    MultiLockRecipe(DefaultCoordinator coordinator, Services services, List<String> sortedNames) {
        this.coordinator = coordinator;
        this.services = services;
        this.names = List.copyOf(sortedNames);
    }

    /**
     * The mutexes of one acquisition: new ones each time, so that a lock of the last handle, still being released in
     * the background after the loss of another, cannot refuse the next acquisition as a second holder.
     */
    private List<DistributedLock> newLocks() {
        List<DistributedLock> locks = new ArrayList<>();
        for (String name : names) {
            locks.add(new MutexRecipe.SessionBound(coordinator, services, name));
        }
        return locks;
    }

    /**
     * Checks the names of a multi-lock and returns them sorted.
     *
     * @throws IllegalArgumentException if there is none, one is invalid, or one is given twice
     * @throws NullPointerException if the array or a name is null
     */
    static List<String> requireValidNames(String... names) {
        Objects.requireNonNull(names, "names must not be null");
        if (names.length == 0) {
            throw new IllegalArgumentException("names must not be empty: give the name of at least one lock");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.length; i++) {
            LockNames.requireValid("names[" + i + "]", names[i]);
            if (!seen.add(names[i])) {
                throw new IllegalArgumentException("names must be distinct: '" + names[i] + "' is given twice (at"
                        + " index " + i + "); give each lock once");
            }
        }
        return seen.stream().sorted().toList();
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public MultiLockHandle acquire() throws InterruptedException {
        return acquireInOrder(-1, false).handle();
    }

    @Override
    public MultiLockHandle acquire(Duration timeout) throws InterruptedException {
        Outcome outcome = acquireInOrder(Waits.timeoutNanos(timeout), false);
        if (outcome.handle() == null) {
            throw new LockAcquisitionTimeoutException(outcome.notAcquired(), timeout);
        }
        return outcome.handle();
    }

    @Override
    public Optional<MultiLockHandle> tryAcquire() throws InterruptedException {
        return Optional.ofNullable(acquireInOrder(0, true).handle());
    }

    @Override
    public Optional<MultiLockHandle> tryAcquire(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(
                acquireInOrder(Waits.timeoutNanos(timeout), false).handle());
    }

    /** A handle, or the name of the first lock not acquired in time. */
    private record Outcome(HeldMultiLock handle, String notAcquired) {}

    /** {@code timeoutNanos < 0} waits for ever; the budget is shared by all the locks. */
    private Outcome acquireInOrder(long timeoutNanos, boolean tryOnly) throws InterruptedException {
        requireNoValidHandle();
        long started = System.nanoTime();
        List<DistributedLock> locks = newLocks();
        List<LockHandle> taken = new ArrayList<>();
        try {
            for (int i = 0; i < locks.size(); i++) {
                DistributedLock lock = locks.get(i);
                Optional<LockHandle> handle;
                if (timeoutNanos < 0) {
                    handle = Optional.of(lock.acquire());
                } else if (tryOnly) {
                    handle = lock.tryAcquire();
                } else {
                    // Subtracting elapsed time, never adding to now: a huge timeout is Long.MAX_VALUE nanoseconds.
                    long left = timeoutNanos - (System.nanoTime() - started);
                    handle = lock.tryAcquire(Duration.ofNanos(Math.max(0, left)));
                }
                if (handle.isEmpty()) {
                    HeldMultiLock.releaseAll(taken);
                    return new Outcome(null, names.get(i));
                }
                taken.add(handle.get());
            }
        } catch (InterruptedException | RuntimeException e) {
            HeldMultiLock.releaseAll(taken);
            throw e;
        }
        return new Outcome(admit(taken), null);
    }

    @Override
    public CompletableFuture<MultiLockHandle> acquireAsync() {
        requireNoValidHandle();
        CompletableFuture<MultiLockHandle> out = new CompletableFuture<>();
        AsyncAcquisition acquisition = new AsyncAcquisition(out);
        out.whenComplete((handle, failure) -> {
            if (out.isCancelled()) {
                acquisition.cancel();
            }
        });
        acquisition.next(0);
        return out;
    }

    /** One asynchronous acquisition: each lock's future starts when the one before it completed. */
    private final class AsyncAcquisition {
        private final CompletableFuture<MultiLockHandle> out;
        private final List<DistributedLock> locks = newLocks();
        /** Guards {@link #taken} and {@link #pending} against a concurrent cancellation. */
        private final Object lock = new Object();

        private final List<LockHandle> taken = new ArrayList<>();
        private CompletableFuture<LockHandle> pending;

        AsyncAcquisition(CompletableFuture<MultiLockHandle> out) {
            this.out = out;
        }

        void next(int index) {
            if (index == locks.size()) {
                List<LockHandle> all;
                synchronized (lock) {
                    all = List.copyOf(taken);
                }
                try {
                    HeldMultiLock handle = admit(all);
                    if (!out.complete(handle)) {
                        handle.close();
                    }
                } catch (RuntimeException e) {
                    HeldMultiLock.releaseAll(all);
                    out.completeExceptionally(e);
                }
                return;
            }
            CompletableFuture<LockHandle> step;
            try {
                step = locks.get(index).acquireAsync();
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            synchronized (lock) {
                pending = step;
            }
            if (out.isDone()) {
                step.cancel(false);
                return;
            }
            step.whenComplete((handle, failure) -> {
                if (failure != null) {
                    fail(Failures.unwrap(failure));
                    return;
                }
                boolean kept;
                synchronized (lock) {
                    kept = !out.isDone();
                    if (kept) {
                        taken.add(handle);
                    }
                }
                if (!kept) {
                    handle.close(); // cancelled meanwhile
                    return;
                }
                next(index + 1);
            });
        }

        private void fail(RuntimeException failure) {
            List<LockHandle> all;
            synchronized (lock) {
                all = List.copyOf(taken);
                taken.clear();
            }
            HeldMultiLock.releaseAll(all);
            out.completeExceptionally(failure);
        }

        void cancel() {
            List<LockHandle> all;
            CompletableFuture<LockHandle> step;
            synchronized (lock) {
                all = List.copyOf(taken);
                taken.clear();
                step = pending;
            }
            if (step != null) {
                step.cancel(false);
            }
            // Releasing blocks for a moment per lock: not on the canceller's thread.
            services.blocking().execute(() -> HeldMultiLock.releaseAll(all));
        }
    }

    private HeldMultiLock admit(List<LockHandle> taken) {
        HeldMultiLock handle = new HeldMultiLock(services, names, taken);
        current.set(handle);
        handle.watchForLoss();
        return handle;
    }

    private void requireNoValidHandle() {
        coordinator.ensureOpen();
        HeldMultiLock held = current.get();
        if (held != null && held.isValid()) {
            throw new IllegalStateException("a handle from this multi-lock of " + names + " is still valid (fencing"
                    + " tokens " + held.fencingTokens() + "); close it before acquiring again");
        }
    }

    @Override
    public String toString() {
        return "DistributedMultiLock{names=" + names + "}";
    }
}
