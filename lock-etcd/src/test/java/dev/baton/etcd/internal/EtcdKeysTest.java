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
package dev.baton.etcd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EtcdKeysTest {
    @Test
    void namespace_gets_a_trailing_slash_so_sibling_namespaces_never_overlap() {
        assertThat(new EtcdKeys("app").namespace()).isEqualTo("app/");
        assertThat(new EtcdKeys("/app/locks/").namespace()).isEqualTo("/app/locks/");
        assertThat(text(new EtcdKeys("app").namespaceEnd())).isEqualTo("app0");
    }

    @Test
    void a_prefix_range_holds_keys_under_prefix_slash_and_no_sibling() {
        EtcdKeys keys = new EtcdKeys("ns");
        String start = text(keys.rangeStart("locks/a"));
        String end = text(keys.rangeEnd("locks/a"));
        assertThat(start).isEqualTo("ns/locks/a/");
        assertThat(end).isEqualTo("ns/locks/a0");
        for (String inside : new String[] {"ns/locks/a/1", "ns/locks/a/b/c", "ns/locks/a/~"}) {
            assertThat(inside.compareTo(start) >= 0 && inside.compareTo(end) < 0)
                    .as(inside)
                    .isTrue();
        }
        for (String outside : new String[] {"ns/locks/a", "ns/locks/ab/1", "ns/locks/a-/1", "ns/locks/a.x", "ns2/x"}) {
            assertThat(outside.compareTo(start) >= 0 && outside.compareTo(end) < 0)
                    .as(outside)
                    .isFalse();
        }
    }

    @Test
    void keys_map_into_the_namespace_and_back() {
        EtcdKeys keys = new EtcdKeys("ns/");
        ByteSequence etcd = keys.key("locks/x/%2F");
        assertThat(text(etcd)).isEqualTo("ns/locks/x/%2F");
        assertThat(keys.spiKey(etcd)).isEqualTo("locks/x/%2F");
        assertThatThrownBy(() -> keys.spiKey(ByteSequence.from("other/k", StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bad_namespaces_are_rejected_with_the_rule() {
        assertThatThrownBy(() -> new EtcdKeys("")).hasMessageContaining("namespace must name a prefix");
        assertThatThrownBy(() -> new EtcdKeys("/")).hasMessageContaining("namespace must name a prefix");
        assertThatThrownBy(() -> new EtcdKeys("//")).hasMessageContaining("namespace must name a prefix");
        assertThatThrownBy(() -> new EtcdKeys("a\nb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace may hold only ASCII letters, digits")
                .hasMessageContaining("U+000A at index 1");
        assertThatThrownBy(() -> new EtcdKeys("my app/")).hasMessageContaining("U+0020");
        assertThatThrownBy(() -> new EtcdKeys("a//b")).hasMessageContaining("must not contain '//'");
        assertThatThrownBy(() -> new EtcdKeys("//a")).hasMessageContaining("must not start or end with '/'");
        assertThatThrownBy(() -> new EtcdKeys("a/../b")).hasMessageContaining("'..' as a segment");
    }

    @Test
    void one_leading_and_one_trailing_slash_are_allowed_and_kept() {
        assertThat(new EtcdKeys("/app").namespace()).isEqualTo("/app/");
        assertThat(new EtcdKeys("/app/").namespace()).isEqualTo("/app/");
        assertThat(new EtcdKeys("my-app.v1/locks_~%2F").namespace()).isEqualTo("my-app.v1/locks_~%2F/");
    }

    private static String text(ByteSequence bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
