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

import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.spi.BackendProvider;
import dev.baton.lock.spi.ConnectionUri;
import java.util.Set;

/**
 * Serves {@code inmemory:NAME} connection URIs ({@link dev.baton.lock.Coordinator#builder(String)}): a coordinator on
 * the JVM-wide in-memory cluster of that name ({@link InMemoryBackend.Builder#name(String)}), or on the one named
 * {@value InMemoryBackend#DEFAULT_CLUSTER_NAME} for {@code inmemory:} alone. Takes no parameters.
 *
 * <p>Threadsafe (stateless). Found by {@link java.util.ServiceLoader}; not meant to be called directly.
 */
public final class InMemoryBackendProvider implements BackendProvider {
    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public InMemoryBackendProvider() {}

    @Override
    public Set<String> schemes() {
        return Set.of("inmemory");
    }

    @Override
    public Set<String> parameters() {
        return Set.of();
    }

    @Override
    public CoordinatorBuilder coordinatorBuilder(ConnectionUri uri) {
        if (uri.hierarchical()) {
            throw uri.invalid("write inmemory:NAME for the JVM-wide cluster of that name, or inmemory: alone for"
                    + " the default one, without '//'");
        }
        InMemoryBackend.Builder builder = InMemoryBackend.builder();
        if (!uri.path().isEmpty()) {
            uri.configure("the cluster name", () -> builder.name(uri.path()));
        }
        return builder.coordinatorBuilder();
    }
}
