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

import dev.baton.etcd.EtcdBackend;
import dev.baton.inmemory.InMemoryBackend;
import dev.baton.inmemory.InMemoryCluster;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.zookeeper.ZooKeeperBackend;
import java.time.Duration;

/**
 * Opens Baton's backends on the benchmark servers. One instance is one namespace (a fresh one per trial, so trials
 * never see each other's keys); every backend it opens is a separate client of the server.
 */
final class BatonBackends implements AutoCloseable {
    /** etcd's smallest lease TTL with the fixture's 500 ms election timeout. */
    private static final Duration ETCD_MINIMUM_TTL = Duration.ofSeconds(1);

    /** The connection and request timeouts of every backend opened on a server. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final String kind;
    private final String namespace;
    private final Duration sessionTtl;
    private final InMemoryCluster cluster;

    BatonBackends(String kind, String namespace, Duration sessionTtl) {
        this.kind = kind;
        this.namespace = namespace;
        this.sessionTtl = sessionTtl;
        this.cluster = kind.equals("inmemory") ? new InMemoryCluster() : null;
        if (!kind.equals("inmemory") && !kind.equals("etcd") && !kind.equals("zookeeper")) {
            throw new IllegalArgumentException("unknown backend '" + kind + "': use inmemory, etcd or zookeeper");
        }
    }

    /** The server's address (host:port), for putting a proxy in front of it; null for the in-memory backend. */
    String serverAddress() {
        switch (kind) {
            case "etcd":
                return Servers.etcd().replaceFirst("^https?://", "");
            case "zookeeper":
                return Servers.zookeeper().split(",")[0];
            default:
                return null;
        }
    }

    /** A new client on the server, counting its requests. */
    CountingBackend open() {
        return open(serverAddress());
    }

    /** A new client on the server, connecting to {@code address} (host:port, such as a proxy's) instead. */
    CountingBackend open(String address) {
        // etcd creates and lists in one Txn; the other backends make the two calls.
        return new CountingBackend(connect(address), kind.equals("etcd"));
    }

    private CoordinationBackend connect(String address) {
        switch (kind) {
            case "etcd":
                return etcdBuilder(namespace).endpoints("http://" + address).build();
            case "zookeeper":
                return zooKeeperBuilder(namespace, sessionTtl)
                        .connectString(address)
                        .build();
            default:
                return InMemoryBackend.builder().cluster(cluster).build();
        }
    }

    /**
     * An etcd backend builder with the benchmarks' settings (namespace, minimum TTL, request timeout), to which the
     * caller adds either endpoints or a jetcd client. A new builder each call; a builder is not threadsafe.
     *
     * @param namespace the key prefix
     * @return the builder
     * @throws IllegalArgumentException if {@code namespace} is not a valid etcd namespace
     */
    static EtcdBackend.Builder etcdBuilder(String namespace) {
        return EtcdBackend.builder()
                .namespace(namespace)
                .minimumTtl(ETCD_MINIMUM_TTL)
                .requestTimeout(TIMEOUT);
    }

    /**
     * A ZooKeeper backend builder with the benchmarks' settings (namespace, session timeout, connection and request
     * timeouts, reap interval), to which the caller adds either a connect string or a Curator client. A new builder
     * each call; a builder is not threadsafe.
     *
     * @param namespace the root path's name
     * @param sessionTtl the ZooKeeper session timeout; the reap interval is an eighth of it
     * @return the builder
     * @throws IllegalArgumentException if {@code namespace} or {@code sessionTtl} is refused by the builder
     */
    static ZooKeeperBackend.Builder zooKeeperBuilder(String namespace, Duration sessionTtl) {
        return ZooKeeperBackend.builder()
                .namespace(namespace)
                .sessionTimeout(sessionTtl)
                .connectionTimeout(TIMEOUT)
                .requestTimeout(TIMEOUT)
                .reapInterval(sessionTtl.dividedBy(8));
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
