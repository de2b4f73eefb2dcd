package dev.baton.lock.internal;

import java.nio.charset.StandardCharsets;

/**
 * The value stored in a queue entry: the owner (coordinator or candidate id, which holds no control characters) and
 * a payload (an election's proclaimed value), separated by the first newline.
 */
record EntryValue(String owner, String payload) {
    byte[] encode() {
        return (owner + "\n" + payload).getBytes(StandardCharsets.UTF_8);
    }

    static EntryValue decode(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return nl < 0 ? new EntryValue(s, "") : new EntryValue(s.substring(0, nl), s.substring(nl + 1));
    }
}
