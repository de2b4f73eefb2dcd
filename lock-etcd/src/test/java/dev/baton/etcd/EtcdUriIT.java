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
import dev.baton.lock.LockHandle;
import dev.baton.lock.tck.TckTimeout;
import dev.baton.lock.tck.TckTimeoutExtension;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13: an {@code etcd://} URI gives, through ServiceLoader, a coordinator on a real single-node etcd whose keys
 * live under the URI's namespace, and which owns its backend: nothing of it remains after close.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 60)
class EtcdUriIT {
    @Test
    void uri_connects_takes_a_lock_under_its_namespace_and_closes() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(1)) {
            URI endpoint = URI.create(cluster.endpoints()[0]);
            String uri = "etcd://" + endpoint.getHost() + ":" + endpoint.getPort()
                    + "/uri-app?minimum-ttl=1s&request-timeout=2s";
            try (Coordinator coordinator = Coordinator.builder(uri)
                            .sessionTtl(Duration.ofSeconds(2))
                            .build();
                    LockHandle held = coordinator.lock("job").acquire(Duration.ofSeconds(10))) {
                assertThat(held.isValid()).isTrue();
                assertThat(cluster.keys("uri-app/"))
                        .as("the lock's key, under the URI's namespace")
                        .isNotEmpty();
                assertThat(cluster.keys("baton/"))
                        .as("nothing under the default namespace")
                        .isEmpty();
            }
            assertThat(cluster.keys("uri-app/")).as("keys after close").isEmpty();
        }
    }
}
