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

/**
 * One key as Consul returns it. Immutable (the value array is not copied: callers treat it as read-only).
 *
 * @param key the full Consul key
 * @param value the decoded value, never null
 * @param flags the opaque flags
 * @param createIndex the Raft index that created the key
 * @param modifyIndex the Raft index of the last write of the key
 * @param lockIndex how many times the key was acquired
 * @param session the session holding the lock, or null
 */
public record KvEntry(
        String key, byte[] value, long flags, long createIndex, long modifyIndex, long lockIndex, String session) {}
