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
 * One KV operation of a {@code /v1/txn} request.
 *
 * @param verb the verb
 * @param key the full key
 * @param value the value, or null
 * @param flags the flags
 * @param index the index for {@code cas}, {@code check-index}, {@code delete-cas}
 * @param session the session for {@code lock} and {@code unlock}, or null
 */
public record TxnOp(TxnVerb verb, String key, byte[] value, long flags, long index, String session) {
    /**
     * An operation without value, flags or session.
     *
     * @param verb the verb
     * @param key the key
     * @param index the index
     * @return the operation
     */
    public static TxnOp of(TxnVerb verb, String key, long index) {
        return new TxnOp(verb, key, null, 0, index, null);
    }
}
