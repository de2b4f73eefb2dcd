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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key rule's dot segments: "." and ".." are refused wherever they stand, any other dotted segment is a name. */
class BackendChecksTest {
    @ParameterizedTest
    @ValueSource(strings = {".", "..", "./a", "a/.", "../a", "a/..", "a/./b", "a/../b", "a/b/.."})
    void dot_and_dot_dot_segments_are_refused_anywhere(String key) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BackendChecks.requireKey("key", key))
                .withMessage("key must not have '.' or '..' as a segment, got '" + key + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"...", ".a", "a.", "a..", "..a", "a/.b/c", "a/b./c", "a/.../b", "a.b/c..d", "x"})
    void segments_that_only_hold_dots_among_other_characters_are_names(String key) {
        assertThat(BackendChecks.requireKey("key", key)).isEqualTo(key);
    }
}
