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
package dev.baton.etcd;

import io.etcd.jetcd.Client;
import java.time.Duration;

/**
 * One etcd cluster shared by a conformance run: either the one {@code ETCD_ENDPOINTS} names (comma-separated URLs of
 * an outside cluster, plain http, assumed to run with etcd's default election timeout of 1 s, so a minimum TTL of
 * 2 s), or local processes started by {@link EtcdCluster}.
 */
final class EtcdConformance implements AutoCloseable {
    /** The environment variable that points the kit at an outside cluster. */
    static final String ENDPOINTS_VARIABLE = "ETCD_ENDPOINTS";

    /** etcd's default {@code --election-timeout}, assumed for an outside cluster. */
    static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofSeconds(1);

    final String[] endpoints;
    final Duration minimumTtl;
    final Duration electionTimeout;
    final Client admin;
    private final EtcdCluster cluster;

    private EtcdConformance(String[] endpoints, Duration minimumTtl, Duration electionTimeout, EtcdCluster cluster) {
        this.endpoints = endpoints;
        this.minimumTtl = minimumTtl;
        this.electionTimeout = electionTimeout;
        this.cluster = cluster;
        this.admin = Client.builder().endpoints(endpoints).build();
    }

    /** The outside cluster if {@code ETCD_ENDPOINTS} is set, else {@code size} local members. */
    static EtcdConformance start(int size) {
        String outside = System.getenv(ENDPOINTS_VARIABLE);
        if (outside != null && !outside.isBlank()) {
            return new EtcdConformance(
                    outside.trim().split("\\s*,\\s*"),
                    EtcdBackend.Builder.DEFAULT_MINIMUM_TTL,
                    DEFAULT_ELECTION_TIMEOUT,
                    null);
        }
        EtcdCluster cluster = EtcdCluster.start(size);
        return new EtcdConformance(cluster.endpoints(), EtcdCluster.MINIMUM_TTL, EtcdCluster.ELECTION_TIMEOUT, cluster);
    }

    /** A fresh namespace on the cluster: session TTL 2 s, short TTL the minimum. */
    EtcdTckEnvironment newEnvironment() {
        Duration session = minimumTtl.compareTo(Duration.ofSeconds(2)) > 0 ? minimumTtl : Duration.ofSeconds(2);
        return new EtcdTckEnvironment(endpoints, admin, minimumTtl, session, minimumTtl);
    }

    @Override
    public void close() {
        admin.close();
        if (cluster != null) {
            cluster.close();
        }
    }
}
