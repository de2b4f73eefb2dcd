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
 * A coordination backend that lives inside one JVM, with the semantics of a real server (modelled on etcd): a global
 * revision, fencing tokens from creation revisions, compare-and-set on versions, leases that expire on a clock, and
 * ordered, resumable watches.
 *
 * <p>Use it for coordination between threads or components of a single process: {@code
 * InMemoryBackend.builder().coordinatorBuilder().build()} gives a coordinator on the JVM-wide cluster named {@code
 * "default"}, shared by every coordinator built that way. Use it as the test double in your own tests: create an
 * {@link dev.baton.inmemory.InMemoryCluster}, give it a {@link dev.baton.inmemory.ManualTimeSource} to move time
 * without sleeping, take coordinators from {@code InMemoryBackend.builder().cluster(cluster).coordinatorBuilder()}
 * and inject faults with {@link dev.baton.inmemory.InMemoryBackend#disconnect()} on a client from {@code
 * InMemoryBackend.builder().cluster(cluster).build()}. It is the reference backend the conformance kit is checked
 * against.
 *
 * <p>It is <strong>not distributed</strong>: nothing is shared with other processes, and everything is lost when the
 * JVM exits. For locks between processes or machines use the etcd, ZooKeeper or Consul backend.
 */
package dev.baton.inmemory;
