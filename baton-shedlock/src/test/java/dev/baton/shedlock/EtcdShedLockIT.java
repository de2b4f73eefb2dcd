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
package dev.baton.shedlock;

import dev.baton.etcd.EtcdCluster;
import dev.baton.lock.Coordinator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * ShedLock's behaviour over a single etcd member, started by lock-etcd's own fixture (which fails rather than skips
 * when {@code BATON_REQUIRE_BACKENDS} names etcd and no etcd binary is found).
 */
class EtcdShedLockIT extends ShedLockBehaviour {
    /** etcd looks for expired leases every 500 ms, and counts TTLs in whole seconds. */
    EtcdShedLockIT() {
        super(Duration.ofSeconds(1), Duration.ofMillis(1500));
    }

    private static EtcdCluster etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    Coordinator newCoordinator() {
        return etcd.builder("shedlock")
                .coordinatorBuilder()
                .sessionTtl(Duration.ofSeconds(2))
                .build();
    }
}
