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
package dev.baton.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter's contract against a real single-node etcd (lock-etcd's test fixture; missing etcd fails the test when
 * {@code BATON_REQUIRE_BACKENDS} names etcd), with the namespace given as {@code baton.namespace}; and what the
 * properties become on the server.
 */
class BatonStarterEtcdIT extends StarterContract {
    private static EtcdCluster etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected Map<String, Object> connection() {
        URI endpoint = URI.create(etcd.endpoints()[0]);
        return Map.of(
                "baton.uri",
                "etcd://" + endpoint.getHost() + ":" + endpoint.getPort() + "?minimum-ttl=1s&request-timeout=2s",
                "baton.namespace",
                unique);
    }

    /** The lock's key is under {@code baton.namespace}, on a lease of {@code baton.session-ttl}. */
    @Override
    protected void checkServerSide(ConfigurableApplicationContext app) throws Exception {
        Client admin = etcd.adminClient();
        List<KeyValue> kvs = admin.getKVClient()
                .get(
                        ByteSequence.from(unique + "/", StandardCharsets.UTF_8),
                        GetOption.builder().isPrefix(true).build())
                .get(10, TimeUnit.SECONDS)
                .getKvs();
        assertThat(kvs).as("keys under baton.namespace: the lock's").hasSize(1);
        long grantedTtl = admin.getLeaseClient()
                .timeToLive(kvs.get(0).getLease(), LeaseOption.DEFAULT)
                .get(10, TimeUnit.SECONDS)
                .getGrantedTTL();
        assertThat(grantedTtl).as("the session's lease: baton.session-ttl").isEqualTo(5L);
    }
}
