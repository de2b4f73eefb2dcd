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
package dev.baton.consul.internal;

import dev.baton.lock.BackendUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The few Consul HTTP calls the backend makes, so that the client library behind them can be swapped. Keys are full
 * Consul keys, not URL-encoded. Every synchronous call is one HTTP request; it throws {@link
 * BackendUnavailableException} when the agent cannot be reached or does not answer in time, {@link
 * dev.baton.lock.AccessDeniedException} on HTTP 403 (and on a 409 whose operations were denied), and {@link dev.baton.lock.LockException} for any other
 * answer it does not expect. A request that fails on its connection (not to connect, not by timeout) may be sent
 * twice; see {@link ConsulApiHttp} for why each request is safe to send twice.
 *
 * <p>Implementations are threadsafe.
 */
public interface ConsulHttp extends AutoCloseable {
    /**
     * {@code PUT /v1/session/create} with a TTL, empty checks, behaviour {@code delete} and a lock-delay.
     *
     * @param name the session's name
     * @param ttl the TTL
     * @param lockDelay the lock-delay
     * @return the session id
     */
    String createSession(String name, Duration ttl, Duration lockDelay);

    /**
     * {@code PUT /v1/session/renew/:id}.
     *
     * @param id the session
     * @return false when Consul answered 404 (the session is gone)
     */
    boolean renewSession(String id);

    /**
     * {@code PUT /v1/session/destroy/:id}.
     *
     * @param id the session
     */
    void destroySession(String id);

    /**
     * {@code GET /v1/session/list}.
     *
     * @return every session of the datacenter
     */
    List<SessionInfo> listSessions();

    /**
     * {@code GET /v1/kv/:key}, not blocking.
     *
     * @param key the key
     * @return the key (none on 404) and the index
     */
    KvRead get(String key);

    /**
     * {@code GET /v1/kv/:prefix?recurse}, not blocking.
     *
     * @param prefix the prefix, ending with {@code /}
     * @return the keys and the index
     */
    KvRead list(String prefix);

    /**
     * A blocking query: {@code GET /v1/kv/:key[?recurse]&index=&wait=}, sent asynchronously. Cancelling the future
     * aborts the request.
     *
     * @param keyOrPrefix the key, or the prefix ending with {@code /}
     * @param recurse whether {@code keyOrPrefix} is a prefix
     * @param index answer once the index is past this one (0: at once)
     * @param wait the longest the agent holds the request
     * @return the answer
     */
    CompletableFuture<KvRead> watch(String keyOrPrefix, boolean recurse, long index, Duration wait);

    /**
     * {@code PUT /v1/txn} with KV operations. When the first sending failed on its connection and was sent again, the
     * result says so ({@link TxnResult#retried()}): the first may have been applied.
     *
     * @param ops the operations, the first of them a check, so that a transaction applied once fails if sent again
     * @return the outcome
     */
    TxnResult txn(List<TxnOp> ops);

    /** Stops every request in flight and releases connections. Idempotent. */
    @Override
    void close();
}
