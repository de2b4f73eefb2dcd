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
package dev.baton.lock.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedReadWriteLock;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockUpgradeException;
import dev.baton.lock.LossReason;
import dev.baton.lock.WriteLockHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The read-write lock rules: a writer excludes every other holder and readers share (checked by {@link
 * ReadWriteHistory} under load, {@link CheckedAcquisitions#count()} acquisitions), write tokens that order every
 * write hold against every other hold, FIFO between readers and writers so that writers do not starve, a writer's
 * release that wakes the readers behind it and nobody else, downgrade kept and upgrade refused, early loss, and
 * nothing left behind.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface ReadWriteLockRules extends TckRules {
    /**
     * Read-write lock: a writer excludes every other holder, readers share, and write tokens order the holds.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    @TckTimeout(seconds = 180)
    default void rwlock_writer_excludes_every_other_holder_across_coordinators() throws Exception {
        TckHarness tck = tck();
        int coordinators = 3;
        int threadsPerCoordinator = 3;
        int workers = coordinators * threadsPerCoordinator;
        int perWorker = (CheckedAcquisitions.count() + workers - 1) / workers;
        String name = tck.name("rw-exclusion");
        ReadWriteHistory history = new ReadWriteHistory();
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        AtomicInteger maxReaders = new AtomicInteger();
        AtomicInteger crossings = new AtomicInteger();
        Scenarios.Contention run = Scenarios.contend(tck, coordinators, threadsPerCoordinator, (client, label, w) -> {
            DistributedReadWriteLock lock = client.coordinator().readWriteLock(name);
            for (int i = 0; i < perWorker; i++) {
                // One acquisition in three writes, interleaved differently per worker.
                boolean write = (i + w) % 3 == 0;
                LockHandle handle = write
                        ? lock.writeLock().acquire(tck.awaitTimeout())
                        : lock.readLock().acquire(tck.awaitTimeout());
                HistoryRecorder.Hold hold = write
                        ? history.write(label, name, handle.fencingToken())
                        : history.read(label, name, handle.fencingToken());
                handle.onLost((h, reason) -> hold.lost());
                AtomicInteger mine = write ? writers : readers;
                int inside = mine.incrementAndGet();
                if (write ? inside != 1 || readers.get() != 0 : writers.get() != 0) {
                    crossings.incrementAndGet();
                }
                maxReaders.accumulateAndGet(readers.get(), Math::max);
                // Widen the critical section so that a holder the lock wrongly lets in is seen.
                Thread.yield();
                mine.decrementAndGet();
                hold.releasing();
                handle.close();
            }
            return perWorker;
        });
        int total = run.acquisitions();
        long elapsedMillis = run.elapsedMillis();
        HistoryChecker.Report report = history.check();
        tck.report(
                "rwlock exclusion",
                "%d coordinators x %d threads, a third writes: %s, most readers at once %d, elapsed %d ms",
                coordinators,
                threadsPerCoordinator,
                report.summary(),
                maxReaders.get(),
                elapsedMillis);
        report.assertValid();
        assertThat(report.acquisitionsChecked()).isEqualTo(total).isGreaterThanOrEqualTo(CheckedAcquisitions.count());
        assertThat(crossings.get())
                .as("times a writer was inside the critical section with another holder")
                .isZero();
        tck.assertNoKeysLeft("after every holder released");
    }

    /**
     * Read-write lock: readers hold together, and a writer waits for all of them.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void rwlock_readers_share_and_a_writer_waits_for_all_of_them() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("rw-share");
        LockHandle r1 =
                readWrite(tck, "r1", name).readLock().tryAcquire().orElseThrow(() -> new AssertionError("free"));
        LockHandle r2 = readWrite(tck, "r2", name)
                .readLock()
                .tryAcquire()
                .orElseThrow(() -> new AssertionError("a second reader refused while only a reader holds"));
        DistributedReadWriteLock writer = readWrite(tck, "w", name);
        assertThat(writer.writeLock().tryAcquire())
                .as("a writer's try while readers hold")
                .isEmpty();
        assertThat(tck.env().keysOnServer())
                .as("keys after a writer's lost try")
                .hasSize(2);
        CompletableFuture<WriteLockHandle> waiting = writer.writeLock().acquireAsync();
        tck.awaitKeyCount(3, "the writer queued behind the readers");
        r1.close();
        tck.awaitKeyCount(2, "the first reader's release");
        assertThat(waiting).as("the writer while one reader still holds").isNotDone();
        r2.close();
        WriteLockHandle w = tck.awaitDone(waiting, "the writer after both readers released");
        assertThat(w.fencingToken())
                .as("write token against the readers'")
                .isGreaterThan(Math.max(r1.fencingToken(), r2.fencingToken()));
        w.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Read-write lock: a reader queued behind a waiting writer waits for it (writers do not starve).
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void rwlock_reader_behind_a_waiting_writer_waits_for_it() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("rw-fifo");
        LockHandle r1 = readWrite(tck, "r1", name).readLock().acquire(tck.awaitTimeout());
        CompletableFuture<WriteLockHandle> writer =
                readWrite(tck, "w", name).writeLock().acquireAsync();
        tck.awaitKeyCount(2, "the writer queued behind the reader");
        DistributedReadWriteLock late = readWrite(tck, "r2", name);
        assertThat(late.readLock().tryAcquire())
                .as("a reader's try while a writer waits behind a reader")
                .isEmpty();
        CompletableFuture<LockHandle> reader = late.readLock().acquireAsync();
        tck.awaitKeyCount(3, "the second reader queued behind the writer");
        r1.close();
        WriteLockHandle w = tck.awaitDone(writer, "the writer after the first reader released");
        assertThat(reader)
                .as("the reader queued behind the writer while the writer holds")
                .isNotDone();
        assertThat(w.fencingToken()).isGreaterThan(r1.fencingToken());
        w.close();
        LockHandle r2 = tck.awaitDone(reader, "the reader after the writer released");
        assertThat(r2.fencingToken()).as("token of the read after the write").isGreaterThan(w.fencingToken());
        r2.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Read-write lock: a writer's release wakes the readers queued right behind it, and nobody else.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void rwlock_writer_release_wakes_the_readers_behind_it_and_nobody_else() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("rw-wake");
        WriteLockHandle w1 = readWrite(tck, "w1", name).writeLock().acquire(tck.awaitTimeout());
        List<CompletableFuture<LockHandle>> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(readWrite(tck, "r" + i, name).readLock().acquireAsync());
            tck.awaitKeyCount(i + 2, "reader " + i + " queued");
        }
        CompletableFuture<WriteLockHandle> w2 =
                readWrite(tck, "w2", name).writeLock().acquireAsync();
        tck.awaitKeyCount(5, "the second writer queued");
        CompletableFuture<LockHandle> lateReader =
                readWrite(tck, "r-late", name).readLock().acquireAsync();
        tck.awaitKeyCount(6, "the late reader queued behind the second writer");
        long before = readCalls();
        w1.close();
        List<LockHandle> held = new ArrayList<>();
        for (CompletableFuture<LockHandle> r : readers) {
            held.add(tck.awaitDone(r, "a reader queued behind the first writer"));
        }
        long calls = readCalls() - before;
        tck.report("rwlock wake", "list+get calls as a writer let %d readers in: %d", readers.size(), calls);
        assertThat(calls)
                .as("list+get calls of the hand-off to %d readers: only they may look", readers.size())
                .isLessThanOrEqualTo(readers.size());
        assertThat(w2).as("the second writer while readers hold").isNotDone();
        assertThat(lateReader).as("the reader behind the second writer").isNotDone();
        for (LockHandle h : held) {
            assertThat(h.fencingToken()).isGreaterThan(w1.fencingToken());
            h.close();
        }
        WriteLockHandle second = tck.awaitDone(w2, "the second writer after the readers released");
        assertThat(lateReader)
                .as("the late reader while the second writer holds")
                .isNotDone();
        second.close();
        tck.awaitDone(lateReader, "the late reader after the second writer").close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Read-write lock: a downgrade keeps the token, lets the readers behind in and keeps writers out.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void rwlock_downgrade_keeps_the_token_lets_readers_in_and_keeps_writers_out() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("rw-downgrade");
        DistributedReadWriteLock mine = readWrite(tck, "a", name);
        WriteLockHandle write = mine.writeLock().acquire(tck.awaitTimeout());
        CompletableFuture<LockHandle> reader =
                readWrite(tck, "r", name).readLock().acquireAsync();
        tck.awaitKeyCount(2, "a reader queued behind the writer");
        CompletableFuture<WriteLockHandle> writer =
                readWrite(tck, "w", name).writeLock().acquireAsync();
        tck.awaitKeyCount(3, "a writer queued behind the reader");
        assertThat(reader)
                .as("the reader queued behind the writer, before the downgrade")
                .isNotDone();
        AtomicReference<LossReason> writeLost = new AtomicReference<>();
        write.onLost((h, reason) -> writeLost.set(reason));

        LockHandle read = write.downgrade();
        assertThat(write.isValid()).as("the write handle after its downgrade").isFalse();
        assertThat(read.isValid()).as("the read handle it was downgraded to").isTrue();
        assertThat(read.fencingToken()).as("token of the downgraded hold").isEqualTo(write.fencingToken());
        LockHandle other = tck.awaitDone(reader, "the reader queued behind, after the downgrade");
        assertThat(writer)
                .as("the writer queued behind, while the downgraded hold reads")
                .isNotDone();
        assertThatThrownBy(write::downgrade)
                .as("a second downgrade of the same write handle")
                .isInstanceOf(dev.baton.lock.LockLostException.class);
        assertThatThrownBy(() -> mine.readLock().tryAcquire())
                .as("the read side of the instance while its downgraded hold is valid")
                .isInstanceOf(IllegalStateException.class);
        other.close();
        assertThat(writer)
                .as("the writer while the downgraded hold still reads")
                .isNotDone();
        read.close();
        WriteLockHandle next = tck.awaitDone(writer, "the writer after both reads ended");
        assertThat(next.fencingToken()).isGreaterThan(Math.max(read.fencingToken(), other.fencingToken()));
        next.close();
        assertThat(writeLost.get())
                .as("loss reported for the downgraded write handle")
                .isNull();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Read-write lock: an upgrade is refused with the reason, and nothing is written.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void rwlock_upgrade_is_refused_with_the_reason_and_nothing_written() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("rw-upgrade");
        DistributedReadWriteLock lock = readWrite(tck, "a", name);
        LockHandle read = lock.readLock().acquire(tck.awaitTimeout());
        assertThatThrownBy(() -> lock.writeLock().acquire(tck.awaitTimeout()))
                .isInstanceOf(LockUpgradeException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("upgrad")
                .hasMessageContaining("wait for each other");
        assertThatThrownBy(() -> lock.writeLock().tryAcquire()).isInstanceOf(LockUpgradeException.class);
        assertThatThrownBy(() -> lock.writeLock().acquireAsync()).isInstanceOf(LockUpgradeException.class);
        assertThat(tck.env().keysOnServer()).as("keys after refused upgrades").hasSize(1);
        assertThat(read.isValid()).as("the read hold after refused upgrades").isTrue();
        read.close();
        WriteLockHandle write = lock.writeLock().acquire(tck.awaitTimeout());
        assertThat(write.fencingToken()).isGreaterThan(read.fencingToken());
        write.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Read-write lock: a reader's try and timeout while a writer holds return empty or throw, leaving nothing.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void rwlock_try_and_timeout_while_written_leave_nothing_behind() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("rw-try");
        WriteLockHandle w = readWrite(tck, "w", name).writeLock().acquire(tck.awaitTimeout());
        DistributedReadWriteLock other = readWrite(tck, "r", name);
        assertThat(other.readLock().tryAcquire())
                .as("a reader's try while written")
                .isEmpty();
        assertThat(other.writeLock().tryAcquire())
                .as("a writer's try while written")
                .isEmpty();
        assertThatThrownBy(() -> other.readLock().acquire(Duration.ofMillis(50)))
                .isInstanceOf(LockAcquisitionTimeoutException.class);
        assertThat(tck.env().keysOnServer())
                .as("keys after lost tries and a timeout")
                .hasSize(1);
        w.close();
        LockHandle r = other.readLock().tryAcquire().orElseThrow(() -> new AssertionError("free lock"));
        r.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Read-write lock: a cut-off reader is told of its loss before a waiting writer acquires.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void rwlock_cut_off_reader_is_told_before_a_writer_acquires() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("rw-cut-off");
        TckClient holder = tck.newClient("reader");
        LockHandle read = holder.coordinator().readWriteLock(name).readLock().acquire(tck.awaitTimeout());
        AtomicReference<Stamp> lost = new AtomicReference<>();
        read.onLost((h, reason) -> lost.compareAndSet(null, tck.stamp()));
        AtomicReference<Stamp> acquired = new AtomicReference<>();
        CompletableFuture<WriteLockHandle> writer =
                tck.stampOnSuccess(readWrite(tck, "writer", name).writeLock().acquireAsync(), acquired);
        tck.awaitKeyCount(2, "the writer queued behind the reader");
        holder.backend().partition();
        tck.passTimeUntil(
                tck.env().sessionTtl().plus(tck.livenessSlack()),
                writer::isDone,
                "the writer to acquire after the reader was cut off");
        WriteLockHandle w = writer.join();
        assertThat(lost.get()).as("the cut-off reader's loss notice").isNotNull();
        assertThat(lost.get().seq())
                .as("loss notice against the writer's acquisition")
                .isLessThan(acquired.get().seq());
        assertThat(read.isValid()).isFalse();
        assertThat(w.fencingToken()).isGreaterThan(read.fencingToken());
        w.close();
    }

    private static DistributedReadWriteLock readWrite(TckHarness tck, String client, String name) {
        Coordinator c = tck.newClient(client).coordinator();
        return c.readWriteLock(name);
    }

    private long readCalls() {
        long sum = 0;
        for (TckClient client : tck().clients()) {
            sum += client.backend().calls(FaultInjectingBackend.Call.LIST, FaultInjectingBackend.Call.GET);
        }
        return sum;
    }
}
