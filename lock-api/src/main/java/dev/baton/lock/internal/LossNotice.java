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
import dev.baton.lock.LossListener;
import dev.baton.lock.LossReason;
import dev.baton.lock.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a handle ({@link HeldLock}, {@link HeldMultiLock}) tells its loss listeners: its status, which moves once from
 * HELD to RELEASED or LOST, the listeners registered while it is HELD, and the loss. The object is also the owner's
 * monitor: the methods named {@code ...Locked} are called under {@code synchronized} on it, together with whatever
 * else the owner changes in the same step. Listeners are only ever called on the callback executor, never under the
 * monitor.
 *
 * <p>Never handed out of the package, so no user can synchronize on it.
 */
final class LossNotice {
    private enum Status {
        HELD,
        RELEASED,
        LOST
    }

    private final Executor callbacks;

    @GuardedBy("this")
    private final List<LossListener> listeners = new ArrayList<>();

    @GuardedBy("this")
    private Status status = Status.HELD;

    @GuardedBy("this")
    private LockHandle lostPart;

    @GuardedBy("this")
    private LossReason reason;

    /** @param callbacks where listeners are called */
    LossNotice(Executor callbacks) {
        this.callbacks = callbacks;
    }

    /**
     * Registers a listener, for {@link LockHandle#onLost}: kept while HELD (the subscription removes it), ignored once
     * RELEASED, and told of the loss at once, on the callback executor, once LOST.
     *
     * @throws NullPointerException if the listener is null
     */
    Subscription subscribe(LossListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        LockHandle part;
        LossReason already;
        synchronized (this) {
            if (status == Status.RELEASED) {
                return () -> {};
            }
            if (status == Status.HELD) {
                listeners.add(listener);
                return () -> {
                    synchronized (this) {
                        listeners.remove(listener);
                    }
                };
            }
            part = lostPart;
            already = reason;
        }
        callbacks.execute(() -> listener.onLost(part, already));
        return () -> {};
    }

    /** Whether the status is still HELD. */
    @GuardedBy("this")
    boolean heldLocked() {
        return status == Status.HELD;
    }

    /** The reason the status left HELD ({@link LossReason#RELEASED} for a release), or null while HELD. */
    @GuardedBy("this")
    LossReason reasonLocked() {
        return reason;
    }

    /**
     * Moves HELD to LOST and takes the listeners, which the caller then passes to {@link #tell} once it has left the
     * monitor.
     *
     * @param part the handle whose loss the listeners hear of
     * @param lost the reason
     * @return the listeners to tell, or null if the status had already left HELD (nothing changed)
     */
    @GuardedBy("this")
    List<LossListener> loseLocked(LockHandle part, LossReason lost) {
        if (status != Status.HELD) {
            return null;
        }
        status = Status.LOST;
        lostPart = part;
        reason = lost;
        List<LossListener> toTell = List.copyOf(listeners);
        listeners.clear();
        return toTell;
    }

    /** Moves HELD to RELEASED and drops the listeners; returns false (nothing changed) if it had already left HELD. */
    @GuardedBy("this")
    boolean releaseLocked() {
        if (status != Status.HELD) {
            return false;
        }
        status = Status.RELEASED;
        reason = LossReason.RELEASED;
        listeners.clear();
        return true;
    }

    /** Tells each listener of the loss on the callback executor; called outside the monitor. */
    void tell(List<LossListener> toTell, LockHandle part, LossReason lost) {
        for (LossListener l : toTell) {
            callbacks.execute(() -> l.onLost(part, lost));
        }
    }
}
