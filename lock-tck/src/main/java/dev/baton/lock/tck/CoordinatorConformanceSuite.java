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
package dev.baton.lock.tck;

/**
 * The conformance kit: every guarantee of Baton's design, checked through the public API (and, for the {@code spi_}
 * tests, directly on the backend's primitives) against one backend. A backend module runs it by extending this
 * class in its tests and implementing {@link #newEnvironment()}.
 *
 * <p>The rules come in suites named after the guarantees, each an interface of JUnit 5 default test methods that this
 * class implements: {@link BackendContractRules} (the SPI itself, which a backend author runs first), {@link
 * MutexRules}, {@link ReadWriteLockRules}, {@link MultiLockRules}, {@link SemaphoreRules}, {@link TtlLockRules}, {@link ScheduledJobRules}, {@link LeaseRules}, {@link EarlyLossRules}, {@link ElectionRules}, {@link
 * SingletonRules}, {@link NoLeakRules}, {@link ReentrancyRules} and {@link ErrorRules}. Their tests run as tests of the
 * extending class, under the names they check: {@code EtcdSingleNodeConformanceIT.mutex_serves_waiters_in_fifo_order},
 * so a report lists one class per backend and a method filter ({@code -Dtest=...#mutex_*}) selects a capability. A
 * test class may implement some of the suites on a {@link TckSuite} instead, and a backend's own tests may use the
 * {@link TckHarness} they are written with.
 *
 * <p>Each test gets a fresh {@link TckEnvironment}, closed afterwards. The kit builds every coordinator itself, over
 * a {@link FaultInjectingBackend} around a new client of the environment, with the environment's session TTL and
 * time source; when time is manual it runs every callback and blocking call inline, so that a release completes the
 * next waiter's acquisition before it returns and {@link TckEnvironment#advance(java.time.Duration)} runs renewals and
 * expiry in order. Test names say the rule they check and start with the capability: {@code mutex_}, {@code rwlock_}, {@code multilock_}, {@code semaphore_}, {@code
 * ttl_lock_}, {@code lease_}, {@code early_loss_}, {@code liveness_}, {@code election_}, {@code singleton_}, {@code
 * no_leaks_}, {@code reentrancy_}, {@code errors_}, {@code spi_}.
 *
 * <p>Every test runs under a time limit scaled by {@link TckTimeouts#factor()}. The kit never sleeps to synchronise:
 * it waits for conditions, and lets time pass only through the environment. It prints its figures (acquisitions
 * checked, overlaps, loss-before-handover, failover times, calls per hand-off) on standard output, prefixed {@code
 * [baton-tck]}.
 *
 * <pre>{@code
 * class EtcdConformanceIT extends CoordinatorConformanceSuite {
 *     @Override
 *     protected TckEnvironment newEnvironment() {
 *         return new EtcdTckEnvironment(server, "tck-" + UUID.randomUUID()); // a fresh namespace per test
 *     }
 * }
 * }</pre>
 *
 * <p>JUnit makes one instance per test; an instance is used by its test's threads only.
 */
public abstract class CoordinatorConformanceSuite extends TckSuite
        implements BackendContractRules,
                MutexRules,
                ReadWriteLockRules,
                MultiLockRules,
                SemaphoreRules,
                TtlLockRules,
                ScheduledJobRules,
                LeaseRules,
                EarlyLossRules,
                ElectionRules,
                SingletonRules,
                NoLeakRules,
                ReentrancyRules,
                ErrorRules {
    /** Creates the suite; JUnit does this for each test. */
    protected CoordinatorConformanceSuite() {}
}
