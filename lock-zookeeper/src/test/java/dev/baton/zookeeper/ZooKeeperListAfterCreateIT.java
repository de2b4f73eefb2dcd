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
package dev.baton.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.zookeeper.internal.Layout;
import dev.baton.zookeeper.internal.TreeReader;
import dev.baton.zookeeper.internal.ZkCalls;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The listing that follows a create ({@link TreeReader#listAfterCreate}) takes the created entry as written, without
 * reading it, only while that is what the server had at the listing's revision: changes between the create and the
 * listing, made here by calls in between, must give what {@code list} gives.
 */
@Timeout(60)
class ZooKeeperListAfterCreateIT {
    private static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHANGED = "w".getBytes(StandardCharsets.UTF_8);

    private final ZooKeeperTckEnvironment env = new ZooKeeperTckEnvironment(ZooKeeperServers.single());
    private final ZooKeeperBackend backend = env.builder().build();
    private final ZooKeeperBackend other = env.builder().build();
    private final TreeReader reader =
            new TreeReader(new Layout(backend.rootPath()), new ZkCalls(backend.curator(), "test", "anyone"), "test");
    private final long lease = backend.grantLease(ZooKeeperTckEnvironment.SESSION_TTL);
    private final long otherLease = other.grantLease(ZooKeeperTckEnvironment.SESSION_TTL);

    @AfterEach
    void close() {
        backend.close();
        other.close();
        env.close();
    }

    @Test
    void an_entry_alone_and_unchanged_since_its_create_is_listed_as_written_at_the_create_revision() {
        Entry own = backend.createIfAbsent("m/own", VALUE, lease).orElseThrow();

        Listing listing = reader.listAfterCreate("m", own);

        assertThat(listing).isEqualTo(new Listing(List.of(own), own.version()));
        assertThat(listing).isEqualTo(backend.list("m"));
    }

    @Test
    void a_change_of_the_entry_alone_since_its_create_is_after_the_listing_revision() {
        Entry own = backend.createIfAbsent("m/own", VALUE, lease).orElseThrow();
        Entry changed =
                backend.compareAndSet("m/own", own.version(), CHANGED, lease).orElseThrow();

        Listing listing = reader.listAfterCreate("m", own);

        // The tree as of the create; a watch started after its revision is told of the change.
        assertThat(listing).isEqualTo(new Listing(List.of(own), own.version()));
        assertThat(changed.version()).isGreaterThan(listing.revision());
    }

    @Test
    void a_sibling_created_since_the_create_is_listed_with_every_entry_read() {
        Entry own = backend.createIfAbsent("m/own", VALUE, lease).orElseThrow();
        other.createIfAbsent("m/later", VALUE, otherLease).orElseThrow();

        Listing listing = reader.listAfterCreate("m", own);

        assertThat(listing.entries()).extracting(Entry::key).containsExactly("m/own", "m/later");
        assertThat(listing).isEqualTo(backend.list("m"));
    }

    @Test
    void an_entry_deleted_and_created_again_by_another_client_since_the_create_is_read() {
        Entry own = backend.createIfAbsent("m/own", VALUE, lease).orElseThrow();
        assertThat(other.compareAndDelete("m/own", own.version())).isTrue();
        Entry again = other.createIfAbsent("m/own", CHANGED, otherLease).orElseThrow();

        Listing listing = reader.listAfterCreate("m", own);

        // The same name, alone under the prefix, but another node: the parent's pzxid is past the create.
        assertThat(listing).isEqualTo(new Listing(List.of(again), again.version()));
        assertThat(listing).isEqualTo(backend.list("m"));
    }

    @Test
    void a_change_in_a_nested_level_since_the_create_reads_the_own_entry_as_of_the_later_revision() {
        Entry nested = other.createIfAbsent("m/sub/x", VALUE, otherLease).orElseThrow();
        Entry own = backend.createIfAbsent("m/own", VALUE, lease).orElseThrow();
        backend.compareAndSet("m/own", own.version(), CHANGED, lease).orElseThrow();
        other.compareAndSet("m/sub/x", nested.version(), CHANGED, otherLease).orElseThrow();

        Listing listing = reader.listAfterCreate("m", own);

        // The nested change moves the revision past the own entry's change: the entry must be listed as changed.
        assertThat(listing).isEqualTo(backend.list("m"));
        assertThat(listing.entries()).extracting(Entry::value).containsExactly(CHANGED, CHANGED);
    }
}
