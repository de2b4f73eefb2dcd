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

import dev.baton.inmemory.InMemoryBackend;
import dev.baton.inmemory.InMemoryCluster;
import dev.baton.lock.Coordinator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** ShedLock's behaviour over the in-memory backend, on real time. */
class InMemoryShedLockTest extends ShedLockBehaviour {
    InMemoryShedLockTest() {
        super(Duration.ofSeconds(1), Duration.ofMillis(500));
    }

    private final InMemoryCluster cluster = new InMemoryCluster();

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Override
    Coordinator newCoordinator() {
        return InMemoryBackend.builder()
                .cluster(cluster)
                .coordinatorBuilder()
                .sessionTtl(Duration.ofSeconds(2))
                .build();
    }
}
