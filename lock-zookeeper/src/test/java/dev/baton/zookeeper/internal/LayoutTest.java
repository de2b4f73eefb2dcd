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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.curator.utils.PathUtils;
import org.junit.jupiter.api.Test;

/** The mapping between SPI keys and ZooKeeper node paths, and the paths of leases. */
class LayoutTest {
    /** The SPI's key alphabet, without '/'. */
    private static final String SEGMENT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~%-";

    private final Layout layout = new Layout("/ns");

    @Test
    void fixed_nodes_live_under_the_root() {
        Layout nested = new Layout("/apps/billing");
        assertThat(nested.root()).isEqualTo("/apps/billing");
        assertThat(nested.keysRoot()).isEqualTo("/apps/billing/keys");
        assertThat(nested.leasesRoot()).isEqualTo("/apps/billing/leases");
        assertThat(nested.clock()).isEqualTo("/apps/billing/clock");
    }

    @Test
    void a_key_without_slash_is_an_entry_node_directly_under_keys() {
        assertThat(layout.entry("a")).isEqualTo("/ns/keys/a");
        assertThat(layout.keyOf("/ns/keys/a")).isEqualTo("a");
    }

    @Test
    void every_segment_but_the_last_becomes_a_structure_node_ending_with_a_colon() {
        assertThat(layout.entry("a/b/c")).isEqualTo("/ns/keys/a:/b:/c");
        assertThat(layout.structure("a")).isEqualTo("/ns/keys/a:");
        assertThat(layout.structure("a/b")).isEqualTo("/ns/keys/a:/b:");
        assertThat(Layout.parent(layout.entry("a/b/c"))).isEqualTo(layout.structure("a/b"));
    }

    @Test
    void a_key_and_the_keys_under_it_never_share_a_node() {
        // "a" is a key and "a/b" is a key: ZooKeeper would make "/keys/a" both a holder of data and a parent.
        assertThat(layout.entry("a")).isNotEqualTo(layout.structure("a"));
        assertThat(layout.entry("a/b")).startsWith(layout.structure("a") + "/");
        assertThat(layout.entry("a/b")).doesNotStartWith(layout.entry("a") + "/");
    }

    @Test
    void key_to_path_and_back_is_the_identity_over_the_whole_alphabet() {
        List<String> keys = new ArrayList<>(List.of(
                "a",
                "...",
                ".a",
                "a.",
                "%2F",
                "~",
                "-",
                "_",
                "a/.../b",
                "locks/orders/42",
                "x/" + SEGMENT_CHARS,
                SEGMENT_CHARS + "/" + SEGMENT_CHARS));
        keys.addAll(randomKeys(500, new Random(42)));
        Set<String> paths = new HashSet<>();
        for (String key : keys) {
            String path = layout.entry(key);
            assertThat(layout.keyOf(path)).as("key of %s", path).isEqualTo(key);
            assertThatCode(() -> PathUtils.validatePath(path))
                    .as("ZooKeeper accepts %s", path)
                    .doesNotThrowAnyException();
            assertThat(paths.add(path)).as("%s maps to a path of its own", key).isTrue();
            if (key.contains("/")) {
                String prefix = key.substring(0, key.lastIndexOf('/'));
                assertThatCode(() -> PathUtils.validatePath(layout.structure(prefix)))
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void paths_that_are_not_entry_nodes_have_no_key() {
        assertThat(layout.keyOf(layout.structure("a"))).as("a structure node").isNull();
        assertThat(layout.keyOf(layout.structure("a/b"))).isNull();
        assertThat(layout.keyOf("/ns/keys")).as("the keys root").isNull();
        assertThat(layout.keyOf("/ns/keys/")).isNull();
        assertThat(layout.keyOf("/ns/keysx/a")).as("a sibling of the keys root").isNull();
        assertThat(layout.keyOf("/other/keys/a")).as("another namespace").isNull();
        assertThat(layout.keyOf("/ns/leases/0000000000000001")).isNull();
        assertThat(layout.keyOf("/ns/keys/a/b")).as("a parent without the ':'").isNull();
        assertThat(layout.keyOf("/ns/keys/a://b")).as("an empty segment").isNull();
        assertThat(layout.keyOf("/ns/keys/:/b")).as("an empty structure name").isNull();
    }

    @Test
    void structure_names_are_recognised_by_their_colon() {
        assertThat(Layout.isStructureName("a:")).isTrue();
        assertThat(Layout.isStructureName("a")).isFalse();
        assertThat(Layout.isStructureName("")).isFalse();
        assertThat(Layout.isStructureName(":")).isTrue();
    }

    @Test
    void lease_nodes_are_named_by_sixteen_hex_digits() {
        assertThat(layout.lease(1)).isEqualTo("/ns/leases/0000000000000001");
        assertThat(Layout.leaseName(Long.MAX_VALUE)).isEqualTo("7fffffffffffffff");
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            long id = random.nextLong();
            assertThat(Layout.leaseIdOf(Layout.leaseName(id))).isEqualTo(id);
        }
        assertThat(Layout.leaseIdOf(Layout.leaseName(1))).isEqualTo(1);
    }

    @Test
    void names_that_are_not_lease_names_give_lease_id_zero() {
        assertThat(Layout.leaseIdOf("")).isZero();
        assertThat(Layout.leaseIdOf("1")).isZero();
        assertThat(Layout.leaseIdOf("000000000000001")).as("15 digits").isZero();
        assertThat(Layout.leaseIdOf("00000000000000001")).as("17 digits").isZero();
        assertThat(Layout.leaseIdOf("000000000000000g")).as("not hex").isZero();
        assertThat(Layout.leaseIdOf("-000000000000001")).as("a sign").isZero();
        assertThat(Layout.leaseIdOf("0000000000000000")).as("id 0 is no lease").isZero();
    }

    @Test
    void a_reference_names_its_key_with_plus_for_slash_and_maps_back() {
        assertThat(layout.reference(1, "locks/orders/42")).isEqualTo("/ns/leases/0000000000000001/locks+orders+42");
        for (String key : randomKeys(300, new Random(3))) {
            String reference = layout.reference(5, key);
            String name = reference.substring(reference.lastIndexOf('/') + 1);
            assertThat(Layout.keyOfReference(name)).isEqualTo(key);
            assertThat(Layout.parent(reference)).isEqualTo(layout.lease(5));
            assertThatCode(() -> PathUtils.validatePath(reference)).doesNotThrowAnyException();
        }
    }

    @Test
    void parent_of_a_path() {
        assertThat(Layout.parent("/a/b")).isEqualTo("/a");
        assertThat(Layout.parent("/a")).isEqualTo("/");
        assertThat(Layout.parent("/")).isEqualTo("/");
    }

    /** Keys of 1 to 4 segments of 1 to 8 characters from the SPI's alphabet, never "." or "..". */
    private static List<String> randomKeys(int count, Random random) {
        List<String> keys = new ArrayList<>();
        while (keys.size() < count) {
            int segments = 1 + random.nextInt(4);
            StringBuilder key = new StringBuilder();
            for (int s = 0; s < segments; s++) {
                String segment;
                do {
                    StringBuilder b = new StringBuilder();
                    int length = 1 + random.nextInt(8);
                    for (int i = 0; i < length; i++) {
                        b.append(SEGMENT_CHARS.charAt(random.nextInt(SEGMENT_CHARS.length())));
                    }
                    segment = b.toString();
                } while (segment.equals(".") || segment.equals(".."));
                key.append(s == 0 ? "" : "/").append(segment);
            }
            keys.add(key.toString());
        }
        return keys;
    }
}
