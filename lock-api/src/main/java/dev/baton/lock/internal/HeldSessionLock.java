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
class HeldSessionLock extends HeldLock implements SessionKeeper.Member {
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
        Optional<Entry> updated = compareAndSetValue(value, () -> {});
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
     * Replaces the entry's value, conditional on this handle's version; a lost session lease is a loss of the session,
     * any other failure runs {@code onFailure} and is thrown translated.
     */
    private Optional<Entry> compareAndSetValue(byte[] value, Runnable onFailure) {
        long expected;
        synchronized (lock) {
            expected = version;
        }
        try {
            return services.backend().compareAndSet(key, expected, value, session.leaseId);
        } catch (NoSuchLeaseException gone) {
            services.keeper().lose(session, "the server no longer has the session's lease");
            throw new LockLostException(name, LossReason.SESSION_LOST, "'" + name + "' was lost", gone);
        } catch (RuntimeException e) {
            onFailure.run();
            throw Failures.translate(name, e);
        }
    }

    /**
     * Ends this handle as released and gives its entry, with {@code value} in place of its value, to a handle that
     * takes it over: the entry stays on the server with its key and creation sequence (so its fencing token), and the
     * caller makes the new handle from the entry returned. This handle is invalid before the value is replaced, so
     * nobody whom the new value lets in can overlap it; if the replacement fails, the entry is removed.
     *
     * @throws LockLostException if the handle was no longer valid, or its entry was gone or changed on the server
     * @throws dev.baton.lock.BackendUnavailableException if the server could not be reached (the entry is removed)
     */
    final Entry handOver(byte[] value) {
        synchronized (writeLock) {
            if (!endForHandOver()) {
                throw new LockLostException(name, LossReason.SESSION_LOST, "'" + name + "' is no longer held", null);
            }
            Optional<Entry> updated =
                    compareAndSetValue(value, () -> services.janitor().deleteKey(key));
            if (updated.isEmpty()) {
                throw new LockLostException(
                        name,
                        LossReason.ENTRY_REMOVED,
                        "the entry of '" + name + "' was removed or changed on the server",
                        null);
            }
            return updated.get();
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
        return services.janitor().deleteInBackground(key, v, deleted -> {
            Consumer<String> freed = keyFreed;
            if (freed != null) {
                freed.accept(deleted);
            }
        });
    }

    @Override
    String kind() {
        return "SESSION";
    }
}
