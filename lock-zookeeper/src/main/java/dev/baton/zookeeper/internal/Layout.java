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

import java.util.HexFormat;

/**
 * Where the backend keeps things under its root path.
 *
 * <p>A key {@code a/b/c} is stored as the node {@code <root>/keys/a:/b:/c}: every segment but the last is a
 * <em>structure</em> node whose name ends with {@code :} (a character keys never contain), the last segment is the
 * <em>entry</em> node. So the key {@code a} and the keys under {@code a/} live in different nodes ({@code a} and
 * {@code a:}) and never collide. A lease is the node {@code <root>/leases/<16 hex digits>}; its children are
 * references to the entries attached to it, named by the key with {@code /} replaced by {@code +}. {@code
 * <root>/clock} is written by reapers to read the server's time.
 *
 * <p>Immutable and threadsafe.
 */
public final class Layout {
    private static final HexFormat HEX = HexFormat.of();

    private static final char STRUCTURE = ':';

    private final String root;
    private final String keys;
    private final String leases;
    private final String clock;

    /**
     * Creates a layout.
     *
     * @param root the absolute root path, without trailing {@code /}
     */
    public Layout(String root) {
        this.root = root;
        this.keys = root + "/keys";
        this.leases = root + "/leases";
        this.clock = root + "/clock";
    }

    public String root() {
        return root;
    }

    public String keysRoot() {
        return keys;
    }

    public String leasesRoot() {
        return leases;
    }

    public String clock() {
        return clock;
    }

    /** The entry node of {@code key}. */
    public String entry(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? keys + "/" + key : structure(key.substring(0, slash)) + key.substring(slash);
    }

    /** The structure node that holds everything under {@code prefix + "/"}. */
    public String structure(String prefix) {
        StringBuilder out = new StringBuilder(keys.length() + prefix.length() + 8).append(keys);
        int start = 0;
        while (true) {
            int slash = prefix.indexOf('/', start);
            String segment = slash < 0 ? prefix.substring(start) : prefix.substring(start, slash);
            out.append('/').append(segment).append(STRUCTURE);
            if (slash < 0) {
                return out.toString();
            }
            start = slash + 1;
        }
    }

    /** The key of an entry node path, or null if {@code path} is not an entry node under the keys root. */
    public String keyOf(String path) {
        if (!path.startsWith(keys + "/")) {
            return null;
        }
        String rest = path.substring(keys.length() + 1);
        if (rest.isEmpty() || rest.charAt(rest.length() - 1) == STRUCTURE) {
            return null;
        }
        StringBuilder key = new StringBuilder(rest.length());
        int start = 0;
        while (true) {
            int slash = rest.indexOf('/', start);
            if (slash < 0) {
                key.append(rest, start, rest.length());
                return key.toString();
            }
            // Each parent segment must be a structure name: at least one character, then ':'.
            if (slash - start < 2 || rest.charAt(slash - 1) != STRUCTURE) {
                return null;
            }
            key.append(rest, start, slash - 1).append('/');
            start = slash + 1;
        }
    }

    /** Whether a node name is a structure node's. */
    public static boolean isStructureName(String name) {
        return !name.isEmpty() && name.charAt(name.length() - 1) == STRUCTURE;
    }

    /** The node of a lease. */
    public String lease(long leaseId) {
        return leases + "/" + leaseName(leaseId);
    }

    /** The name of a lease's node. */
    public static String leaseName(long leaseId) {
        // Sixteen lowercase hex digits, zero-padded; String.format took 5% of a busy client's CPU samples.
        return HEX.toHexDigits(leaseId);
    }

    /** The lease id of a lease node's name, or 0 if it is not one. */
    public static long leaseIdOf(String name) {
        if (name.length() != 16) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(name, 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The reference node, under a lease, of an entry attached to it. */
    public String reference(long leaseId, String key) {
        return lease(leaseId) + "/" + key.replace('/', '+');
    }

    /** The key a reference node's name stands for. */
    public static String keyOfReference(String name) {
        return name.replace('+', '/');
    }

    /** The parent path of {@code path}. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
