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
 * The etcd backend: {@link dev.baton.etcd.EtcdCoordinatorBuilder} builds a {@link dev.baton.lock.Coordinator} over
 * an etcd cluster (v3 API, through jetcd), and {@link dev.baton.etcd.EtcdBackend} is the {@link
 * dev.baton.lock.spi.CoordinationBackend} underneath it.
 *
 * <p>How the SPI maps onto etcd: a key's version is its mod revision and its creation sequence (the fencing token)
 * its create revision, which only grows across the cluster; create-if-absent and compare-and-set are one {@code Txn}
 * each; a session is one etcd lease, renewed by one unary keep-alive per renewal; watches resume from the last revision
 * they delivered and report a compacted history as a reset.
 */
package dev.baton.etcd;
