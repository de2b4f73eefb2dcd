/**
 * The service-provider interface: the few primitives a backend implements so that every recipe (mutex queue, TTL
 * lock, lease, election, singleton) works on it unchanged. Users do not call this package; backend authors implement
 * {@link dev.baton.lock.spi.CoordinationBackend} and run the conformance kit ({@code lock-tck}) against it.
 *
 * <p>The model is etcd's, which the others map onto: keys under the backend's namespace, each with a version that
 * changes on every write (for compare-and-set) and a creation sequence that only grows across the cluster (the
 * fencing token); leases that expire on server time unless kept alive, deleting the keys attached to them; and
 * ordered watches that resume from a revision.
 */
package dev.baton.lock.spi;
