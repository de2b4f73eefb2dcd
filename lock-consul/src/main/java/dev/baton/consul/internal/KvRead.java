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
