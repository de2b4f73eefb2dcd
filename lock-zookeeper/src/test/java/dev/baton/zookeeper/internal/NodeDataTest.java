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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bytes of entry and lease nodes: round trips, and data the backend did not write. */
class NodeDataTest {
    @Test
    void an_entry_decodes_to_what_was_encoded() {
        Random random = new Random(11);
        for (int size : new int[] {0, 1, 17, 18, 1000, 1 << 20}) {
            byte[] value = new byte[size];
            random.nextBytes(value);
            long lease = random.nextLong();
            long origin = random.nextLong();
            byte[] data = NodeData.entry(lease, origin, value);
            assertThat(data).hasSize(18 + size);
            assertThat(NodeData.isEntry(data)).isTrue();
            NodeData.EntryData decoded = NodeData.decodeEntry(data);
            assertThat(decoded.leaseId()).isEqualTo(lease);
            assertThat(decoded.originSequence()).isEqualTo(origin);
            assertThat(decoded.value()).isEqualTo(value);
        }
    }

    @Test
    void an_entry_without_a_lease_or_origin_keeps_zeros() {
        NodeData.EntryData decoded = NodeData.decodeEntry(NodeData.entry(0, 0, "v".getBytes(StandardCharsets.UTF_8)));
        assertThat(decoded.leaseId()).isZero();
        assertThat(decoded.originSequence()).isZero();
        assertThat(decoded.value()).containsExactly('v');
    }

    @Test
    void a_lease_decodes_to_its_ttl() {
        for (long ttl : new long[] {1, 400, 2000, 86_400_000, Long.MAX_VALUE}) {
            byte[] data = NodeData.lease(ttl);
            assertThat(NodeData.isLease(data)).isTrue();
            assertThat(NodeData.decodeLeaseTtl(data)).isEqualTo(ttl);
        }
    }

    @Test
    void data_that_is_no_entry_fails_with_what_was_found() {
        assertThatThrownBy(() -> NodeData.decodeEntry(null))
                .isInstanceOf(NodeData.MalformedDataException.class)
                .hasMessageContaining("not a Baton entry node")
                .hasMessageContaining("no data");
        assertThatThrownBy(() -> NodeData.decodeEntry(new byte[0]))
                .isInstanceOf(NodeData.MalformedDataException.class)
                .hasMessageContaining("found 0 bytes");
        byte[] truncated = new byte[17];
        truncated[0] = 'B';
        truncated[1] = 1;
        assertThatThrownBy(() -> NodeData.decodeEntry(truncated))
                .isInstanceOf(NodeData.MalformedDataException.class)
                .hasMessageContaining("at least 18 bytes")
                .hasMessageContaining("found 17 bytes (4201000000000000...)");
        assertThatThrownBy(() -> NodeData.decodeEntry(NodeData.lease(1000)))
                .as("a lease node's data")
                .isInstanceOf(NodeData.MalformedDataException.class)
                .hasMessageContaining("found 10 bytes (4c01");
        byte[] laterFormat = NodeData.entry(1, 0, new byte[4]);
        laterFormat[1] = 2;
        assertThatThrownBy(() -> NodeData.decodeEntry(laterFormat))
                .as("a later format")
                .isInstanceOf(NodeData.MalformedDataException.class)
                .hasMessageContaining("format 1")
                .hasMessageContaining("(4202");
        assertThatThrownBy(() -> NodeData.decodeEntry("{\"owner\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .as("another program's JSON")
                .isInstanceOf(NodeData.MalformedDataException.class)
                .hasMessageContaining("found 13 bytes (7b226f776e657222...)");
        assertThat(NodeData.isEntry(laterFormat)).isFalse();
    }

    @Test
    void data_that_is_no_lease_fails_with_what_was_found() {
        assertThatThrownBy(() -> NodeData.decodeLeaseTtl(null))
                .isInstanceOf(NodeData.MalformedDataException.class)
                .hasMessageContaining("not a Baton lease node");
        assertThatThrownBy(() -> NodeData.decodeLeaseTtl(NodeData.entry(1, 0, new byte[0])))
                .as("an entry node's data")
                .isInstanceOf(NodeData.MalformedDataException.class)
                .hasMessageContaining("found 18 bytes");
        byte[] longer = new byte[11];
        System.arraycopy(NodeData.lease(1000), 0, longer, 0, 10);
        assertThatThrownBy(() -> NodeData.decodeLeaseTtl(longer))
                .isInstanceOf(NodeData.MalformedDataException.class)
                .hasMessageContaining("expected 10 bytes");
        for (long ttl : new long[] {0, -1, Long.MIN_VALUE}) {
            assertThat(NodeData.isLease(NodeData.lease(ttl))).as("ttl %d", ttl).isFalse();
            assertThatThrownBy(() -> NodeData.decodeLeaseTtl(NodeData.lease(ttl)))
                    .isInstanceOf(NodeData.MalformedDataException.class)
                    .hasMessageContaining("a positive TTL");
        }
    }

    @Test
    void messages_show_at_most_the_first_eight_bytes() {
        byte[] big = new byte[4096];
        big[0] = (byte) 0xff;
        assertThat(NodeData.describe(big)).isEqualTo("4096 bytes (ff00000000000000...)");
        assertThat(NodeData.describe(new byte[] {1, 2})).isEqualTo("2 bytes (0102)");
    }
}
