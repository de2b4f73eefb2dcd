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
package dev.baton.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.Coordinator;
import dev.baton.lock.LeaseOptions;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.tck.ForwardingBackend;
import dev.baton.lock.tck.TckTimeout;
import dev.baton.lock.tck.TckTimeoutExtension;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 3, test d: on a fresh etcd node, every key a coordinator writes lives under its namespace prefix (checked on
 * the whole key space while locks, a TTL lock, a lease, a waiter and an election term are held), keys of a sibling
 * prefix ({@code ns} vs {@code ns-other}) are neither listed nor touched, and after {@code close()} nothing of the
 * coordinator remains: no key in the whole key space but the sibling's, and none of the leases it was granted.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 90)
class EtcdNamespaceIT {
    @Test
    void every_key_lives_under_the_namespace_and_nothing_remains_after_close() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(1);
                Client admin = cluster.adminClient()) {
            ByteSequence sibling = bytes("myapp/locks-other/keep");
            admin.getKVClient().put(sibling, bytes("not baton's")).get(10, TimeUnit.SECONDS);
            Set<Long> leases = ConcurrentHashMap.newKeySet();
            EtcdBackend backend = cluster.builder("myapp/locks").build();
            Coordinator coordinator = Coordinator.builder(new ForwardingBackend(backend) {
                        @Override
                        public long grantLease(Duration ttl) {
                            long id = super.grantLease(ttl);
                            leases.add(id);
                            return id;
                        }
                    })
                    .sessionTtl(Duration.ofSeconds(2))
                    .closeBackendOnClose(true)
                    .build();
            Coordinator other = cluster.builder("myapp/locks")
                    .coordinatorBuilder()
                    .sessionTtl(Duration.ofSeconds(2))
                    .build();
            LockHandle mutex = coordinator.lock("orders/42").acquire(Duration.ofSeconds(10));
            LockHandle ttlLock = coordinator
                    .lock("reports/nightly", LockOptions.ttl(Duration.ofSeconds(30)))
                    .acquire(Duration.ofSeconds(10));
            LockHandle lease = coordinator
                    .lease(
                            "jobs/compaction",
                            LeaseOptions.builder(Duration.ofSeconds(3))
                                    .autoRenew(true)
                                    .build())
                    .acquire(Duration.ofSeconds(10));
            coordinator.election("billing/leader", "a").campaign(Duration.ofSeconds(10));
            LockHandle othersLock = other.lock("contended").acquire(Duration.ofSeconds(10));
            CompletableFuture<LockHandle> waiting =
                    coordinator.lock("contended").acquireAsync();
            Awaitility.await("six keys of the coordinators")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> cluster.keys("myapp/locks/").size() == 6);

            List<String> everything = allKeys(admin);
            assertThat(everything)
                    .as("the whole key space while locks, a lease, a term and a waiter are held")
                    .hasSize(7)
                    .allMatch(k -> k.startsWith("myapp/locks/") || k.equals("myapp/locks-other/keep"));
            assertThat(backend.list("locks").entries())
                    .as("a listing stays inside the namespace")
                    .allMatch(e -> !e.key().contains("other"));
            assertThat(mutex.isValid() && ttlLock.isValid() && lease.isValid()).isTrue();
            Figures.print(
                    "namespace",
                    "while held: %d keys under 'myapp/locks/', 0 elsewhere but the sibling 'myapp/locks-other/keep'",
                    everything.size() - 1);

            coordinator.close();
            assertThat(waiting).isCompletedExceptionally();
            othersLock.close();
            other.close();
            List<String> after = allKeys(admin);
            assertThat(after).as("the whole key space after close()").containsExactly("myapp/locks-other/keep");
            int live = 0;
            for (long id : leases) {
                if (admin.getLeaseClient()
                                .timeToLive(id, LeaseOption.DEFAULT)
                                .get(10, TimeUnit.SECONDS)
                                .getTTL()
                        > 0) {
                    live++;
                }
            }
            assertThat(live).as("leases of the closed coordinator still alive").isZero();
            Figures.print(
                    "namespace",
                    "after close(): 0 keys left under the namespace, %d of %d leases granted still alive, sibling"
                            + " key untouched",
                    live,
                    leases.size());
        }
    }

    private static List<String> allKeys(Client admin) throws Exception {
        return admin
                .getKVClient()
                .get(
                        ByteSequence.from(new byte[] {0}),
                        GetOption.builder()
                                .withRange(ByteSequence.from(new byte[] {0}))
                                .withKeysOnly(true)
                                .build())
                .get(10, TimeUnit.SECONDS)
                .getKvs()
                .stream()
                .map(kv -> kv.getKey().toString(StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
