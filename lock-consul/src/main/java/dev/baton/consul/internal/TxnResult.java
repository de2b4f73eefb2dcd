package dev.baton.consul.internal;

import java.util.List;

/**
 * The answer of a {@code /v1/txn} request.
 *
 * @param committed whether the transaction was applied (HTTP 200) or rolled back (HTTP 409)
 * @param results the KV results of a committed transaction (Consul returns none for deletes)
 * @param errors the errors of a rolled-back transaction
 */
public record TxnResult(boolean committed, List<KvEntry> results, List<TxnError> errors) {
    /** Copies the lists. */
    public TxnResult {
        results = List.copyOf(results);
        errors = List.copyOf(errors);
    }

    /**
     * One failed operation.
     *
     * @param opIndex the position of the operation in the request
     * @param what Consul's message
     */
    public record TxnError(int opIndex, String what) {}
}
