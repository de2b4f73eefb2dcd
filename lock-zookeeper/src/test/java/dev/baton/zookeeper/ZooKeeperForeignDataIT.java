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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.LockException;
import dev.baton.lock.spi.Entry;
import dev.baton.zookeeper.internal.Layout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nodes under the namespace that the backend did not write (another program's, or another version's) fail every call
 * that reads them with a message naming the node and what to change, instead of being taken for absent keys (which
 * would make a held lock look free).
 */
@Timeout(60)
class ZooKeeperForeignDataIT {
    private static final byte[] FOREIGN = "{\"owner\":\"someone else\"}".getBytes(StandardCharsets.UTF_8);

    private final ZooKeeperTckEnvironment env = new ZooKeeperTckEnvironment(ZooKeeperServers.single());
    private final ZooKeeperBackend backend = env.builder().build();
    private final Layout layout = new Layout("/" + env.namespace());

    @AfterEach
    void close() {
        backend.close();
        env.close();
    }

    @Test
    void an_entry_node_with_foreign_data_fails_reads_and_writes_naming_the_node() throws Exception {
        CuratorFramework admin = env.admin();
        String path = layout.entry("locks/orders/00000001");
        admin.create().creatingParentsIfNeeded().forPath(path, FOREIGN);
        long version = admin.checkExists().forPath(path).getMzxid();

        String expected = "the node " + path + " holds data this backend did not write";
        assertThatThrownBy(() -> backend.get("locks/orders/00000001"))
                .isInstanceOf(LockException.class)
                .hasMessageContaining(expected)
                .hasMessageContaining("found 24 bytes (7b226f776e657222...)")
                .hasMessageContaining("give each its own namespace(...)");
        assertThatThrownBy(() -> backend.list("locks/orders"))
                .isInstanceOf(LockException.class)
                .hasMessageContaining(expected);
        assertThatThrownBy(() -> backend.compareAndSet("locks/orders/00000001", version, new byte[0], Entry.NO_LEASE))
                .isInstanceOf(LockException.class)
                .hasMessageContaining(expected);
        assertThatThrownBy(() -> backend.compareAndDelete("locks/orders/00000001", version))
                .isInstanceOf(LockException.class)
                .hasMessageContaining(expected);
        assertThat(admin.getData().forPath(path)).as("left as it was").isEqualTo(FOREIGN);
    }

    @Test
    void a_lease_node_with_foreign_data_fails_its_renewal_and_is_never_reaped() throws Exception {
        CuratorFramework admin = env.admin();
        long leaseId = 0x1234;
        String path = layout.lease(leaseId);
        admin.create().creatingParentsIfNeeded().forPath(path, FOREIGN);
        assertThatThrownBy(() -> backend.keepAlive(leaseId))
                .isInstanceOf(LockException.class)
                .hasMessageContaining("the node " + path + " holds data this backend did not write")
                .hasMessageContaining("not a Baton lease node");
        backend.reapExpiredLeases();
        assertThat(admin.getData().forPath(path)).as("left as it was").isEqualTo(FOREIGN);
        long granted = backend.grantLease(Duration.ofSeconds(1));
        backend.keepAlive(granted);
    }
}
