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

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LockOptions;
import dev.baton.lock.LossReason;
import dev.baton.lock.TtlLockHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The scheduled-job rules of TTL locks (ShedLock's semantics): an extension keeps the lock past its original TTL, on
 * server time, and its holder is still told of the expiry before a waiter gets the lock; a minimum hold keeps waiters
 * out until it ends, also after the holder released the lock and closed its coordinator, and then lets them in with
 * no one's help; bad extensions are refused with a message and move nothing.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface ScheduledJobRules extends TckRules {
    /**
     * TTL lock: an extension keeps the lock past its original TTL, a waiter gets it only after the extended expiry,
     * and the holder is told of the expiry first.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void ttl_lock_extension_holds_past_the_original_ttl_and_the_holder_is_told_first() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("ttl-extend");
        Duration ttl = tck.env().shortTtl();
        TckClient holder = tck.newClient("holder");
        Stamp start = tck.stamp();
        TtlLockHandle held = acquireTtlLock(tck, holder, name, ttl);
        // By now the server has the lock on a lease granted before this stamp: unextended, it would expire within
        // the TTL from here, and its holder would have been told earlier still.
        Stamp acquired = tck.stamp();
        AtomicReference<Stamp> lost = new AtomicReference<>();
        AtomicReference<LossReason> reason = new AtomicReference<>();
        held.onLost((h, why) -> {
            reason.compareAndSet(null, why);
            lost.compareAndSet(null, tck.stamp());
        });
        // Halfway to the holder's deadline: extended by the TTL, its deadline then lies past the original TTL.
        Duration halfway = held.remaining().dividedBy(2);
        tck.passTime(halfway);
        Stamp extendSent = tck.stamp();
        held.extend(ttl);
        assertThat(held.remaining())
                .as("validity right after extending by %s", ttl)
                .isGreaterThan(ttl.dividedBy(2))
                .isLessThanOrEqualTo(ttl);
        Waiter waiter = Waiter.start(tck, name, ttl);
        tck.awaitKeyCount(2, "the waiter's entry queued behind the holder's");
        if (tck.env().manualTime()) {
            // Past the original TTL, the extended lock is still held, here and on the server.
            tck.passTime(ttl.minus(halfway).plus(tck.step()));
            assertThat(held.isValid())
                    .as("extended handle past its original TTL")
                    .isTrue();
            assertThat(waiter.acquired.get()).as("waiter past the original TTL").isNull();
        }
        tck.passTimeUntil(ttl.plus(tck.livenessSlack()), () -> waiter.acquired.get() != null, "the waiter to acquire");
        LockHandle next = waiter.future.join();
        Duration tolerance = tck.env().manualTime() ? Duration.ZERO : tck.step();
        assertThat(lost.get()).as("the holder's loss notice").isNotNull();
        assertThat(reason.get()).as("the holder's loss reason").isEqualTo(LossReason.EXPIRED);
        assertThat(lost.get().nanos() - acquired.nanos())
                .as("the holder's loss, in ns after acquisition, against the original TTL")
                .isGreaterThan(ttl.toNanos());
        assertThat(lost.get().seq())
                .as("order of the holder's loss notice and the waiter's acquisition")
                .isLessThan(waiter.acquired.get().seq());
        assertThat(waiter.acquired.get().nanos() - extendSent.nanos())
                .as("the waiter's acquisition, in ns after the extension was sent, against the extension's TTL")
                .isGreaterThanOrEqualTo(ttl.minus(tolerance).toNanos());
        assertThat(next.fencingToken()).as("token of the next holder").isGreaterThan(held.fencingToken());
        tck.report(
                "extension",
                "ttl %d ms, extended at %d ms: holder told at %d ms, waiter acquired at %d ms",
                ttl.toMillis(),
                millis(extendSent.nanos() - start.nanos()),
                millis(lost.get().nanos() - start.nanos()),
                millis(waiter.acquired.get().nanos() - start.nanos()));
        next.close();
        held.close();
        tck.assertNoKeysLeft("after the extended lock expired and the next holder released");
    }

    /**
     * TTL lock: a minimum hold keeps waiters out until it ends after an early release, also once the holder's
     * coordinator is closed, and then frees the lock on the server by itself, long before the TTL.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void ttl_lock_minimum_hold_outlasts_an_early_release_and_then_frees_itself() throws Exception {
        TckHarness tck = tck();
        Duration minimum = tck.env().shortTtl();
        Duration atMost = minimum.multipliedBy(3);
        LockOptions options = LockOptions.ttl(atMost).holdAtLeast(minimum);
        String staysName = tck.name("min-hold-stays");
        String exitsName = tck.name("min-hold-exits");
        TckClient stays = tck.newClient("holder-stays");
        TckClient exits = tck.newClient("holder-exits");
        Stamp start = tck.stamp();
        LockHandle staysHeld = stays.coordinator().lock(staysName, options).acquire(tck.awaitTimeout());
        LockHandle exitsHeld = exits.coordinator().lock(exitsName, options).acquire(tck.awaitTimeout());
        Stamp releasing = tck.stamp();
        staysHeld.close();
        exitsHeld.close();
        Stamp released = tck.stamp();
        exits.close();
        assertThat(released.nanos() - releasing.nanos())
                .as("ns the two releases took, against the minimum hold they keep on the server")
                .isLessThan(minimum.toNanos());
        assertThat(staysHeld.isValid()).as("released handle").isFalse();
        Waiter afterStays = Waiter.start(tck, staysName, atMost);
        Waiter afterExits = Waiter.start(tck, exitsName, atMost);
        tck.passTimeUntil(
                minimum.plus(tck.livenessSlack()),
                () -> afterStays.acquired.get() != null && afterExits.acquired.get() != null,
                "both waiters to acquire after the minimum hold");
        Duration tolerance = tck.env().manualTime() ? Duration.ZERO : tck.step();
        for (Waiter w : new Waiter[] {afterStays, afterExits}) {
            long after = w.acquired.get().nanos() - start.nanos();
            assertThat(after)
                    .as("ns from acquisition to the next holder of %s, against the minimum hold", w.name)
                    .isGreaterThanOrEqualTo(minimum.minus(tolerance).toNanos())
                    .isLessThan(atMost.toNanos());
        }
        assertThat(afterStays.future.join().fencingToken()).isGreaterThan(staysHeld.fencingToken());
        assertThat(afterExits.future.join().fencingToken()).isGreaterThan(exitsHeld.fencingToken());
        tck.report(
                "minimum hold",
                "minimum %d ms, ttl %d ms: released at %d ms; next holders at %d ms (coordinator open) and %d ms"
                        + " (coordinator closed)",
                minimum.toMillis(),
                atMost.toMillis(),
                millis(released.nanos() - start.nanos()),
                millis(afterStays.acquired.get().nanos() - start.nanos()),
                millis(afterExits.acquired.get().nanos() - start.nanos()));
        afterStays.future.join().close();
        afterExits.future.join().close();
        tck.assertNoKeysLeft("after the minimum holds ended and the next holders released");
    }

    /**
     * TTL lock: bad extensions and minimum holds are refused with a message that says what to change; an extension
     * that cannot reach the server does not move the deadline later; an extension of a released lock throws {@link
     * LockLostException}; nothing is left on the server.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void ttl_lock_bad_extensions_are_refused_and_move_nothing() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("ttl-extend-bad");
        Duration ttl = tck.env().shortTtl();
        TckClient client = tck.newClient("holder");
        TtlLockHandle held = acquireTtlLock(tck, client, name, ttl);
        Duration maximum = client.backend().maximumTtl();
        assertThatThrownBy(() -> held.extend(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> held.extend(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> held.extend(maximum.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use at most " + maximum);
        assertThatThrownBy(() -> held.extend(ttl, ttl.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minimumHold must be from zero to the ttl");
        assertThatThrownBy(() -> LockOptions.ttl(ttl).holdAtLeast(ttl.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from zero to the ttl");
        assertThatThrownBy(() -> LockOptions.defaults().holdAtLeast(ttl))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LockOptions.ttl(lockAtMostFor).holdAtLeast(lockAtLeastFor)");
        try (LockHandle mutex = client.coordinator().lock(tck.name("mutex")).acquire(tck.awaitTimeout())) {
            assertThatThrownBy(() -> TtlLockHandle.of(mutex))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("LockOptions.ttl(");
        }
        Duration before = held.remaining();
        client.backend().partition();
        try {
            assertThatThrownBy(() -> held.extend(ttl)).isInstanceOf(BackendUnavailableException.class);
        } finally {
            client.backend().heal();
        }
        assertThat(held.remaining())
                .as("validity after an extension that could not reach the server")
                .isLessThanOrEqualTo(before);
        assertThat(held.isValid()).as("handle after the refused extensions").isTrue();
        held.close();
        assertThatThrownBy(() -> held.extend(ttl))
                .isInstanceOf(LockLostException.class)
                .hasMessageContaining("RELEASED");
        tck.assertNoKeysLeft("after refused extensions and the release");
    }

    private static TtlLockHandle acquireTtlLock(TckHarness tck, TckClient client, String name, Duration ttl)
            throws InterruptedException {
        return TtlLockHandle.of(
                client.coordinator().lock(name, LockOptions.ttl(ttl)).acquire(tck.awaitTimeout()));
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** A waiter queued with {@code acquireAsync}, and when it acquired. */
    final class Waiter {
        final String name;
        final CompletableFuture<LockHandle> future;
        final AtomicReference<Stamp> acquired = new AtomicReference<>();

        private Waiter(TckHarness tck, String name, CompletableFuture<LockHandle> acquisition) {
            this.name = name;
            this.future = tck.stampOnSuccess(acquisition, acquired);
        }

        static Waiter start(TckHarness tck, String name, Duration ttl) {
            return new Waiter(
                    tck,
                    name,
                    tck.newClient("waiter-" + name)
                            .coordinator()
                            .lock(name, LockOptions.ttl(ttl))
                            .acquireAsync());
        }
    }
}
