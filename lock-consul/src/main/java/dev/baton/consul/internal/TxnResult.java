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
 * The answer of a {@code /v1/txn} request.
 *
 * @param committed whether the transaction was applied (HTTP 200) or rolled back (HTTP 409)
 * @param results the KV results of a committed transaction (Consul returns none for deletes)
 * @param errors the errors of a rolled-back transaction
 * @param retried whether this is the answer to a second sending of the request, after the first failed on its
 *     connection with its fate unknown: it may have been applied, in which case the second one fails its check and
 *     the caller must find out whether the state it sees is its own write
 */
public record TxnResult(boolean committed, List<KvEntry> results, List<TxnError> errors, boolean retried) {
    /** Copies the lists. */
    public TxnResult {
        results = List.copyOf(results);
        errors = List.copyOf(errors);
    }

    /**
     * The answer to a request sent once.
     *
     * @param committed whether applied
     * @param results the KV results
     * @param errors the errors
     */
    public TxnResult(boolean committed, List<KvEntry> results, List<TxnError> errors) {
        this(committed, results, errors, false);
    }

    /**
     * One failed operation.
     *
     * @param opIndex the position of the operation in the request
     * @param what Consul's message
     */
    public record TxnError(int opIndex, String what) {}
}
