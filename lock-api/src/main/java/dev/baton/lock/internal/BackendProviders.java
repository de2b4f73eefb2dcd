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

import dev.baton.lock.spi.BackendProvider;
import dev.baton.lock.spi.ConnectionUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Finds the {@link BackendProvider} of a connection URI's scheme among those on the class path, and refuses a URI
 * whose scheme no provider serves or whose parameters its provider does not take. Threadsafe (stateless).
 */
public final class BackendProviders {
    /** Baton's own schemes and the module that serves each, for the message when that module is missing. */
    private static final Map<String, String> BATON_MODULES = Map.of(
            "etcd", "lock-etcd",
            "zookeeper", "lock-zookeeper",
            "consul", "lock-consul",
            "inmemory", "lock-inmemory");

    private BackendProviders() {}

    /**
     * Returns the providers on the class path (the thread's context class loader) and the module path.
     *
     * @return the providers
     * @throws IllegalStateException if a provider named in a {@code META-INF/services} file cannot be loaded
     */
    public static List<BackendProvider> installed() {
        List<BackendProvider> providers = new ArrayList<>();
        try {
            ServiceLoader.load(BackendProvider.class).forEach(providers::add);
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException(
                    "a backend module on the class path could not be loaded: " + e.getMessage(), e);
        }
        return providers;
    }

    /**
     * Returns the one provider among {@code providers} that serves the URI's scheme, having checked that the URI has
     * only parameters it takes.
     *
     * @param uri the URI
     * @param providers the providers to choose from
     * @return the provider
     * @throws IllegalArgumentException if no provider serves the scheme (naming the dependency to add for one of
     *     Baton's schemes) or the URI has a parameter the provider does not take (naming it and those it takes)
     * @throws IllegalStateException if two providers serve the scheme
     */
    public static BackendProvider forUri(ConnectionUri uri, Iterable<BackendProvider> providers) {
        String scheme = uri.scheme();
        List<BackendProvider> serving = new ArrayList<>();
        Set<String> available = new TreeSet<>();
        for (BackendProvider provider : providers) {
            available.addAll(provider.schemes());
            if (provider.schemes().contains(scheme)) {
                serving.add(provider);
            }
        }
        if (serving.size() > 1) {
            throw new IllegalStateException("two backend providers serve '" + scheme + ":': "
                    + serving.stream().map(p -> p.getClass().getName()).collect(Collectors.toList())
                    + "; keep one of their modules on the class path");
        }
        if (serving.isEmpty()) {
            String module = BATON_MODULES.get(scheme);
            if (module != null) {
                throw new IllegalArgumentException("no backend on the class path serves '" + scheme + ":'; add the"
                        + " dependency dev.baton:" + module);
            }
            throw new IllegalArgumentException("unknown URI scheme '" + scheme + ":'; Baton's backends serve "
                    + "etcd:, zookeeper:, consul: and inmemory: (modules dev.baton:lock-etcd, lock-zookeeper,"
                    + " lock-consul, lock-inmemory); the class path has providers for "
                    + (available.isEmpty() ? "none" : String.join(":, ", available) + ":"));
        }
        BackendProvider provider = serving.get(0);
        Set<String> unknown = new TreeSet<>(uri.parameterNames());
        unknown.removeAll(provider.parameters());
        if (!unknown.isEmpty()) {
            throw uri.invalid((unknown.size() == 1 ? "unknown parameter " : "unknown parameters ")
                    + unknown.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", ")) + "; " + scheme
                    + " URIs take "
                    + (provider.parameters().isEmpty()
                            ? "no parameters"
                            : String.join(", ", new TreeSet<>(provider.parameters()))));
        }
        return provider;
    }
}
