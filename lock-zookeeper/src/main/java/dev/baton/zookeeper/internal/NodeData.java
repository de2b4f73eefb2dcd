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
 *
 * <p>Data the backend did not write (another program's, or a later format's) is never taken for an absent key: the
 * decoders throw {@link MalformedDataException}, so a lock whose entry cannot be read fails loudly instead of looking
 * free.
 *
 * <p>Stateless and threadsafe.
 */
public final class NodeData {
    private static final byte ENTRY = 'B';
    private static final byte LEASE = 'L';
    private static final byte FORMAT = 1;
    private static final int ENTRY_HEADER = 2 + 8 + 8;
    private static final int LEASE_LENGTH = 2 + 8;
    private static final int SHOWN_BYTES = 8;

    private NodeData() {}

    /** A decoded entry node. */
    public record EntryData(long leaseId, long originSequence, byte[] value) {}

    /** Thrown when a node's data is not in the format the backend writes; the message says what was found. */
    public static final class MalformedDataException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedDataException(String message) {
            super(message);
        }
    }

    /** Encodes an entry node's data. */
    public static byte[] entry(long leaseId, long originSequence, byte[] value) {
        return ByteBuffer.allocate(ENTRY_HEADER + value.length)
                .put(ENTRY)
                .put(FORMAT)
                .putLong(leaseId)
                .putLong(originSequence)
                .put(value)
                .array();
    }

    /** Whether {@code data} is an entry node's, in the format this backend writes. */
    public static boolean isEntry(byte[] data) {
        return data != null && data.length >= ENTRY_HEADER && data[0] == ENTRY && data[1] == FORMAT;
    }

    /**
     * Decodes an entry node's data.
     *
     * @throws MalformedDataException if it is not an entry node's data in format 1
     */
    public static EntryData decodeEntry(byte[] data) {
        if (!isEntry(data)) {
            throw new MalformedDataException("not a Baton entry node: expected at least " + ENTRY_HEADER
                    + " bytes starting with 'B' and format 1, found " + describe(data));
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        b.position(2);
        long lease = b.getLong();
        long origin = b.getLong();
        byte[] value = new byte[data.length - ENTRY_HEADER];
        b.get(value);
        return new EntryData(lease, origin, value);
    }

    /** Encodes a lease node's data. */
    public static byte[] lease(long ttlMillis) {
        return ByteBuffer.allocate(LEASE_LENGTH)
                .put(LEASE)
                .put(FORMAT)
                .putLong(ttlMillis)
                .array();
    }

    /** Whether {@code data} is a lease node's, in the format this backend writes, with a positive TTL. */
    public static boolean isLease(byte[] data) {
        return data != null
                && data.length == LEASE_LENGTH
                && data[0] == LEASE
                && data[1] == FORMAT
                && ByteBuffer.wrap(data, 2, 8).getLong() > 0;
    }

    /**
     * Decodes a lease node's TTL in milliseconds.
     *
     * @throws MalformedDataException if it is not a lease node's data in format 1 with a positive TTL
     */
    public static long decodeLeaseTtl(byte[] data) {
        if (!isLease(data)) {
            throw new MalformedDataException("not a Baton lease node: expected " + LEASE_LENGTH
                    + " bytes starting with 'L', format 1 and a positive TTL, found " + describe(data));
        }
        return ByteBuffer.wrap(data, 2, 8).getLong();
    }

    /** Describes data for an error message: its length and first bytes in hex (never the whole value). */
    static String describe(byte[] data) {
        if (data == null) {
            return "no data";
        }
        StringBuilder out = new StringBuilder().append(data.length).append(" bytes");
        if (data.length > 0) {
            out.append(" (");
            for (int i = 0; i < Math.min(SHOWN_BYTES, data.length); i++) {
                out.append(String.format("%02x", data[i] & 0xff));
            }
            out.append(data.length > SHOWN_BYTES ? "...)" : ")");
        }
        return out.toString();
    }
}
