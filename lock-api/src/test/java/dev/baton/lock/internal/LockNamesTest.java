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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LockNamesTest {
    private static final List<String> NAMES = List.of(
            "a",
            "a/b",
            "ab",
            "a%2Fb",
            "a b",
            ".",
            "..",
            "...",
            "orders/42",
            "Ärger",
            "日本",
            "😀",
            "a-b",
            "a_b",
            "A",
            "x".repeat(256),
            "%",
            "%25",
            "~",
            "-");

    @Test
    void encoding_is_injective_over_tricky_names() {
        Set<String> seen = new HashSet<>();
        for (String n : NAMES) {
            assertThat(seen.add(LockNames.encode(n)))
                    .as("encoding of %s is unique", n)
                    .isTrue();
        }
    }

    @Test
    void no_lock_prefix_is_a_prefix_of_another_locks_keys() {
        List<String> prefixes = new ArrayList<>();
        for (String n : NAMES) {
            prefixes.add(LockNames.lockPrefix(n) + "/");
        }
        for (String p : prefixes) {
            for (String q : prefixes) {
                if (!p.equals(q)) {
                    assertThat(q).as("keys of one lock under another's prefix").doesNotStartWith(p);
                }
            }
        }
    }

    @Test
    void encoded_segments_hold_only_safe_characters_and_no_dot_segments() {
        for (String n : NAMES) {
            String e = LockNames.encode(n);
            assertThat(e).matches("[A-Za-z0-9._~%-]+").isNotIn(".", "..");
        }
    }

    @Test
    void empty_name_is_rejected_naming_the_rule() {
        assertThatThrownBy(() -> LockNames.requireValid("name", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be empty");
    }

    @Test
    void names_over_256_utf8_bytes_are_rejected_and_256_accepted() {
        assertThat(LockNames.requireValid("name", "é".repeat(128))).hasSize(128);
        assertThatThrownBy(() -> LockNames.requireValid("name", "é".repeat(128) + "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 256 bytes")
                .hasMessageContaining("257");
    }

    @Test
    void control_characters_and_nul_are_rejected_with_their_position() {
        assertThatThrownBy(() -> LockNames.requireValid("name", "ab\0c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control characters")
                .hasMessageContaining("U+0000")
                .hasMessageContaining("index 2");
        assertThatThrownBy(() -> LockNames.requireValid("name", "a\nb")).hasMessageContaining("U+000A");
        assertThatThrownBy(() -> LockNames.requireValid("name", "a\u007fb")).hasMessageContaining("U+007F");
    }

    @Test
    void unpaired_surrogates_are_rejected() {
        assertThatThrownBy(() -> LockNames.requireValid("name", "a\ud800b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
    }

    @Test
    void null_name_is_a_null_pointer_naming_the_argument() {
        assertThatThrownBy(() -> LockNames.requireValid("candidateId", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("candidateId");
    }
}
