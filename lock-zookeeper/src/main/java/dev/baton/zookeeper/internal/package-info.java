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
 * Internals of the ZooKeeper backend, one concern each: the node layout ({@code Layout}) and the codec of the data
 * it stores ({@code NodeData}); requests and their errors ({@code ZkCalls}); the builder's settings and the client it
 * connects ({@code BackendSettings}, {@code CuratorConnector}); leases and their ties to ZooKeeper sessions ({@code
 * LeaseTies}); the multi-operation entry writer ({@code EntryWriter}); tree reads and listings ({@code TreeReader});
 * structure nodes, created and pruned ({@code StructureNodes}); the lease reaper ({@code LeaseReaper}); the watches
 * ({@code WatchRegistry}); the background work and the tidying at close ({@code Housekeeper}). Not for users; may
 * change without notice.
 */
package dev.baton.zookeeper.internal;
