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

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossListener;
import dev.baton.lock.LossReason;
import dev.baton.lock.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * A held queue entry: what every kind of tenure shares. A {@link HeldSessionLock} (a mutex, or an election term) is
 * valid while its session is alive by the session's local deadline; a {@link HeldTtlLock} or {@link HeldLease} sits
 * on a lease of its own ({@link OwnLeaseLock}) and is valid while its own local deadline ({@code send time of grant
 * or last renewal + ttl - margin}) lies ahead. Status moves once, under {@link #lock}, from HELD to RELEASED or LOST;
 * the subclasses supply what their tenure means for validity, loss and release.
 *
 * <p>The monitor is a private object, never the handle itself, so that a user who synchronizes on a handle cannot
 * stall its timers or its loss.
 */
abstract class HeldLock implements LockHandle {
    /**
     * How long {@link #close()} waits for the first attempt to remove the lock from the server before it returns and
     * leaves the rest to the janitor: long enough for a healthy server to answer, so that a quiet release is complete
     * when close() returns; short enough that a release never blocks on a server that does not answer.
     */
    static final Duration RELEASE_WAIT = Duration.ofMillis(250);

    final Services services;
    final String name;
    final String key;
    private final long token;
    private final BiConsumer<HeldLock, LossReason> onEnd;
    /** When the handle was made, for the observer's hold time (0 without an observer). */
    final long acquiredNanos;
    /**
     * Guards the handle's state, and the state its subclasses keep; holds the status, the loss listeners and the
     * loss.
     */
    final LossNotice lock;

    HeldLock(Services services, String name, String key, long token, BiConsumer<HeldLock, LossReason> onEnd) {
        this.services = services;
        this.name = name;
        this.key = key;
        this.token = token;
        this.onEnd = onEnd;
        this.lock = new LossNotice(services.callbacks());
        this.acquiredNanos = services.observation().now();
    }

    /**
     * Starts the handle's own life: binds it to its session or arms its deadline. Returns false if it was already
     * lost (the caller then reports the loss instead of returning the handle).
     */
    abstract boolean activate();

    /** The loss that a passed deadline means for a handle still HELD, or null while it is valid at {@code now}. */
    @GuardedBy("lock")
    abstract LossReason lapseLocked(long now);

    /** The local deadline of a handle still HELD, on the time source's clock. */
    @GuardedBy("lock")
    abstract long deadlineLocked();

    /**
     * Reports a loss that a caller noticed before the deadline timer ran (a process paused past the deadline wakes up
     * and asks isValid() or releases first), so that the listeners hear of it, once, whichever comes first.
     */
    abstract void declareLapsed(LossReason reason);

    /** Starts removing the released entry from the server in the background; completes after the first attempt. */
    abstract CompletableFuture<Void> removeFromServer();

    /** Run as the status leaves HELD, under the lock: stops what keeps the handle. */
    @GuardedBy("lock")
    void endedLocked() {}

    /** Run once the status has left HELD, before the owner hears of it: detaches from whatever outlives the handle. */
    void detach() {}

    /** Run after the loss of a handle was told to its owner and its listeners. */
    void afterLoss(LossReason reason) {}

    /** Run when close() found the handle already lapsed, after the loss was declared. */
    void afterLapsedClose() {}

    /** The kind of tenure, for toString(). */
    abstract String kind();

    /** Whether the handle is still HELD (it may have lapsed without being declared lost yet). */
    @GuardedBy("lock")
    final boolean heldLocked() {
        return lock.heldLocked();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public boolean isValid() {
        long now = services.time().nanoTime();
        LossReason lapsed;
        synchronized (lock) {
            if (!lock.heldLocked()) {
                return false;
            }
            lapsed = lapseLocked(now);
        }
        if (lapsed == null) {
            return true;
        }
        declareLapsed(lapsed);
        return false;
    }

    @Override
    public Duration remaining() {
        long now = services.time().nanoTime();
        synchronized (lock) {
            if (!lock.heldLocked() || lapseLocked(now) != null) {
                return Duration.ZERO;
            }
            return Duration.ofNanos(Math.max(0, deadlineLocked() - now));
        }
    }

    @Override
    public Subscription onLost(LossListener listener) {
        return lock.subscribe(listener);
    }

    /**
     * Throws the {@link LockLostException} of a handle that is no longer valid, with {@code ifUnknown} as the reason
     * when the loss is still being declared on another thread.
     */
    final void requireValid(LossReason ifUnknown) {
        if (!isValid()) {
            LossReason reason;
            synchronized (lock) {
                // The reason is set as the status leaves HELD (RELEASED for a release); null means still declaring.
                LossReason known = lock.reasonLocked();
                reason = known != null ? known : ifUnknown;
            }
            throw new LockLostException(name, reason, "'" + name + "' is no longer held (" + reason + ")", null);
        }
    }

    /** Declares the handle lost: flips state, runs the owner's hook inline, then tells listeners via callbacks. */
    final void lose(LossReason reason) {
        List<LossListener> toTell;
        synchronized (lock) {
            toTell = lock.loseLocked(this, reason);
            if (toTell == null) {
                return;
            }
            endedLocked();
        }
        detach();
        onEnd.accept(this, reason);
        lock.tell(toTell, this, reason);
        afterLoss(reason);
    }

    /**
     * Ends a valid handle as released without removing its entry from the server, for a handle that takes the entry
     * over (a write hold downgraded to a read hold). Returns false if the handle had already ended, or had lapsed (its
     * loss is then declared as close() would).
     */
    final boolean endForHandOver() {
        return endAsReleased();
    }

    /** Moves a handle that is HELD and not lapsed to RELEASED and tells its owner; false if it was ended or lapsed. */
    private boolean endAsReleased() {
        LossReason lapsed;
        synchronized (lock) {
            if (!lock.heldLocked()) {
                return false;
            }
            lapsed = lapseLocked(services.time().nanoTime());
            if (lapsed == null) {
                lock.releaseLocked();
                endedLocked();
            }
        }
        if (lapsed != null) {
            // Lost before it was released: the listeners hear of the loss.
            declareLapsed(lapsed);
            afterLapsedClose();
            return false;
        }
        detach();
        onEnd.accept(this, LossReason.RELEASED);
        return true;
    }

    @Override
    public final void close() {
        if (!endAsReleased()) {
            return;
        }
        // The handle is invalid from here on; the server-side removal goes on in the background, and close() waits
        // for its first attempt at most RELEASE_WAIT, so that a member that is down or a leader that is stopped
        // never holds a release up for a whole request timeout.
        CompletableFuture<Void> firstAttempt = removeFromServer();
        try {
            firstAttempt.get(RELEASE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // still trying: the janitor finishes it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // cannot happen: the future is only ever completed normally
        }
    }

    @Override
    public String toString() {
        return "LockHandle{name=" + name + ", token=" + token + ", kind=" + kind() + ", valid=" + isValid() + "}";
    }
}
