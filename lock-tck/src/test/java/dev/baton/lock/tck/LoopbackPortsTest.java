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
package dev.baton.lock.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void ports_are_outside_the_range_outgoing_connections_take_their_local_ports_from() throws Exception {
        int[] range = LoopbackPorts.range();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Socket outgoing = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            int ephemeral = outgoing.getLocalPort();
            assertThat(ephemeral >= range[0] && ephemeral <= range[1])
                    .as("local port %d of an outgoing connection, range %d..%d", ephemeral, range[0], range[1])
                    .isFalse();
        }
        for (int i = 0; i < 20; i++) {
            assertThat(LoopbackPorts.reserve()).isBetween(range[0], range[1]);
        }
    }

    @Test
    void a_port_is_handed_out_once_and_is_free_to_bind() throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = LoopbackPorts.reserve();
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
