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

import dev.baton.lock.LockHandle;
import dev.baton.lock.LossListener;
import dev.baton.lock.LossReason;
import dev.baton.lock.MultiLockHandle;
import dev.baton.lock.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The handle of a multi-lock: the handles of its locks, in the order they were acquired. The first loss of any of
 * them ends the whole: the listeners hear of it once, and the other locks are released in the background.
 */
final class HeldMultiLock implements MultiLockHandle {
    private final Services services;
    private final List<String> names;
    private final List<LockHandle> handles;
    private final SortedMap<String, Long> tokens = new TreeMap<>();
    /** The status, the listeners and the first loss (the lock that was lost first, and why). */
    private final LossNotice notice;

    HeldMultiLock(Services services, List<String> names, List<LockHandle> handles) {
        this.services = services;
        this.names = names;
        this.handles = List.copyOf(handles);
        this.notice = new LossNotice(services.callbacks());
        for (LockHandle h : handles) {
            tokens.put(h.name(), h.fencingToken());
        }
    }

    /** Registers on every lock; a lock already lost calls back at once (on the callback executor). */
    void watchForLoss() {
        for (LockHandle h : handles) {
            h.onLost(this::partLost);
        }
    }

    private void partLost(LockHandle part, LossReason reason) {
        List<LossListener> toTell;
        synchronized (notice) {
            toTell = notice.loseLocked(part, reason);
        }
        if (toTell == null) {
            return;
        }
        // Releasing blocks for a moment per lock: not on the callback executor.
        services.blocking().execute(() -> releaseAll(handles));
        notice.tell(toTell, part, reason);
    }

    /** Releases every handle, last acquired first; never throws. */
    static void releaseAll(List<LockHandle> taken) {
        List<LockHandle> reversed = new ArrayList<>(taken);
        Collections.reverse(reversed);
        for (LockHandle h : reversed) {
            h.close();
        }
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public SortedMap<String, Long> fencingTokens() {
        return Collections.unmodifiableSortedMap(tokens);
    }

    @Override
    public long fencingToken(String name) {
        Objects.requireNonNull(name, "name must not be null");
        Long token = tokens.get(name);
        if (token == null) {
            throw new IllegalArgumentException("'" + name + "' is not one of the locks held: " + names);
        }
        return token;
    }

    @Override
    public boolean isValid() {
        synchronized (notice) {
            if (!notice.heldLocked()) {
                return false;
            }
        }
        for (LockHandle h : handles) {
            if (!h.isValid()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Duration remaining() {
        if (!isValid()) {
            return Duration.ZERO;
        }
        Duration least = null;
        for (LockHandle h : handles) {
            Duration left = h.remaining();
            least = least == null || left.compareTo(least) < 0 ? left : least;
        }
        return least;
    }

    @Override
    public Subscription onLost(LossListener listener) {
        return notice.subscribe(listener);
    }

    @Override
    public void close() {
        synchronized (notice) {
            notice.releaseLocked();
        }
        releaseAll(handles);
    }

    @Override
    public String toString() {
        return "MultiLockHandle{tokens=" + tokens + ", valid=" + isValid() + "}";
    }
}
