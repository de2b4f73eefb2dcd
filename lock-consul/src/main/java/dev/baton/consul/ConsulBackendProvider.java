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
package dev.baton.consul;

import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.spi.BackendProvider;
import dev.baton.lock.spi.ConnectionUri;
import java.util.Set;

/**
 * Serves {@code consul://host[:port][/keyprefix][?parameters]} connection URIs ({@link
 * dev.baton.lock.Coordinator#builder(String)}) through {@link ConsulBackend.Builder}: the one host is the agent's
 * address (port 8500 by default; {@code https=true} for HTTPS), the path the key prefix; {@code dc} the datacenter,
 * {@code token}/{@code token-env} the ACL token, {@code lock-delay} and {@code request-timeout} the builder's settings
 * of those names.
 *
 * <p>Threadsafe (stateless). Found by {@link java.util.ServiceLoader}; not meant to be called directly.
 */
public final class ConsulBackendProvider implements BackendProvider {
    private static final int DEFAULT_PORT = 8500;

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public ConsulBackendProvider() {}

    @Override
    public Set<String> schemes() {
        return Set.of("consul");
    }

    @Override
    public Set<String> parameters() {
        return Set.of("https", "dc", "token", "token-env", "lock-delay", "request-timeout");
    }

    @Override
    public CoordinatorBuilder coordinatorBuilder(ConnectionUri uri) {
        if (uri.hosts().size() != 1) {
            throw uri.invalid("name exactly one host, the local Consul agent, as in consul://agent:8500/prefix; got "
                    + uri.hosts().size());
        }
        if (uri.user().isPresent()) {
            throw uri.invalid(
                    "Consul has no user; give the ACL token as token-env=VARIABLE or token=..., without" + " 'user@'");
        }
        ConsulBackend.Builder builder = ConsulBackend.builder();
        String protocol = uri.flag("https").orElse(false) ? "https://" : "http://";
        uri.configure(
                "the host",
                () -> builder.agentAddress(protocol + uri.hosts(DEFAULT_PORT).get(0)));
        uri.configurePath("the key prefix", builder::keyPrefix);
        uri.parameter("dc").ifPresent(dc -> uri.configure("parameter 'dc'", () -> builder.datacenter(dc)));
        uri.secret("token").ifPresent(builder::aclToken);
        uri.configureDuration("lock-delay", builder::lockDelay);
        uri.configureDuration("request-timeout", builder::requestTimeout);
        return builder.coordinatorBuilder();
    }
}
