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
import java.util.OptionalLong;
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
     * Renews once, extends the deadline from the renewal the backend lets it count from (this one or an earlier one:
     * see {@link dev.baton.lock.spi.CoordinationBackend#keepAliveCountingFrom}, etcd's leader-change rule for one),
     * and returns when a background renewal should come next: the renew interval when this renewal counted, half of it
     * when an earlier one did (the next confirms this one), a quarter when none did.
     */
    private Duration renewCounting() {
        requireValid(LossReason.EXPIRED);
        long sent = services.time().nanoTime();
        OptionalLong from;
        try {
            from = services.backend().keepAliveCountingFrom(leaseId(), sent);
        } catch (NoSuchLeaseException gone) {
            lose(LossReason.EXPIRED);
            throw new LockLostException(name, LossReason.EXPIRED, "lease '" + name + "' expired on the server", gone);
        } catch (RuntimeException e) {
            throw Failures.translate(name, e);
        }
        if (from.isEmpty()) {
            return renewInterval.dividedBy(4);
        }
        synchronized (lock) {
            extendDeadlineLocked(from.getAsLong());
        }
        return from.getAsLong() == sent ? renewInterval : renewInterval.dividedBy(2);
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
        Duration next;
        try {
            next = renewCounting();
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
