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
/**
 * The etcd backend: {@link dev.baton.etcd.EtcdBackend} is the {@link dev.baton.lock.spi.CoordinationBackend} over an
 * etcd cluster (v3 API, through jetcd); {@link dev.baton.etcd.EtcdBackend#builder()} builds it, or, through {@link
 * dev.baton.etcd.EtcdBackend.Builder#coordinatorBuilder()}, a {@link dev.baton.lock.Coordinator} that owns it.
 *
 * <p>How each primitive maps onto etcd, one request each:
 *
 * <ul>
 *   <li>a key's {@linkplain dev.baton.lock.spi.Entry#version() version} is its mod revision and its {@linkplain
 *       dev.baton.lock.spi.Entry#createSequence() creation sequence} (the fencing token) its create revision: the
 *       cluster's revision counter, which never goes backwards, so a token is never reused even after every key under
 *       a prefix was deleted;
 *   <li>{@code createIfAbsent} is one {@code Txn}: if create revision = 0 then put with the lease; {@code
 *       compareAndSet} and {@code compareAndDelete} are one {@code Txn} each, comparing the mod revision;
 *   <li>{@code list} is one range read of {@code prefix + "/"}, sorted by create revision, linearizable;
 *   <li>{@code keepAlive} is one unary keep-alive ({@code keepAliveOnce}) under a deadline. The coordinator's session
 *       keeper calls it every third of the TTL and keeps the local deadline itself, so a renewal that hangs or fails
 *       is noticed on the caller's own timer; jetcd's streaming keep-alive, which has been seen to stop silently, is
 *       not used. An expired lease answers with TTL &le; 0, or "requested lease not found": both are reported as
 *       {@link dev.baton.lock.spi.NoSuchLeaseException};
 *   <li>{@code watch} resumes from the last revision it delivered after a broken stream, and after a stream that left
 *       a progress request unanswered for one failover attempt (a stopped member answers nothing, not even an error);
 *       it reports a compacted history as {@link dev.baton.lock.spi.WatchListener#onReset(String) onReset} (see
 *       {@code ResumableWatch}).
 * </ul>
 *
 * <p><b>Failover.</b> Idempotent requests ({@code get}, {@code list}, {@code compareAndDelete}, {@code revokeLease}),
 * and {@code grantLease} (whose lost answer only leaves an unused lease to expire), run in attempts, the first of a
 * quarter of the request timeout (250 ms to 1 s) and each later one twice as long, each on the next endpoint of
 * jetcd's round-robin, until the request timeout: a member that was killed, or a stopped leader that answers nothing,
 * costs one attempt instead of the whole request timeout. Renewals carry the leader-change rule ({@link
 * dev.baton.etcd.EtcdBackend#keepAliveCountingFrom(long, long)}).
 *
 * <p><b>TTLs.</b> etcd counts lease TTLs in whole seconds: a requested TTL is rounded <em>up</em>, so the server never
 * expires a lease before the TTL the coordinator computes its local deadline from. etcd also raises every TTL below
 * its own minimum (1.5 × its election timeout, rounded up to seconds: 2 s with the default 1 s election timeout)
 * without saying so. The backend therefore reports its minimum TTL as configured ({@link
 * dev.baton.etcd.EtcdBackend.Builder#minimumTtl(java.time.Duration)}, 2 s by default), so that shorter TTLs are
 * rejected up front with a message, and checks every grant: if the server still raised the TTL (its election timeout
 * is longer than the configured minimum assumes), the lease is revoked and the grant throws {@link
 * IllegalArgumentException} naming the TTL the server honours.
 */
package dev.baton.etcd;
