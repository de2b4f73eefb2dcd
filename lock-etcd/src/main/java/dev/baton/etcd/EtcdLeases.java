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
package dev.baton.etcd;

import dev.baton.etcd.internal.EtcdCalls;
import dev.baton.etcd.internal.LeaderChangeGuard;
import dev.baton.etcd.internal.RenewalConfirmations;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.spi.NoSuchLeaseException;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's lease operations: grants rounded up to whole seconds and checked against what the server honours,
 * unary keep-alives under a deadline that carry the leader-change rule, and revokes.
 *
 * <p>Threadsafe.
 */
final class EtcdLeases {
    private static final Logger log = LoggerFactory.getLogger(EtcdLeases.class);

    private final Lease leases;
    private final EtcdRequests requests;
    private final Duration minimumTtl;
    private final LeaderChangeGuard leaderChanges;
    private final Map<Long, Long> grantedTtlSeconds = new ConcurrentHashMap<>();
    private final RenewalConfirmations confirmations = new RenewalConfirmations(RenewalConfirmations.CONFIRM_GAP);

    EtcdLeases(Lease leases, EtcdRequests requests, Duration minimumTtl, LeaderChangeGuard leaderChanges) {
        this.leases = leases;
        this.requests = requests;
        this.minimumTtl = minimumTtl;
        this.leaderChanges = leaderChanges;
    }

    /** Grants a lease of {@code ttl} (already checked against the limits) rounded up to whole seconds. */
    long grant(Duration ttl) {
        long seconds = wholeSecondsUp(ttl);
        // In failover attempts although a grant is not idempotent: a grant whose answer was lost leaves a lease that
        // nothing uses, and the server expires it after its TTL. A grant stuck on a stopped member would otherwise
        // cost a session that is reopening the whole request timeout.
        LeaseGrantResponse granted =
                requests.withFailover(() -> leases.grant(seconds), "a lease grant of " + seconds + " s");
        if (granted.getTTL() > seconds) {
            revokeQuietly(granted.getID());
            throw new IllegalArgumentException("etcd raised a lease TTL of " + seconds + " s to " + granted.getTTL()
                    + " s: its minimum lease TTL (1.5 x its election timeout, rounded up to seconds) is longer than "
                    + "the configured minimumTtl " + minimumTtl + ". Use TTLs of at least " + granted.getTTL()
                    + " s and set EtcdBackend.Builder.minimumTtl(Duration.ofSeconds(" + granted.getTTL() + "))");
        }
        grantedTtlSeconds.put(granted.getID(), seconds);
        return granted.getID();
    }

    /**
     * Renews a lease with one unary keep-alive, waiting at most a third of its TTL (or the request timeout, whichever
     * is shorter). The answer's term still reaches the leader-change rule; no deadline counts from it.
     */
    void keepAlive(long leaseId) {
        Renewal r = renew(leaseId);
        leaderChanges.counts(r.term(), r.sentNanos());
    }

    /**
     * Renews as {@link #keepAlive(long)} does and tells from which of the caller's send times the holder's deadline
     * may count, by the leader-change rule and the confirmation of each renewal by the next.
     */
    OptionalLong keepAlive(long leaseId, long callerSentNanos) {
        Renewal r = renew(leaseId);
        boolean counts = leaderChanges.counts(r.term(), r.sentNanos());
        if (!leaderChanges.enabled()) {
            return OptionalLong.of(callerSentNanos); // the negative control: every acknowledged renewal counts
        }
        return confirmations.acknowledged(leaseId, counts, r.term(), callerSentNanos, r.sentNanos(), r.answeredNanos());
    }

    /** An acknowledged renewal: the term of its answer, and when it was sent and answered on this clock. */
    private record Renewal(long term, long sentNanos, long answeredNanos) {}

    private Renewal renew(long leaseId) {
        long sent = System.nanoTime();
        Long ttlSeconds = grantedTtlSeconds.get(leaseId);
        Duration timeout = requests.requestTimeout();
        if (ttlSeconds != null) {
            Duration third = Duration.ofSeconds(ttlSeconds).dividedBy(3);
            if (third.compareTo(timeout) < 0) {
                timeout = third;
            }
        }
        LeaseKeepAliveResponse answer;
        try {
            answer = requests.calls().await(leases.keepAliveOnce(leaseId), timeout, "a lease keep-alive");
        } catch (BackendUnavailableException e) {
            if (EtcdCalls.isLeaseNotFound(e.getCause())) {
                forget(leaseId);
                throw new NoSuchLeaseException(leaseId);
            }
            throw e;
        }
        long answered = System.nanoTime();
        if (answer.getTTL() <= 0) {
            forget(leaseId);
            throw new NoSuchLeaseException(leaseId);
        }
        return new Renewal(answer.getHeader().getRaftTerm(), sent, answered);
    }

    private void forget(long leaseId) {
        grantedTtlSeconds.remove(leaseId);
        confirmations.forget(leaseId);
    }

    /** Revokes a lease in failover attempts; an unknown lease is ignored. */
    void revoke(long leaseId) {
        try {
            requests.withFailover(() -> leases.revoke(leaseId), "a lease revoke");
        } catch (BackendUnavailableException e) {
            if (!EtcdCalls.isLeaseNotFound(e.getCause())) {
                throw e;
            }
        }
        forget(leaseId);
    }

    private void revokeQuietly(long leaseId) {
        try {
            requests.await(leases.revoke(leaseId), "a lease revoke");
        } catch (RuntimeException e) {
            log.debug("could not revoke lease {}; it expires on its own: {}", Long.toHexString(leaseId), e.toString());
        }
    }

    private static long wholeSecondsUp(Duration ttl) {
        long seconds = ttl.getSeconds();
        return ttl.getNano() > 0 ? seconds + 1 : seconds;
    }
}
