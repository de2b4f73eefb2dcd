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

import dev.baton.lock.Acquirable;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.DistributedReadWriteLock;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockUpgradeException;
import dev.baton.lock.LossReason;
import dev.baton.lock.WriteLockHandle;
import dev.baton.lock.spi.Entry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The read-write lock: one FIFO queue of session-bound entries under the lock's prefix ({@link QueueAttempt}), each
 * entry's value naming its mode ({@link QueuePolicy#READ_PAYLOAD} or {@link QueuePolicy#WRITE_PAYLOAD}). A write
 * entry holds when it is first and watches its immediate predecessor ({@link QueuePolicy#EXCLUSIVE}); a read entry
 * holds when no write entry is ahead of it and watches the nearest write entry ahead ({@link QueuePolicy#SHARED}).
 * So a reader queued behind a waiting writer waits for it, and a writer's release wakes exactly the readers it lets in.
 *
 * <p>Tokens are creation sequences. A write entry holds only once every entry created before it is gone, and an entry
 * created after it cannot hold while it exists (a reader sees it ahead, a writer is not first), so a write hold's
 * token is greater than that of every hold that ended before it and smaller than that of every hold after it (a
 * downgrade keeps the entry, so the read hold it gives has the write hold's token).
 *
 * <p>A downgrade ends the write handle, then replaces its entry's value with the read mode (compare-and-set on its
 * version): the entry keeps its place and sequence, so no writer gets in; readers watching it see the change and look
 * again. An upgrade is refused ({@link LockUpgradeException}), since two upgrading readers would wait for each other.
 */
final class ReadWriteLockRecipe implements DistributedReadWriteLock {
    private final String name;
    private final ReadSide read;
    private final WriteSide write;

    ReadWriteLockRecipe(DefaultCoordinator coordinator, Services services, String name) {
        this.name = name;
        String prefix = LockNames.readWritePrefix(name);
        Set<HeldLock> handles = ConcurrentHashMap.newKeySet();
        AtomicReference<String> freedKey = new AtomicReference<>();
        this.read = new ReadSide(coordinator, services, name, prefix, handles, freedKey);
        this.write = new WriteSide(coordinator, services, name, prefix, handles, freedKey, read);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DistributedLock readLock() {
        return read;
    }

    @Override
    public Acquirable<WriteLockHandle> writeLock() {
        return write;
    }

    @Override
    public String toString() {
        return "DistributedReadWriteLock{name=" + name + "}";
    }

    /** The read side: shared entries, plain session-bound handles. */
    static final class ReadSide extends MutexRecipe<LockHandle> implements DistributedLock {
        ReadSide(
                DefaultCoordinator coordinator,
                Services services,
                String name,
                String prefix,
                Set<HeldLock> handles,
                AtomicReference<String> freedKey) {
            super(coordinator, services, name, "READ", null, prefix, QueuePolicy.SHARED, handles, freedKey);
        }

        @Override
        byte[] entryValue() {
            return new EntryValue(services.coordinatorId(), QueuePolicy.READ_PAYLOAD).encode();
        }

        @Override
        void refuseWhileHeld(HeldLock valid) {
            if (valid instanceof WriteLockHandle) {
                throw new IllegalStateException("'" + name + "' is held for writing by this instance (fencing token "
                        + valid.fencingToken() + "); to hold it for reading without letting a writer in between, call"
                        + " downgrade() on the write handle");
            }
            super.refuseWhileHeld(valid);
        }

        @Override
        LockHandle won(SessionKeeper.Session session, QueueAttempt attempt, Entry won) {
            return admit(hold(session, won), attempt.startedNanos);
        }

        /** A read handle on {@code entry}: from a won attempt, or from a downgraded write hold. */
        private HeldSessionLock hold(SessionKeeper.Session session, Entry entry) {
            HeldSessionLock handle = new HeldSessionLock(services, name, entry, session, this::ended);
            handle.onKeyFreed(freedKey::set);
            return handle;
        }

        /** Takes over the entry of a write hold as a read hold. */
        LockHandle downgraded(HeldWriteLock writeHold, SessionKeeper.Session session) {
            long started = services.observation().now();
            Entry entry = writeHold.handOver(entryValue());
            return admit(hold(session, entry), started);
        }
    }

    /** The write side: exclusive entries, handles that can be downgraded. */
    static final class WriteSide extends MutexRecipe<WriteLockHandle> {
        private final ReadSide read;

        WriteSide(
                DefaultCoordinator coordinator,
                Services services,
                String name,
                String prefix,
                Set<HeldLock> handles,
                AtomicReference<String> freedKey,
                ReadSide read) {
            super(coordinator, services, name, "WRITE", null, prefix, QueuePolicy.EXCLUSIVE, handles, freedKey);
            this.read = read;
        }

        @Override
        byte[] entryValue() {
            return new EntryValue(services.coordinatorId(), QueuePolicy.WRITE_PAYLOAD).encode();
        }

        @Override
        void refuseWhileHeld(HeldLock valid) {
            if (!(valid instanceof WriteLockHandle)) {
                throw new LockUpgradeException(name, valid.fencingToken());
            }
            super.refuseWhileHeld(valid);
        }

        @Override
        WriteLockHandle won(SessionKeeper.Session session, QueueAttempt attempt, Entry won) {
            HeldWriteLock handle = new HeldWriteLock(services, name, won, session, this::ended, read);
            handle.onKeyFreed(freedKey::set);
            return admit(handle, attempt.startedNanos);
        }
    }

    /** A write hold: a session-bound entry that can be handed over to a read hold. */
    static final class HeldWriteLock extends HeldSessionLock implements WriteLockHandle {
        private final SessionKeeper.Session session;
        private final ReadSide read;

        HeldWriteLock(
                Services services,
                String name,
                Entry entry,
                SessionKeeper.Session session,
                BiConsumer<HeldLock, LossReason> onEnd,
                ReadSide read) {
            super(services, name, entry, session, onEnd);
            this.session = session;
            this.read = read;
        }

        @Override
        public LockHandle downgrade() {
            return read.downgraded(this, session);
        }

        @Override
        String kind() {
            return "WRITE";
        }
    }
}
