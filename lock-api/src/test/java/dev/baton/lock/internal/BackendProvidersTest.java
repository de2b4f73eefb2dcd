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
package dev.baton.lock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.spi.BackendProvider;
import dev.baton.lock.spi.ConnectionUri;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Choosing the provider of a connection URI (issue 13): a missing module and an unknown parameter are named. */
class BackendProvidersTest {
    private static final BackendProvider ETCD = new FakeProvider(Set.of("etcd"), Set.of("password", "password-env"));
    private static final BackendProvider MEMORY = new FakeProvider(Set.of("inmemory"), Set.of());

    private static ConnectionUri uri(String text) {
        return ConnectionUri.parse(text, name -> null);
    }

    @Test
    void provider_of_the_scheme_is_chosen() {
        assertThat(BackendProviders.forUri(uri("etcd://h/app?password-env=V"), List.of(MEMORY, ETCD)))
                .isSameAs(ETCD);
        assertThat(BackendProviders.forUri(uri("INMEMORY:"), List.of(MEMORY, ETCD)))
                .isSameAs(MEMORY);
    }

    @Test
    void missing_baton_module_names_the_dependency_to_add() {
        for (String scheme : List.of("etcd", "zookeeper", "consul", "inmemory")) {
            assertThatThrownBy(() -> BackendProviders.forUri(uri(scheme + "://h/app"), List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no backend on the class path serves '" + scheme + ":'; add the dependency"
                            + " dev.baton:lock-" + scheme);
        }
    }

    @Test
    void unknown_scheme_lists_the_schemes_there_are() {
        assertThatThrownBy(() -> BackendProviders.forUri(uri("redis://h/app"), List.of(ETCD, MEMORY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown URI scheme 'redis:'; Baton's backends serve etcd:, zookeeper:, consul: and"
                        + " inmemory: (modules dev.baton:lock-etcd, lock-zookeeper, lock-consul, lock-inmemory);"
                        + " the class path has providers for etcd:, inmemory:");
    }

    @Test
    void unknown_parameters_are_named_with_those_the_scheme_takes() {
        assertThatThrownBy(() -> BackendProviders.forUri(uri("etcd://h/app?tls=1&dc=x&password=p"), List.of(ETCD)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("etcd URI: unknown parameters 'dc', 'tls'; etcd URIs take password, password-env");
        assertThatThrownBy(() -> BackendProviders.forUri(uri("inmemory:a?x=1"), List.of(MEMORY)))
                .hasMessage("inmemory URI: unknown parameter 'x'; inmemory URIs take no parameters");
    }

    @Test
    void two_providers_of_one_scheme_are_refused() {
        assertThatThrownBy(() -> BackendProviders.forUri(uri("etcd://h/app"), List.of(ETCD, ETCD)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two backend providers serve 'etcd:'");
    }

    @Test
    void coordinator_builder_from_uri_without_the_module_names_the_dependency() {
        // lock-api alone: the real ServiceLoader finds no provider.
        assertThatThrownBy(() -> Coordinator.builder("zookeeper://zk1:2181/app"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no backend on the class path serves 'zookeeper:'; add the dependency"
                        + " dev.baton:lock-zookeeper");
    }

    /** A provider that is only ever chosen, never asked for a builder. */
    private static final class FakeProvider implements BackendProvider {
        private final Set<String> schemes;
        private final Set<String> parameters;

        FakeProvider(Set<String> schemes, Set<String> parameters) {
            this.schemes = schemes;
            this.parameters = parameters;
        }

        @Override
        public Set<String> schemes() {
            return schemes;
        }

        @Override
        public Set<String> parameters() {
            return parameters;
        }

        @Override
        public CoordinatorBuilder coordinatorBuilder(ConnectionUri uri) {
            throw new UnsupportedOperationException("not asked in these tests");
        }
    }
}
