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
package dev.baton.cli;

import dev.baton.lock.spi.ConnectionUri;
import dev.baton.lock.tck.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How {@code baton check} cuts one coordinator off the cluster without access to the servers: that coordinator
 * connects through loopback TCP proxies, one per host of the URI, and the proxies stop forwarding in both directions
 * while keeping every socket open, as a network partition does before TCP notices. Threadsafe (the proxies are).
 */
final class CutOff implements AutoCloseable {
    /** The port each scheme's backend uses for a host written without one (the README's "Connection URIs"). */
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("etcd", 2379, "zookeeper", 2181, "consul", 8500);

    private final List<TcpProxy> proxies;
    private final String proxiedUri;

    private CutOff(List<TcpProxy> proxies, String proxiedUri) {
        this.proxies = proxies;
        this.proxiedUri = proxiedUri;
    }

    /**
     * Starts a proxy per host of {@code rawUri}.
     *
     * @return the proxies, or empty when the URI names no host to reach over TCP (such as {@code inmemory:})
     */
    static Optional<CutOff> start(String rawUri, ConnectionUri parsed) {
        Integer defaultPort = DEFAULT_PORTS.get(parsed.scheme());
        if (!parsed.hierarchical() || parsed.hosts().isEmpty() || defaultPort == null) {
            return Optional.empty();
        }
        List<TcpProxy> proxies = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (String host : parsed.hosts(defaultPort)) {
            int colon = host.lastIndexOf(':');
            String name = host.substring(0, colon);
            if (name.startsWith("[") && name.endsWith("]")) {
                name = name.substring(1, name.length() - 1);
            }
            TcpProxy proxy = TcpProxy.start(name, Integer.parseInt(host.substring(colon + 1)));
            proxies.add(proxy);
            addresses.add(proxy.address());
        }
        return Optional.of(new CutOff(proxies, withHosts(rawUri, addresses)));
    }

    /** {@code uri} with the hosts of its authority replaced by {@code hosts}; everything else as written. */
    static String withHosts(String uri, List<String> hosts) {
        int start = uri.indexOf("://") + 3;
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
            end++;
        }
        int at = uri.lastIndexOf('@', end - 1);
        int hostsStart = at >= start ? at + 1 : start;
        return uri.substring(0, hostsStart) + String.join(",", hosts) + uri.substring(end);
    }

    /** The URI that reaches the cluster through the proxies. */
    String proxiedUri() {
        return proxiedUri;
    }

    /** Cuts the coordinator off: nothing flows either way any more. */
    void cut() {
        proxies.forEach(TcpProxy::blackhole);
    }

    /** Lets traffic through again (so that the coordinator can close cleanly). */
    void heal() {
        proxies.forEach(TcpProxy::heal);
    }

    @Override
    public void close() {
        proxies.forEach(TcpProxy::close);
    }
}
