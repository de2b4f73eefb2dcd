package dev.baton.zookeeper.internal;

import java.nio.ByteBuffer;

/**
 * The bytes the backend stores in its nodes.
 *
 * <p>An entry node holds a header and the value: magic {@code 'B'}, format 1, the lease id (8 bytes), the original
 * creation sequence (8 bytes; 0 means the node's own czxid), then the value. The original sequence is set only when
 * an entry had to be re-created to move it between an ephemeral and a persistent lease: it keeps the entry's fencing
 * token, which is always the czxid of the node first created for it. A lease node holds magic {@code 'L'}, format 1
 * and its TTL in milliseconds. Structure nodes hold nothing.
 */
public final class NodeData {
    private static final byte ENTRY = 'B';
    private static final byte LEASE = 'L';
    private static final byte FORMAT = 1;
    private static final int ENTRY_HEADER = 2 + 8 + 8;

    private NodeData() {}

    /** A decoded entry node. */
    public record EntryData(long leaseId, long originSequence, byte[] value) {}

    public static byte[] entry(long leaseId, long originSequence, byte[] value) {
        return ByteBuffer.allocate(ENTRY_HEADER + value.length)
                .put(ENTRY)
                .put(FORMAT)
                .putLong(leaseId)
                .putLong(originSequence)
                .put(value)
                .array();
    }

    /** Decodes an entry node's data, or returns null if it is not one. */
    public static EntryData decodeEntry(byte[] data) {
        if (data == null || data.length < ENTRY_HEADER || data[0] != ENTRY || data[1] != FORMAT) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        b.position(2);
        long lease = b.getLong();
        long origin = b.getLong();
        byte[] value = new byte[data.length - ENTRY_HEADER];
        b.get(value);
        return new EntryData(lease, origin, value);
    }

    public static byte[] lease(long ttlMillis) {
        return ByteBuffer.allocate(10).put(LEASE).put(FORMAT).putLong(ttlMillis).array();
    }

    /** Decodes a lease node's TTL in milliseconds, or returns -1 if it is not a lease node. */
    public static long decodeLeaseTtl(byte[] data) {
        if (data == null || data.length != 10 || data[0] != LEASE || data[1] != FORMAT) {
            return -1;
        }
        return ByteBuffer.wrap(data, 2, 8).getLong();
    }
}
