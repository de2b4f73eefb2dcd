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

import dev.baton.inmemory.InMemoryClusterTest.Recorder;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.WatchEvent;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class InMemoryBackendTest {
    private static final Duration TTL = Duration.ofSeconds(10);

    private final ManualTimeSource time = new ManualTimeSource();
    private final InMemoryCluster cluster = new InMemoryCluster(time);
    private final InMemoryBackend backend =
            InMemoryBackend.builder().cluster(cluster).build();

    @AfterEach
    void closeCluster() {
        backend.close();
        cluster.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void ttl_limits_are_one_millisecond_to_one_day_and_violations_name_the_limit() {
        assertThat(backend.minimumTtl()).isEqualTo(Duration.ofMillis(1));
        assertThat(backend.maximumTtl()).isEqualTo(Duration.ofDays(1));

        assertThatThrownBy(() -> backend.grantLease(Duration.ofNanos(999_999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minimum TTL of PT0.001S");
        assertThatThrownBy(() -> backend.grantLease(Duration.ofDays(1).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximum TTL of PT24H");
        assertThatThrownBy(() -> backend.grantLease(null)).isInstanceOf(NullPointerException.class);
        assertThat(backend.grantLease(Duration.ofMillis(1))).isPositive();
        assertThat(backend.grantLease(Duration.ofDays(1))).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a/", "a b", "a:b", "ключ", "a\nb"})
    void keys_outside_the_spi_alphabet_are_rejected(String key) {
        assertThatThrownBy(() -> backend.get(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> backend.list(key)).isInstanceOf(IllegalArgumentException.class);
        assertThat(cluster.revision()).isZero();
    }

    @Test
    void keys_inside_the_spi_alphabet_are_accepted() {
        String key = "Az09._~%-/x";
        assertThat(backend.createIfAbsent(key, bytes("v"), Entry.NO_LEASE)).isPresent();
        assertThat(backend.get(key)).isPresent();
    }

    @Test
    void disconnect_makes_every_call_unavailable_and_resets_watches_while_the_server_state_stays() {
        long lease = backend.grantLease(TTL);
        backend.createIfAbsent("k", bytes("v"), lease);
        Recorder recorder = new Recorder();
        backend.watch("k", false, 0, recorder);
        assertThat(recorder.events).hasSize(1);

        backend.disconnect();

        assertThat(backend.isDisconnected()).isTrue();
        assertThat(recorder.resets).hasSize(1).allMatch(r -> r.contains("disconnected"));
        assertThatThrownBy(() -> backend.keepAlive(lease))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("disconnected")
                .hasMessageContaining("reconnect()");
        assertThatThrownBy(() -> backend.get("k")).isInstanceOf(BackendUnavailableException.class);
        assertThatThrownBy(() -> backend.grantLease(TTL)).isInstanceOf(BackendUnavailableException.class);
        assertThatThrownBy(() -> backend.watch("k", false, 0, new Recorder()))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(cluster.keys()).containsExactly("k");

        InMemoryBackend other = InMemoryBackend.builder().cluster(cluster).build();
        other.compareAndSet("k", other.get("k").orElseThrow().version(), bytes("v2"), lease);
        other.close();
        assertThat(recorder.events).hasSize(1);
        assertThat(recorder.resets).hasSize(1);
    }

    @Test
    void a_disconnected_clients_leases_expire_on_the_server_unless_it_reconnects_in_time() {
        long kept = backend.grantLease(TTL);
        long lost = backend.grantLease(TTL);
        backend.createIfAbsent("kept", bytes("v"), kept);
        backend.createIfAbsent("lost", bytes("v"), lost);

        backend.disconnect();
        time.advance(Duration.ofSeconds(5));
        backend.reconnect();
        backend.keepAlive(kept);
        backend.disconnect();
        time.advance(Duration.ofSeconds(5));

        assertThat(cluster.keys()).containsExactly("kept");
        backend.reconnect();
        assertThat(backend.isDisconnected()).isFalse();
        assertThat(backend.get("kept")).isPresent();
        Recorder recorder = new Recorder();
        backend.watch("kept", false, cluster.revision(), recorder);
        time.advance(Duration.ofSeconds(5));
        assertThat(recorder.events).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.DELETE);
    }

    @Test
    void close_is_idempotent_stops_watches_silently_and_leaves_server_state() {
        long lease = backend.grantLease(TTL);
        backend.createIfAbsent("k/1", bytes("v"), lease);
        Recorder recorder = new Recorder();
        backend.watch("k", true, 0, recorder);

        backend.close();
        backend.close();

        assertThatThrownBy(() -> backend.get("k/1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("backend closed");
        assertThatThrownBy(() -> backend.keepAlive(lease)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(backend::disconnect).isInstanceOf(IllegalStateException.class);
        assertThat(backend.describe()).startsWith("in-memory cluster@");
        InMemoryBackend other = InMemoryBackend.builder().cluster(cluster).build();
        other.createIfAbsent("k/2", bytes("v"), lease);
        other.close();
        assertThat(recorder.keys()).containsExactly("k/1");
        assertThat(recorder.resets).isEmpty();
        assertThat(cluster.keys()).containsExactly("k/1", "k/2");
        assertThat(cluster.liveLeaseCount()).isEqualTo(1);
    }

    @Test
    void clients_of_one_cluster_share_its_state_and_describe_themselves() {
        InMemoryBackend other = InMemoryBackend.builder().cluster(cluster).build();
        long lease = backend.grantLease(TTL);
        Entry created = backend.createIfAbsent("k", bytes("v"), lease).orElseThrow();

        assertThat(other.get("k")).contains(created);
        other.keepAlive(lease);
        assertThat(other.describe()).isNotEqualTo(backend.describe()).contains("in-memory cluster@");
        assertThat(other.cluster()).isSameAs(cluster);
        other.close();
    }

    @Test
    void coordinator_builder_is_refused_by_a_closed_cluster() {
        assertThat(InMemoryBackend.builder().cluster(cluster).coordinatorBuilder())
                .isNotNull();
        cluster.close();
        assertThatThrownBy(() -> InMemoryBackend.builder()
                        .cluster(cluster)
                        .coordinatorBuilder()
                        .build())
                .isInstanceOf(IllegalStateException.class);
    }
}
