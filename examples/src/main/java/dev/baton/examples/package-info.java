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
 * Runnable examples of Baton on the embedded in-memory backend, to copy from: one short {@code main} per recipe
 * ({@link dev.baton.examples.MutexExample}, {@link dev.baton.examples.TtlLockExample}, {@link
 * dev.baton.examples.LeaseExample}, {@link dev.baton.examples.ElectionExample}, {@link
 * dev.baton.examples.SingletonExample}, {@link dev.baton.examples.FailoverExample}), and the narrated {@link
 * dev.baton.examples.Demo} that tells them as one story on three nodes. Each coordinator here comes from {@code
 * InMemoryBackend.builder().coordinatorBuilder()}; with a server, only that line changes (for example {@code
 * EtcdBackend.builder()...coordinatorBuilder()}).
 */
package dev.baton.examples;
