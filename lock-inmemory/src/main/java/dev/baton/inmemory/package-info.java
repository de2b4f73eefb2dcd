/**
 * A coordination backend that lives inside one JVM, with the semantics of a real server (modelled on etcd): a global
 * revision, fencing tokens from creation revisions, compare-and-set on versions, leases that expire on a clock, and
 * ordered, resumable watches.
 *
 * <p>Use it for coordination between threads or components of a single process, and as the test double in your own
 * tests: create an {@link dev.baton.inmemory.InMemoryCluster}, give it a {@link dev.baton.inmemory.ManualTimeSource}
 * to move time without sleeping, take coordinators from {@link dev.baton.inmemory.InMemoryCluster#coordinatorBuilder()}
 * and inject faults with {@link dev.baton.inmemory.InMemoryBackend#disconnect()}. It is the reference backend the
 * conformance kit is checked against.
 *
 * <p>It is <strong>not distributed</strong>: nothing is shared with other processes, and everything is lost when the
 * JVM exits. For locks between processes or machines use the etcd, ZooKeeper or Consul backend.
 */
package dev.baton.inmemory;
