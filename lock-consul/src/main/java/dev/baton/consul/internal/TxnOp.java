package dev.baton.consul.internal;

/**
 * One KV operation of a {@code /v1/txn} request.
 *
 * @param verb the verb, as Consul spells it ({@code lock}, {@code check-index}, ...)
 * @param key the full key
 * @param value the value, or null
 * @param flags the flags
 * @param index the index for {@code cas}, {@code check-index}, {@code delete-cas}
 * @param session the session for {@code lock} and {@code unlock}, or null
 */
public record TxnOp(String verb, String key, byte[] value, long flags, long index, String session) {
    /**
     * An operation without value, flags or session.
     *
     * @param verb the verb
     * @param key the key
     * @param index the index
     * @return the operation
     */
    public static TxnOp check(String verb, String key, long index) {
        return new TxnOp(verb, key, null, 0, index, null);
    }
}
