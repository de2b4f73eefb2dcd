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
package dev.baton.consul.internal;

import java.util.List;

/**
 * The answer of a KV read: the entries (empty when Consul answered 404) and the {@code X-Consul-Index} header.
 *
 * @param entries the entries
 * @param index the index Consul reported, at least 1
 */
public record KvRead(List<KvEntry> entries, long index) {
    /** Copies the list. */
    public KvRead {
        entries = List.copyOf(entries);
    }
}
