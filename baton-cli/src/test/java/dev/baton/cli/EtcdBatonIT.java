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

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.BatonProcesses.Started;
import dev.baton.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code baton} command against a real etcd (one local member, from lock-etcd's fixture), and what only needs one
 * backend: {@code baton check} on a healthy cluster, and {@code baton leader} of an election without a leader.
 */
class EtcdBatonIT extends BatonCommandContract {
    private static EtcdCluster etcd;
    private static URI endpoint;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(1);
        endpoint = URI.create(etcd.endpoints()[0]);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    String uri() {
        return "etcd://" + host() + ":" + port() + "/" + namespace();
    }

    private String namespace() {
        return "cli-" + Integer.toHexString(dir.hashCode());
    }

    @Override
    String host() {
        return endpoint.getHost();
    }

    @Override
    int port() {
        return endpoint.getPort();
    }

    @Test
    void check_passes_on_a_healthy_cluster_and_leaves_nothing_behind() throws Exception {
        Started check = baton.run("check", uri(), "check", "--ttl", TTL, "--duration", "8s", "--clients", "2");

        assertThat(check.process.exitValue())
                .as("check's output:%n%s%nstderr:%n%s", check.out(), check.err())
                .isZero();
        assertThat(check.out())
                .contains("overlaps:                0")
                .contains("token order violations:  0")
                .contains("told of its loss")
                .contains("(before the next holder)")
                .contains("next holder acquired")
                .contains("hand-off latency:        p50")
                .endsWith("result:                  OK");
        try (Client admin = etcd.adminClient()) {
            ByteSequence prefix = ByteSequence.from(namespace() + "/", StandardCharsets.UTF_8);
            assertThat(admin.getKVClient()
                            .get(prefix, GetOption.builder().isPrefix(true).build())
                            .get(10, TimeUnit.SECONDS)
                            .getKvs())
                    .as("keys left under the namespace")
                    .isEmpty();
        }
    }

    @Test
    void leader_of_an_election_nobody_leads_prints_no_leader_and_exits_3() {
        InProcess noLeader = InProcess.run("leader", "--uri", uri(), "nobody");

        assertThat(noLeader.exitCode()).as(noLeader.err()).isEqualTo(ExitCodes.NO_LEADER);
        assertThat(noLeader.out()).isEqualTo("no leader");
    }
}
