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

import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.tck.ForwardingBackend;
import dev.baton.lock.tck.RealTimeTckEnvironment;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The conformance kit's view of one fresh namespace on a shared etcd cluster: every test gets its own namespace, so
 * one cluster serves the whole kit. Keys are read through a separate admin client; leases are counted among those
 * granted through this environment's clients (etcd's lease list is cluster-wide), asking the server for each whether
 * it is still alive.
 */
final class EtcdTckEnvironment extends RealTimeTckEnvironment {
    private final String[] endpoints;
    private final Client admin;
    private final Duration minimumTtl;
    private final String namespace = "tck-" + UUID.randomUUID() + "/";
    private final Set<Long> leases = ConcurrentHashMap.newKeySet();

    EtcdTckEnvironment(String[] endpoints, Client admin, Duration minimumTtl, Duration sessionTtl, Duration shortTtl) {
        super(sessionTtl, shortTtl);
        this.endpoints = endpoints.clone();
        this.admin = admin;
        this.minimumTtl = minimumTtl;
    }

    String namespace() {
        return namespace;
    }

    @Override
    public CoordinationBackend newBackend() {
        EtcdBackend backend = EtcdBackend.builder()
                .endpoints(endpoints)
                .namespace(namespace)
                .minimumTtl(minimumTtl)
                .requestTimeout(Duration.ofSeconds(2))
                .build();
        return new ForwardingBackend(backend) {
            @Override
            public long grantLease(Duration ttl) {
                long id = super.grantLease(ttl);
                leases.add(id);
                return id;
            }
        };
    }

    @Override
    public List<String> keysOnServer() {
        ByteSequence start = bytes(namespace);
        try {
            List<KeyValue> kvs = admin.getKVClient()
                    .get(
                            start,
                            GetOption.builder()
                                    .withRange(end())
                                    .withKeysOnly(true)
                                    .build())
                    .get(10, TimeUnit.SECONDS)
                    .getKvs();
            List<String> keys = new ArrayList<>();
            for (KeyValue kv : kvs) {
                keys.add(kv.getKey().toString(StandardCharsets.UTF_8).substring(namespace.length()));
            }
            return keys;
        } catch (Exception e) {
            throw new IllegalStateException("could not list the keys of namespace " + namespace, e);
        }
    }

    @Override
    public OptionalInt liveLeases() {
        int live = 0;
        for (long id : leases) {
            try {
                LeaseTimeToLiveResponse ttl = admin.getLeaseClient()
                        .timeToLive(id, LeaseOption.DEFAULT)
                        .get(10, TimeUnit.SECONDS);
                if (ttl.getTTL() > 0) {
                    live++;
                } else {
                    leases.remove(id);
                }
            } catch (Exception e) {
                String message = String.valueOf(e.getMessage());
                if (!message.contains("lease not found")) {
                    throw new IllegalStateException("could not ask etcd about lease " + Long.toHexString(id), e);
                }
                leases.remove(id);
            }
        }
        return OptionalInt.of(live);
    }

    /** Removes what the test left in its namespace, so that the shared cluster stays small. */
    @Override
    public void close() {
        try {
            admin.getKVClient()
                    .delete(
                            bytes(namespace),
                            DeleteOption.builder().withRange(end()).build())
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the cluster may be down after a fault test; nothing to clean then
        }
        super.close();
    }

    private ByteSequence end() {
        byte[] end = namespace.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        return ByteSequence.from(end);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
