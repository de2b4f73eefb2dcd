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

import dev.baton.lock.DistributedLock;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.LossReason;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The TTL-lock rules: a TTL lock is held, without renewal, for its full TTL and no longer.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface TtlLockRules extends TckRules {
    /**
     * TTL lock: is not free before its ttl.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void ttl_lock_is_not_free_before_its_ttl() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("ttl-held");
        Duration ttl = tck.env().shortTtl();
        LockHandle handle = tck.newClient("a")
                .coordinator()
                .lock(name, LockOptions.ttl(ttl))
                .acquire(tck.awaitTimeout());
        DistributedLock other = tck.newClient("b").coordinator().lock(name, LockOptions.ttl(ttl));
        // The holder's local deadline lies a safety margin before the server's expiry; up to it, the lock is held.
        Duration valid = handle.remaining();
        assertThat(valid)
                .as("local validity of a fresh TTL lock of %s", ttl)
                .isGreaterThan(ttl.dividedBy(2))
                .isLessThanOrEqualTo(ttl);
        if (tck.env().manualTime()) {
            tck.passTime(valid.minus(tck.step()));
            assertThat(handle.isValid())
                    .as("TTL lock handle just before its local deadline")
                    .isTrue();
            assertThat(other.tryAcquire())
                    .as("tryAcquire of a TTL lock just before its holder's deadline")
                    .isEmpty();
        } else {
            // With real time, a sleep on a busy machine can overrun the holder's deadline, so the claim is the one
            // that must hold whatever the timing: no one else gets the lock while the holder's handle is valid.
            tck.passTime(valid.dividedBy(2));
            Optional<LockHandle> got = other.tryAcquire();
            boolean holderStillValid = handle.isValid();
            got.ifPresent(LockHandle::close);
            assertThat(got.isPresent() && holderStillValid)
                    .as("tryAcquire of a TTL lock succeeded while its holder's handle was still valid")
                    .isFalse();
        }
        if (tck.env().manualTime()) {
            // Past the holder's deadline the server still keeps the lock, for the full TTL the user asked for. Only
            // with manual time: with real time, the gap between the two is too thin to check without flaking.
            tck.passTime(ttl.minus(valid));
            assertThat(handle.isValid())
                    .as("TTL lock handle past its local deadline")
                    .isFalse();
            assertThat(other.tryAcquire())
                    .as("tryAcquire of a TTL lock just before its TTL")
                    .isEmpty();
            tck.acquireEventually(other, tck.livenessSlack(), "the TTL lock right after its TTL")
                    .close();
        } else {
            handle.close();
            tck.acquireEventually(other, ttl, "the TTL lock after release").close();
        }
        handle.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * TTL lock: expires after its ttl without release.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void ttl_lock_expires_after_its_ttl_without_release() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("ttl-expiry");
        Duration ttl = tck.env().shortTtl();
        LockHandle handle = tck.newClient("a")
                .coordinator()
                .lock(name, LockOptions.ttl(ttl))
                .acquire(tck.awaitTimeout());
        AtomicReference<LossReason> lost = new AtomicReference<>();
        handle.onLost((h, reason) -> lost.compareAndSet(null, reason));
        tck.passTimeUntil(ttl.plus(tck.livenessSlack()), () -> lost.get() != null, "the TTL lock's loss listener");
        assertThat(handle.isValid()).as("TTL lock handle after its TTL").isFalse();
        assertThat(lost.get()).as("loss reason of an expired TTL lock").isEqualTo(LossReason.EXPIRED);
        LockHandle next = tck.acquireEventually(
                tck.newClient("b").coordinator().lock(name, LockOptions.ttl(ttl)),
                ttl.plus(tck.livenessSlack()),
                "another coordinator to acquire the expired TTL lock");
        assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
        next.close();
        handle.close();
        tck.assertNoKeysLeft("after expiry and release");
    }
}
