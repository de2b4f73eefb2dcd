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
 * Baton's public API: distributed mutexes, TTL locks, renewable leases, leader election and singleton tasks.
 *
 * <p>Start from a {@link dev.baton.lock.Coordinator}, built by a backend module (or by {@link
 * dev.baton.lock.Coordinator#builder(dev.baton.lock.spi.CoordinationBackend)} over any SPI implementation). Every
 * acquisition yields a {@link dev.baton.lock.LockHandle} that carries a fencing token and learns of its own loss
 * before the server can hand the lock to anyone else.
 *
 * <p>All exceptions thrown by this API are unchecked and rooted at {@link dev.baton.lock.LockException}, except
 * {@link IllegalArgumentException} for bad input, {@link IllegalStateException} for misuse (including use after
 * close), and {@link InterruptedException} on blocking calls.
 */
package dev.baton.lock;
