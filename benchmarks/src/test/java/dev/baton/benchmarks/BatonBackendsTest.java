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
package dev.baton.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.etcd.EtcdBackend;
import io.etcd.jetcd.Client;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The etcd backend built on a jetcd client (scenario f's) has the settings of the one {@link BatonBackends} opens on
 * endpoints. Neither makes a request when built, so no server is needed: the address is a closed port.
 */
class BatonBackendsTest {
    private static final String NOWHERE = "127.0.0.1:1";

    @Test
    void an_etcd_backend_on_a_client_has_the_settings_of_one_on_endpoints() {
        EtcdBackend onEndpoints = (EtcdBackend) new BatonBackends("etcd", "bench-test", Duration.ofSeconds(3))
                .open(NOWHERE)
                .backend();
        try (Client client = Client.builder().endpoints("http://" + NOWHERE).build();
                EtcdBackend onClient =
                        BatonBackends.etcdBuilder("bench-test").client(client).build()) {
            assertThat(onClient.namespace()).isEqualTo(onEndpoints.namespace()).isEqualTo("bench-test/");
            assertThat(onClient.minimumTtl())
                    .isEqualTo(onEndpoints.minimumTtl())
                    .isEqualTo(Duration.ofSeconds(1));
            assertThat(onClient.requestTimeout())
                    .isEqualTo(onEndpoints.requestTimeout())
                    .isEqualTo(Duration.ofSeconds(2));
        } finally {
            onEndpoints.close();
        }
    }
}
