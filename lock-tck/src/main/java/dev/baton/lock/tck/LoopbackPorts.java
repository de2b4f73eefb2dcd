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

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers that test fixtures start on 127.0.0.1, chosen <em>outside</em> the kernel's ephemeral range.
 *
 * <p>The usual trick, binding port 0 and closing the socket, hands out a port from the ephemeral range, which the
 * kernel also gives to every outgoing connection. Between the probe and the server's own bind (and again while a
 * killed member is down before its restart on the same ports), a client connection may take that port as its local
 * port, and the server then fails to bind: ZooKeeper's election listener gives up after three tries and exits the JVM
 * (seen in CI, exit code 14), etcd exits. Ports below the ephemeral range are never handed to outgoing connections,
 * so only another listening server can hold one, and the probe here sees that. Ports already handed out by this JVM
 * are never handed out again.
 *
 * <p>Thread-safe.
 */
public final class LoopbackPorts {
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private LoopbackPorts() {}

    /**
     * A port that was free on 127.0.0.1 just now, outside the ephemeral range, not handed out before by this JVM.
     *
     * @return the port
     * @throws IllegalStateException if no such port was found after many probes
     */
    public static synchronized int reserve() {
        int[] range = range();
        int from = range[0];
        int to = range[1];
        int span = to - from + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < Math.min(span, 2_000); i++) {
            int port = from + (start + i * 7) % span;
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port in " + from + ".." + to);
    }

    /** The ports to choose from: below the ephemeral range when there is room, else above it. */
    static int[] range() {
        int low = 32_768;
        int high = 60_999;
        try {
            String[] parts = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), StandardCharsets.UTF_8)
                    .trim()
                    .split("\\s+");
            low = Integer.parseInt(parts[0]);
            high = Integer.parseInt(parts[1]);
        } catch (IOException | RuntimeException e) {
            // Not Linux, or unreadable: the kernel's usual range.
        }
        if (low - LOWEST >= 1_000) {
            return new int[] {LOWEST, low - 1};
        }
        if (65_535 - high >= 1_000) {
            return new int[] {high + 1, 65_535};
        }
        return new int[] {LOWEST, 65_535};
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
