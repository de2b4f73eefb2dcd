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
import dev.baton.lock.LockException;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossReason;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.NoSuchLeaseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A held entry bound to the coordinator's session: a mutex's handle, or the core of an election term. Valid while the
 * session is alive by its local deadline; lost with the session; released by a compare-and-delete of its own key and
 * version.
 */
final class HeldSessionLock extends HeldLock implements SessionKeeper.Member {
    private final SessionKeeper.Session session;
    private volatile Consumer<String> keyFreed;
    /** Serialises value replacements, which block on the server, without blocking {@link #isValid()}. */
    private final Object writeLock = new Object();

    @GuardedBy("lock")
    private long version;

    HeldSessionLock(
            Services services,
            String name,
            Entry entry,
            SessionKeeper.Session session,
            BiConsumer<HeldLock, LossReason> onEnd) {
        super(services, name, entry.key(), entry.createSequence(), onEnd);
        this.session = session;
        this.version = entry.version();
    }

    /**
     * Tells {@code freed} the entry's key once a release has certainly deleted it (the compare-and-delete answered
     * true), so the same lock may create that key again instead of a new one. A release whose answer was lost never
     * calls it: the janitor may still be removing that key.
     */
    void onKeyFreed(Consumer<String> freed) {
        this.keyFreed = freed;
    }

    @Override
    boolean activate() {
        if (!session.bind(this)) {
            lose(LossReason.SESSION_LOST);
            return false;
        }
        return true;
    }

    @Override
    @GuardedBy("lock")
    LossReason lapseLocked(long now) {
        return session.isAlive(now) ? null : LossReason.SESSION_LOST;
    }

    @Override
    @GuardedBy("lock")
    long deadlineLocked() {
        return session.deadlineNanos();
    }

    /** A session's loss is declared through the keeper, which tells every member of the session and replaces it. */
    @Override
    void declareLapsed(LossReason reason) {
        services.keeper().lose(session, "the local deadline passed before its timer ran (was the process paused?)");
    }

    @Override
    public void sessionLost(LossReason reason, LockException cause) {
        lose(reason);
    }

    @Override
    void detach() {
        session.unbind(this);
    }

    /** Replaces the entry's value, conditional on this handle's version; used by an election term to proclaim. */
    void replaceValue(byte[] value) {
        synchronized (writeLock) {
            replaceValueInTurn(value);
        }
    }

    private void replaceValueInTurn(byte[] value) {
        requireValid(LossReason.SESSION_LOST);
        long expected;
        synchronized (lock) {
            expected = version;
        }
        Optional<Entry> updated;
        try {
            updated = services.backend().compareAndSet(key, expected, value, session.leaseId);
        } catch (NoSuchLeaseException gone) {
            services.keeper().lose(session, "the server no longer has the session's lease");
            throw new LockLostException(name, LossReason.SESSION_LOST, "'" + name + "' was lost", gone);
        } catch (RuntimeException e) {
            throw Failures.translate(name, e);
        }
        if (updated.isEmpty()) {
            lose(LossReason.ENTRY_REMOVED);
            throw new LockLostException(
                    name,
                    LossReason.ENTRY_REMOVED,
                    "the entry of '" + name + "' was removed or changed on the server",
                    null);
        }
        synchronized (lock) {
            version = updated.get().version();
        }
    }

    /**
     * Conditional on this handle's own unique key and version: a lost answer or a retry can never remove another
     * holder's entry.
     */
    @Override
    CompletableFuture<Void> removeFromServer() {
        long v;
        synchronized (lock) {
            v = version;
        }
        return services.janitor()
                .attemptInBackground(
                        "release " + key,
                        () -> {
                            if (services.backend().compareAndDelete(key, v)) {
                                Consumer<String> freed = keyFreed;
                                if (freed != null) {
                                    freed.accept(key);
                                }
                            }
                        },
                        () -> services.janitor().deleteKey(key));
    }

    @Override
    String kind() {
        return "SESSION";
    }
}
