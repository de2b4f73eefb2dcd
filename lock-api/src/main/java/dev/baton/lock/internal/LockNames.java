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
package dev.baton.lock.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Checks user-given names and maps them to key segments every backend can hold. The mapping is injective and its
 * output never contains {@code /}, so the keys of one name can never be a prefix of another name's keys ({@code a}
 * vs {@code a/b} vs {@code ab}): each lock lives under {@code <kind>/<segment>/}.
 */
final class LockNames {
    /** Longest name accepted, in UTF-8 bytes. */
    static final int MAX_NAME_BYTES = 256;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private LockNames() {}

    /**
     * Checks a name.
     *
     * @param argument the argument's name, for the message
     * @param name the name
     * @return the name
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException naming the broken rule
     */
    static String requireValid(String argument, String name) {
        Objects.requireNonNull(name, argument + " must not be null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException(argument + " must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(String.format(
                        "%s must not contain control characters: found U+%04X at index %d", argument, (int) c, i));
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(
                        argument + " must be valid Unicode: unpaired surrogate at index " + i);
            }
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(
                    argument + " must be at most " + MAX_NAME_BYTES + " bytes in UTF-8, was " + bytes);
        }
        return name;
    }

    /**
     * Maps a valid name to a key segment of ASCII letters, digits, {@code . _ ~ -} and {@code %XX} escapes.
     *
     * @param name a name accepted by {@link #requireValid}
     * @return the segment, never containing {@code /} and never {@code .} or {@code ..}
     */
    static String encode(String name) {
        if (name.equals(".") || name.equals("..")) {
            return name.replace(".", "%2E");
        }
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length + 8);
        for (byte b : utf8) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '-') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /**
     * Returns the key prefix of a lock, TTL lock or lease (they share one queue per name).
     *
     * @param name a valid name
     * @return the prefix, without trailing {@code /}
     */
    static String lockPrefix(String name) {
        return "locks/" + encode(name);
    }

    /**
     * Returns the key prefix of a read-write lock: both sides share one queue, apart from the mutexes'.
     *
     * @param name a valid name
     * @return the prefix, without trailing {@code /}
     */
    static String readWritePrefix(String name) {
        return "rwlocks/" + encode(name);
    }

    /**
     * Returns the key prefix of a semaphore, apart from the mutexes' and read-write locks'.
     *
     * @param name a valid name
     * @return the prefix, without trailing {@code /}
     */
    static String semaphorePrefix(String name) {
        return "semaphores/" + encode(name);
    }

    /**
     * Returns the key prefix of an election.
     *
     * @param name a valid name
     * @return the prefix, without trailing {@code /}
     */
    static String electionPrefix(String name) {
        return "elections/" + encode(name);
    }
}
