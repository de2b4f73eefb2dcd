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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading the servers' request counters from their text: every sample of the metric summed, and nothing else. */
class ServerCountersTest {
    @Test
    void sums_every_labelled_sample_of_etcds_metric_and_no_other() {
        String metrics = String.join(
                "\n",
                "# HELP grpc_server_msg_received_total Total number of RPC stream messages received on the server.",
                "# TYPE grpc_server_msg_received_total counter",
                "grpc_server_msg_received_total{grpc_method=\"Range\",grpc_service=\"etcdserverpb.KV\"} 12",
                "grpc_server_msg_received_total{grpc_method=\"LeaseKeepAlive\",grpc_service=\"etcdserverpb.Lease\"}"
                        + " 1.5e+06",
                "grpc_server_msg_received_total_other 7",
                "grpc_server_msg_sent_total{grpc_method=\"Range\"} 99");

        assertThat(ServerCounters.sum(metrics, ServerCounters.ETCD_METRIC, ' ')).isEqualTo(1_500_012);
    }

    @Test
    void reads_zookeepers_packets_received_from_mntr() {
        String mntr = "zk_version\t3.8.4\nzk_packets_received\t4321\nzk_packets_sent\t4320\n";

        assertThat(ServerCounters.sum(mntr, ServerCounters.ZOOKEEPER_METRIC, '\t'))
                .isEqualTo(4321);
    }

    @Test
    void a_server_without_the_metric_fails_naming_it() {
        assertThatThrownBy(() -> ServerCounters.sum(
                        "mntr is not executed because it is not in the whitelist.\n",
                        ServerCounters.ZOOKEEPER_METRIC,
                        '\t'))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("zk_packets_received")
                .hasMessageContaining("not in the whitelist");
    }

    @Test
    void names_the_server_of_each_subject() {
        assertThat(ServerCounters.serverOf("baton-etcd-ttl")).isEqualTo("etcd");
        assertThat(ServerCounters.serverOf("jetcd-lock")).isEqualTo("etcd");
        assertThat(ServerCounters.serverOf("curator-mutex")).isEqualTo("zookeeper");
        assertThat(ServerCounters.serverOf("zk-create-delete")).isEqualTo("zookeeper");
        assertThat(ServerCounters.serverOf("baton-zookeeper-elect")).isEqualTo("zookeeper");
        assertThat(ServerCounters.serverOf("baton-inmemory")).isNull();
        assertThat(ServerCounters.serverOf("reentrantlock")).isNull();
    }
}
