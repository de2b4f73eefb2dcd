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
import dev.baton.lock.LeaseHandle;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossReason;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * A renewable lease's handle: on a lease of its own, whose local deadline each renewal (by the holder, or in the
 * background every {@code renewInterval} when auto-renewed) moves to {@code send time + ttl - margin}.
 */
final class HeldLease extends OwnLeaseLock implements LeaseHandle {
    private final boolean autoRenew;
    private final Duration renewInterval;

    @GuardedBy("lock")
    private TimeSource.Cancellable renewTimer;

    HeldLease(
            Services services,
            String name,
            Grant grant,
            boolean autoRenew,
            Duration renewInterval,
            BiConsumer<HeldLock, LossReason> onEnd) {
        super(services, name, grant, onEnd);
        this.autoRenew = autoRenew;
        this.renewInterval = renewInterval;
    }

    @Override
    public void renew() {
        renewCounting();
    }

    /**
     * Renews once; tells whether the backend let the deadline count from this renewal (see {@link
     * dev.baton.lock.spi.CoordinationBackend#keepAliveExtendsDeadline}: etcd's leader-change rule, for one).
     */
    private boolean renewCounting() {
        requireValid(LossReason.EXPIRED);
        long sent = services.time().nanoTime();
        boolean counts;
        try {
            counts = services.backend().keepAliveExtendsDeadline(leaseId);
        } catch (NoSuchLeaseException gone) {
            lose(LossReason.EXPIRED);
            throw new LockLostException(name, LossReason.EXPIRED, "lease '" + name + "' expired on the server", gone);
        } catch (RuntimeException e) {
            throw Failures.translate(name, e);
        }
        if (counts) {
            synchronized (lock) {
                extendDeadlineLocked(sent);
            }
        }
        return counts;
    }

    @Override
    @GuardedBy("lock")
    void startedLocked() {
        if (autoRenew) {
            scheduleRenewalLocked(renewInterval);
        }
    }

    @Override
    @GuardedBy("lock")
    void stoppedLocked() {
        if (renewTimer != null) {
            renewTimer.cancel();
        }
    }

    @GuardedBy("lock")
    private void scheduleRenewalLocked(Duration delay) {
        renewTimer = services.time().schedule(delay, () -> services.blocking().execute(this::autoRenew));
    }

    private void autoRenew() {
        Duration next = renewInterval;
        try {
            if (!renewCounting()) {
                // Renewed, but the deadline may not count from it yet: renew sooner, as the session does.
                next = renewInterval.dividedBy(4);
            }
        } catch (LockLostException lost) {
            return;
        } catch (RuntimeException e) {
            services.log().debug("renewal of lease '{}' failed, retrying: {}", name, e.toString());
            next = renewInterval.dividedBy(4);
        }
        synchronized (lock) {
            if (heldLocked()) {
                scheduleRenewalLocked(next);
            }
        }
    }

    @Override
    String kind() {
        return "LEASE";
    }
}
