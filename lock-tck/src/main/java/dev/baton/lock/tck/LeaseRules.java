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

import dev.baton.lock.DistributedLease;
import dev.baton.lock.LeaseHandle;
import dev.baton.lock.LeaseOptions;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The lease rules: {@code renew()} keeps a lease past its TTL, auto-renew keeps it across several TTLs, an
 * unrenewed lease expires, and {@code renew()} means something only on a lease that is still held.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface LeaseRules extends TckRules {
    /**
     * Lease: renew keeps it past its ttl.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void lease_renew_keeps_it_past_its_ttl() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("lease-renew");
        Duration ttl = tck.env().shortTtl();
        LeaseHandle lease = tck.newClient("a").coordinator().lease(name, ttl).acquire(tck.awaitTimeout());
        DistributedLease other = tck.newClient("b").coordinator().lease(name, ttl);
        // Renew every quarter TTL, so that a late wake-up on a loaded machine still renews in time.
        for (int i = 0; i < 8; i++) {
            tck.passTime(ttl.dividedBy(4));
            lease.renew();
        }
        assertThat(lease.isValid())
                .as("lease renewed every half TTL, after two TTLs")
                .isTrue();
        assertThat(other.tryAcquire()).as("tryAcquire of a renewed lease").isEmpty();
        lease.close();
        other.tryAcquire()
                .orElseThrow(() -> new AssertionError("lease after release"))
                .close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Lease: without renewal expires.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void lease_without_renewal_expires() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("lease-expiry");
        Duration ttl = tck.env().shortTtl();
        LeaseHandle lease = tck.newClient("a").coordinator().lease(name, ttl).acquire(tck.awaitTimeout());
        AtomicReference<LossReason> lost = new AtomicReference<>();
        lease.onLost((h, reason) -> lost.compareAndSet(null, reason));
        tck.passTimeUntil(
                ttl.plus(tck.livenessSlack()), () -> lost.get() != null, "the unrenewed lease's loss listener");
        assertThat(lease.isValid()).as("unrenewed lease after its TTL").isFalse();
        assertThat(lost.get()).isEqualTo(LossReason.EXPIRED);
        LockHandle next = tck.acquireEventually(
                tck.newClient("b").coordinator().lease(name, ttl), ttl.plus(tck.livenessSlack()), "the expired lease");
        assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
        next.close();
        tck.assertNoKeysLeft("after expiry and release");
    }

    /**
     * Lease: auto renew keeps it across several ttls.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void lease_auto_renew_keeps_it_across_several_ttls() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("lease-auto");
        Duration ttl = tck.env().shortTtl();
        LockHandle lease = tck.newClient("a")
                .coordinator()
                .lease(name, LeaseOptions.builder(ttl).autoRenew(true).build())
                .acquire(tck.awaitTimeout());
        List<LossReason> losses = new CopyOnWriteArrayList<>();
        lease.onLost((h, reason) -> losses.add(reason));
        DistributedLease other = tck.newClient("b").coordinator().lease(name, ttl);
        tck.passTime(ttl.multipliedBy(3));
        assertThat(losses).as("losses of an auto-renewed lease over three TTLs").isEmpty();
        assertThat(lease.isValid()).as("auto-renewed lease after three TTLs").isTrue();
        assertThat(other.tryAcquire()).as("tryAcquire of an auto-renewed lease").isEmpty();
        lease.close();
        other.tryAcquire()
                .orElseThrow(() -> new AssertionError("lease after release"))
                .close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Lease: renew after loss throws lock lost exception.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void lease_renew_after_loss_throws_lock_lost_exception() throws Exception {
        TckHarness tck = tck();
        Duration ttl = tck.env().shortTtl();
        LeaseHandle lease = tck.newClient("a")
                .coordinator()
                .lease(tck.name("lease-lost"), ttl)
                .acquire(tck.awaitTimeout());
        tck.passTimeUntil(ttl.plus(tck.livenessSlack()), () -> !lease.isValid(), "the unrenewed lease to expire");
        assertThatThrownBy(lease::renew).isInstanceOf(LockLostException.class);
        lease.close();
        tck.assertNoKeysLeft("after expiry");
    }
}
