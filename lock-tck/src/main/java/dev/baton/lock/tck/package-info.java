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
 * The conformance kit (TCK): one abstract JUnit 5 suite, {@link dev.baton.lock.tck.CoordinatorConformanceSuite},
 * that every backend runs against its own server through a {@link dev.baton.lock.tck.TckEnvironment}. Its rules come
 * in suites named after the guarantees ({@link dev.baton.lock.tck.BackendContractRules} for the SPI itself, then
 * {@link dev.baton.lock.tck.MutexRules}, {@link dev.baton.lock.tck.TtlLockRules}, {@link
 * dev.baton.lock.tck.ScheduledJobRules}, {@link
 * dev.baton.lock.tck.LeaseRules}, {@link dev.baton.lock.tck.EarlyLossRules}, {@link dev.baton.lock.tck.ElectionRules},
 * {@link dev.baton.lock.tck.SingletonRules}, {@link dev.baton.lock.tck.NoLeakRules}, {@link
 * dev.baton.lock.tck.ReentrancyRules} and {@link dev.baton.lock.tck.ErrorRules}), written with a public harness, {@link
 * dev.baton.lock.tck.TckHarness}, that a backend's own tests can use too; plus the tools it is built from: the {@link
 * dev.baton.lock.tck.HistoryChecker} that judges recorded lock histories, and the {@link
 * dev.baton.lock.tck.FaultInjectingBackend} that cuts a client off or loses acknowledgements.
 *
 * <p>A backend module runs the kit by extending the suite in its tests and returning a fresh environment from
 * {@code newEnvironment()}; it may run some rule suites alone by implementing them on a {@link
 * dev.baton.lock.tck.TckSuite}. Every test is named after the rule it checks.
 */
package dev.baton.lock.tck;
