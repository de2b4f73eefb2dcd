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
package dev.baton.lock.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks every backend applies, with one set of rules and messages, so that a key or TTL accepted by one
 * backend is accepted by all of them (the conformance kit checks that each backend uses them).
 *
 * <p>A <em>key</em>, as the SPI passes it and a backend stores it under its namespace, is 1 to {@value #MAX_KEY_LENGTH}
 * characters of ASCII letters, digits and {@code . _ ~ % - /}, does not start or end with {@code /}, has no empty
 * segment ({@code //}) and no segment {@code .} or {@code ..}. Recipes build their keys from names encoded this way, so
 * the rule only refuses keys a recipe would never build. A <em>namespace</em> (key prefix) follows the same rule.
 *
 * <p>Stateless and threadsafe.
 */
public final class BackendChecks {
    /** The longest key accepted, in characters (which are all ASCII). */
    public static final int MAX_KEY_LENGTH = 1024;

    private BackendChecks() {}

    /**
     * Checks a key, or a namespace, against the rule above.
     *
     * @param argument the argument's name, for the message
     * @param key the key
     * @return {@code key}
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException naming the rule broken and the offending character or segment
     */
    public static String requireKey(String argument, String key) {
        Objects.requireNonNull(key, () -> argument + " must not be null");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    argument + " must be 1 to " + MAX_KEY_LENGTH + " characters long, got " + key.length());
        }
        if (key.charAt(0) == '/' || key.charAt(key.length() - 1) == '/' || key.contains("//")) {
            throw new IllegalArgumentException(
                    argument + " must not start or end with '/' and must not contain '//'," + " got '" + key + "'");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!isKeyChar(c)) {
                throw new IllegalArgumentException(String.format(
                        "%s may hold only ASCII letters, digits and . _ ~ %% - /, got U+%04X at index %d of '%s'",
                        argument, (int) c, i, printable(key)));
            }
        }
        if (hasDotSegment(key)) {
            throw new IllegalArgumentException(argument + " must not have '.' or '..' as a segment, got '" + key + "'");
        }
        return key;
    }

    /**
     * Checks a TTL against a backend's limits.
     *
     * @param backend the backend, for its limits and its description in the message
     * @param argument the argument's name, for the message
     * @param ttl the TTL
     * @return {@code ttl}
     * @throws NullPointerException if {@code ttl} is null
     * @throws IllegalArgumentException if {@code ttl} is below {@link CoordinationBackend#minimumTtl()} or above
     *     {@link CoordinationBackend#maximumTtl()}, naming the limit to respect
     */
    public static Duration requireTtlWithin(CoordinationBackend backend, String argument, Duration ttl) {
        return requireTtlWithin(argument, ttl, backend.minimumTtl(), backend.maximumTtl(), backend.describe());
    }

    /**
     * Checks a TTL against explicit limits, for a backend that checks before it exists (in its builder).
     *
     * @param argument the argument's name, for the message
     * @param ttl the TTL
     * @param minimum the least TTL accepted
     * @param maximum the greatest TTL accepted
     * @param where what sets the limits, for the message (for example "Consul's session TTL")
     * @return {@code ttl}
     * @throws NullPointerException if {@code ttl} is null
     * @throws IllegalArgumentException if {@code ttl} is outside {@code [minimum, maximum]}, naming the limit
     */
    public static Duration requireTtlWithin(
            String argument, Duration ttl, Duration minimum, Duration maximum, String where) {
        Objects.requireNonNull(ttl, () -> argument + " must not be null");
        if (ttl.compareTo(minimum) < 0) {
            throw new IllegalArgumentException(argument + " " + ttl + " is below the minimum TTL " + minimum + " of "
                    + where + "; use at least " + minimum);
        }
        if (ttl.compareTo(maximum) > 0) {
            throw new IllegalArgumentException(argument + " " + ttl + " is above the maximum TTL " + maximum + " of "
                    + where + "; use at most " + maximum);
        }
        return ttl;
    }

    /**
     * Checks that a duration setting (a timeout, an interval) is positive.
     *
     * @param argument the setting's name, for the message
     * @param value the duration
     * @return {@code value}
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is zero or negative
     */
    public static Duration requirePositive(String argument, Duration value) {
        Objects.requireNonNull(value, () -> argument + " must not be null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(argument + " must be positive, got " + value);
        }
        return value;
    }

    /** Whether a segment of the key is "." or "..": one scan without allocating, as every call checks its key. */
    private static boolean hasDotSegment(String key) {
        int start = 0;
        while (start <= key.length()) {
            int end = key.indexOf('/', start);
            if (end < 0) {
                end = key.length();
            }
            int length = end - start;
            if ((length == 1 || length == 2) && key.charAt(start) == '.' && key.charAt(end - 1) == '.') {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == '~'
                || c == '%'
                || c == '-'
                || c == '/';
    }

    private static String printable(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
