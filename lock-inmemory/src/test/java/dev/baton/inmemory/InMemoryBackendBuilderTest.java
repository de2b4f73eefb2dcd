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

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.spi.Entry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link InMemoryBackend#builder()}: one entry shape, a cluster of your own or a JVM-wide named one (issue 12). */
@Timeout(30)
class InMemoryBackendBuilderTest {
    private static final byte[] VALUE = "v".getBytes(UTF_8);

    @Test
    void coordinators_built_with_the_defaults_coordinate_with_each_other() throws InterruptedException {
        try (Coordinator a = InMemoryBackend.builder().coordinatorBuilder().build();
                Coordinator b = InMemoryBackend.builder().coordinatorBuilder().build();
                LockHandle held = a.lock("builder-test/defaults").tryAcquire().orElseThrow()) {
            assertThat(b.lock("builder-test/defaults").tryAcquire()).isEmpty();
            assertThat(held.isValid()).isTrue();
        }
    }

    @Test
    void clusters_of_different_names_do_not_see_each_other() throws InterruptedException {
        try (Coordinator a = InMemoryBackend.builder()
                        .name("builder-test-a")
                        .coordinatorBuilder()
                        .build();
                Coordinator b = InMemoryBackend.builder()
                        .name("builder-test-b")
                        .coordinatorBuilder()
                        .build();
                LockHandle first = a.lock("shared-name").tryAcquire().orElseThrow();
                LockHandle second = b.lock("shared-name").tryAcquire().orElseThrow()) {
            assertThat(first.isValid()).isTrue();
            assertThat(second.isValid()).isTrue();
        }
    }

    @Test
    void a_named_cluster_lives_while_any_client_is_open_and_closes_with_the_last() {
        String name = "builder-test-lifetime";
        InMemoryBackend first = InMemoryBackend.builder().name(name).build();
        InMemoryBackend second = InMemoryBackend.builder().name(name).build();
        InMemoryCluster cluster = first.cluster();
        assertThat(second.cluster()).isSameAs(cluster);
        assertThat(first.describe()).contains("in-memory cluster '" + name + "'@");
        first.createIfAbsent("forever", VALUE, Entry.NO_LEASE);

        first.close();
        first.close(); // idempotent: must not count as a second client leaving
        assertThat(second.get("forever")).isPresent();

        second.close();
        assertThatThrownBy(() -> cluster.deleteKey("forever"))
                .as("the last client's close closes the named cluster")
                .isInstanceOf(BackendUnavailableException.class);
        try (InMemoryBackend next = InMemoryBackend.builder().name(name).build()) {
            assertThat(next.cluster()).isNotSameAs(cluster);
            assertThat(next.get("forever")).as("a new cluster starts empty").isEmpty();
        }
    }

    @Test
    void a_coordinator_keeps_its_named_cluster_open_until_it_is_closed() throws InterruptedException {
        String name = "builder-test-coordinator";
        InMemoryBackend observer = InMemoryBackend.builder().name(name).build();
        InMemoryCluster cluster = observer.cluster();
        Coordinator coordinator =
                InMemoryBackend.builder().name(name).coordinatorBuilder().build();
        observer.close();
        try (LockHandle held = coordinator.lock("job").tryAcquire().orElseThrow()) {
            assertThat(held.isValid()).isTrue();
            assertThat(cluster.keys()).isNotEmpty();
        }
        coordinator.close();
        assertThatThrownBy(() -> cluster.deleteKey("any")).isInstanceOf(BackendUnavailableException.class);
        assertThat(cluster.keys())
                .as("the coordinator released everything before the cluster closed")
                .isEmpty();
    }

    @Test
    void a_named_cluster_closed_by_hand_is_replaced_for_the_next_client() {
        String name = "builder-test-closed-by-hand";
        InMemoryBackend first = InMemoryBackend.builder().name(name).build();
        first.cluster().close();
        try (InMemoryBackend next = InMemoryBackend.builder().name(name).build()) {
            assertThat(next.cluster()).isNotSameAs(first.cluster());
            first.close(); // the old client leaving must not close the new cluster
            assertThat(next.createIfAbsent("k", VALUE, Entry.NO_LEASE)).isPresent();
        }
    }

    @Test
    void clients_built_and_closed_from_many_threads_always_get_an_open_cluster() throws Exception {
        String name = "builder-test-threads";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        try (InMemoryBackend client =
                                InMemoryBackend.builder().name(name).build()) {
                            // Throws BackendUnavailableException if it was handed a cluster closed under it.
                            client.createIfAbsent("k/" + thread + "-" + i, VALUE, Entry.NO_LEASE);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_coordinator_on_a_cluster_with_a_given_time_source_runs_on_it() throws InterruptedException {
        ManualTimeSource time = new ManualTimeSource();
        try (InMemoryCluster cluster = new InMemoryCluster(time);
                Coordinator coordinator = InMemoryBackend.builder()
                        .cluster(cluster)
                        .coordinatorBuilder()
                        .build()) {
            LockHandle handle = coordinator
                    .lock("ttl", LockOptions.ttl(Duration.ofSeconds(1)))
                    .tryAcquire()
                    .orElseThrow();
            time.advance(Duration.ofSeconds(2));
            assertThat(handle.isValid())
                    .as("the handle's deadline is on the manual clock")
                    .isFalse();
            assertThat(cluster.keys()).isEmpty();
        }
    }

    @Test
    void a_cluster_and_a_name_together_are_refused_with_a_message_naming_both() {
        try (InMemoryCluster cluster = new InMemoryCluster()) {
            InMemoryBackend.Builder builder =
                    InMemoryBackend.builder().cluster(cluster).name("x");
            assertThatThrownBy(builder::build)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cluster(...)")
                    .hasMessageContaining("name(\"x\")");
            assertThatThrownBy(builder::coordinatorBuilder).isInstanceOf(IllegalStateException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\nb", "tab\there"})
    void bad_names_are_refused_with_the_rule(String name) {
        assertThatThrownBy(() -> InMemoryBackend.builder().name(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 128 characters without control characters");
    }

    @Test
    void overlong_names_and_nulls_are_refused() {
        assertThatThrownBy(() -> InMemoryBackend.builder().name("n".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InMemoryBackend.builder().name(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> InMemoryBackend.builder().cluster(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void the_builder_reads_its_settings_when_asked_for_a_coordinator_builder() throws InterruptedException {
        InMemoryBackend.Builder builder = InMemoryBackend.builder().name("builder-test-snapshot-1");
        var coordinatorBuilder = builder.coordinatorBuilder();
        builder.name("builder-test-snapshot-2");
        try (InMemoryBackend observer = InMemoryBackend.builder()
                        .name("builder-test-snapshot-1")
                        .build();
                Coordinator coordinator = coordinatorBuilder.build();
                LockHandle held = coordinator.lock("job").tryAcquire().orElseThrow()) {
            assertThat(held.isValid()).isTrue();
            assertThat(observer.cluster().keys()).isNotEmpty();
        }
    }
}
