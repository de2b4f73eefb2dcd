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
