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
package dev.baton.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code inmemory:} connection URIs (issue 13): found through ServiceLoader, named clusters, mistakes named. */
@Timeout(30)
class InMemoryUriTest {
    @Test
    void uri_of_a_name_connects_to_that_named_cluster_and_the_coordinator_owns_its_backend() throws Exception {
        try (Coordinator a = Coordinator.builder("inmemory:uri-orders").build();
                Coordinator b = Coordinator.builder("inmemory:uri-orders").build();
                Coordinator elsewhere =
                        Coordinator.builder("inmemory:uri-other").build();
                LockHandle held = a.lock("job").acquire(Duration.ofSeconds(5))) {
            assertThat(held.isValid()).isTrue();
            assertThat(b.lock("job").tryAcquire()).as("same name, same cluster").isEmpty();
            assertThat(elsewhere.lock("job").tryAcquire())
                    .as("another name, another cluster")
                    .hasValueSatisfying(LockHandle::close);
            assertThat(a.toString()).contains("in-memory cluster 'uri-orders'");
        }
        try (Coordinator again = Coordinator.builder("inmemory:uri-orders").build()) {
            assertThat(again.lock("job").tryAcquire())
                    .as("the cluster closed with its last coordinator, so its backend was owned and closed")
                    .hasValueSatisfying(LockHandle::close);
        }
    }

    @Test
    void bare_scheme_is_the_default_cluster_and_coordinator_settings_stay_settable() throws Exception {
        try (Coordinator fromUri = Coordinator.builder("inmemory:")
                        .sessionTtl(Duration.ofSeconds(3))
                        .build();
                Coordinator fromBuilder =
                        InMemoryBackend.builder().coordinatorBuilder().build();
                LockHandle held = fromUri.lock("shared").acquire(Duration.ofSeconds(5))) {
            assertThat(held.isValid()).isTrue();
            assertThat(fromBuilder.lock("shared").tryAcquire())
                    .as("inmemory: is the cluster named " + InMemoryBackend.DEFAULT_CLUSTER_NAME)
                    .isEmpty();
        }
    }

    @Test
    void mistakes_name_the_part_to_fix() {
        assertThatThrownBy(() -> Coordinator.builder("inmemory://x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inmemory URI: write inmemory:NAME for the JVM-wide cluster of that name, or inmemory:"
                        + " alone for the default one, without '//'");
        assertThatThrownBy(() -> Coordinator.builder("inmemory:a?history=5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inmemory URI: unknown parameter 'history'; inmemory URIs take no parameters");
        assertThatThrownBy(() -> Coordinator.builder("inmemory:a%01b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("inmemory URI: the cluster name: name must be 1 to 128 characters without"
                        + " control characters");
        assertThatThrownBy(() -> Coordinator.builder("etcd://h:2379/app"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no backend on the class path serves 'etcd:'; add the dependency dev.baton:lock-etcd");
    }
}
