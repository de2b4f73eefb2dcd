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
 * Internals of the Consul backend: the small HTTP client interface it runs on ({@link
 * dev.baton.consul.internal.ConsulHttp}), its implementation over the JDK's {@code HttpClient} and Gson ({@link
 * dev.baton.consul.internal.ConsulApiHttp}, which sends through {@code RequestSender}), the transaction verbs, the
 * messages of ACL denials, and the watch built on blocking queries. Not for users: anything here may change without notice.
 */
package dev.baton.consul.internal;
