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
