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

/**
 * A named read-write lock on the cluster ({@link Coordinator#readWriteLock(String)}): any number of read holders at
 * once, or one write holder and nobody else. Both sides share one FIFO queue: a reader that asks after a writer waits
 * for that writer, even while other readers hold, so a stream of readers cannot starve a writer; readers queued
 * together are let in together. A release wakes only those it lets in (no herd). Every hold is bound to the
 * coordinator's session, with the mutex's guarantees: the holder is told of a loss before the server can let anyone
 * else in, and nothing is left on the server after a release, a timeout or a failed acquisition.
 *
 * <p><b>Fencing tokens.</b> A hold's token is its queue entry's creation sequence. A write hold's token is greater
 * than the token of every hold (read or write) of the same name that ended before it began, and smaller than the token
 * of every hold that begins after it ends, except the read hold it is {@linkplain WriteLockHandle#downgrade()
 * downgraded} to, which keeps its token; read holds between two write holds have tokens between theirs, in no
 * particular order among themselves. A resource that remembers the greatest write token it has seen can therefore
 * refuse a write (or a read that must see the latest write) from an earlier epoch.
 *
 * <p><b>Downgrade and upgrade.</b> A write hold can be downgraded to a read hold without letting a writer in between
 * ({@link WriteLockHandle#downgrade()}, keeping its token). Upgrading is refused: asking this instance's {@link
 * #writeLock()} while a read handle it gave is valid throws {@link LockUpgradeException}, because two readers
 * upgrading at once would each wait for the other's read hold forever. Release the read hold, acquire the write lock,
 * and check again what was read.
 *
 * <p>Threadsafe, but like every {@link Acquirable} one instance serves one holder at a time: its two sides share
 * that one holder, so asking either side while a handle from either is valid throws {@link IllegalStateException}
 * ({@link LockUpgradeException} for an upgrade). Threads or tasks that read concurrently ask the {@link Coordinator}
 * for an instance each; instances are cheap and create nothing on the server until used. Read-write locks have names
 * of their own: a read-write lock and a mutex of one name are different locks.
 */
public interface DistributedReadWriteLock {
    /**
     * Returns the lock's name as the user gave it.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the read side: its handles hold the lock shared with other readers. Every call returns the same
     * object; its {@link DistributedLock#asJavaLock() Java lock view} is owned by one thread at a time, like the
     * instance.
     *
     * @return the read side
     */
    DistributedLock readLock();

    /**
     * Returns the write side: its handles hold the lock alone and can be {@linkplain WriteLockHandle#downgrade()
     * downgraded}. Its acquire methods throw what {@link Acquirable}'s do, and {@link LockUpgradeException} (an
     * {@link IllegalStateException}) while a read handle of this instance is valid. Every call returns the same
     * object.
     *
     * @return the write side
     */
    Acquirable<WriteLockHandle> writeLock();
}
