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
 * What every rule suite of the kit ({@link BackendContractRules}, {@link MutexRules}, {@link ReadWriteLockRules},
 * {@link MultiLockRules}, {@link SemaphoreRules}, {@link TtlLockRules}, {@link
 * LeaseRules}, {@link EarlyLossRules}, {@link ElectionRules}, {@link SingletonRules}, {@link NoLeakRules}, {@link
 * ReentrancyRules}, {@link ErrorRules}) is written against: the harness of the running test. The rule suites are
 * interfaces whose tests are JUnit 5 default methods; a test class runs them by implementing them on a {@link
 * TckSuite}, as {@link CoordinatorConformanceSuite} does for all of them.
 *
 * <p>Every test of a rule suite is named after the rule it checks, starts with its capability ({@code mutex_}, {@code
 * ttl_lock_}, ...), and throws {@link AssertionError} when the backend breaks the rule.
 */
public interface TckRules {
    /**
     * Returns the harness of the running test: a fresh environment, and the clients, threads and checks built on it.
     *
     * @return the harness
     * @throws IllegalStateException if no test is running
     */
    TckHarness tck();
}
