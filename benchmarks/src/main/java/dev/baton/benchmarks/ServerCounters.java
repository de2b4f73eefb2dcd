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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The requests a benchmark server has received so far, read from the server itself, so that every client is counted
 * alike (the peers' too, which no SPI sees): etcd's {@code /metrics} on its client URL ({@value #ETCD_METRIC}, summed
 * over every gRPC method: each unary request and each message on a stream, keep-alives and watch requests included);
 * ZooKeeper's {@code mntr} four-letter word ({@value #ZOOKEEPER_METRIC}: every packet, pings included), which the
 * server answers only when {@value #ZOOKEEPER_WHITELIST} names it (BenchmarkMain sets it).
 */
final class ServerCounters {
    static final String ETCD_METRIC = "grpc_server_msg_received_total";
    static final String ZOOKEEPER_METRIC = "zk_packets_received";
    static final String ZOOKEEPER_WHITELIST = "zookeeper.4lw.commands.whitelist";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private ServerCounters() {}

    /** The server a subject runs on: {@code etcd}, {@code zookeeper}, or null (in memory, in the JVM). */
    static String serverOf(String subject) {
        if (subject.contains("etcd")) {
            return "etcd";
        }
        if (subject.contains("zookeeper") || subject.startsWith("zk-") || subject.startsWith("curator-")) {
            return "zookeeper";
        }
        return null;
    }

    /** The requests {@code server} ({@code etcd} or {@code zookeeper}) has received since it started. */
    static long received(String server) {
        try {
            return server.equals("etcd") ? etcd() : zookeeper();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request count of " + server, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the request count of " + server, e);
        }
    }

    private static long etcd() throws IOException, InterruptedException {
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create(Servers.etcd() + "/metrics"))
                                .timeout(TIMEOUT)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return sum(metrics, ETCD_METRIC, ' ');
    }

    private static long zookeeper() throws IOException {
        String server = Servers.zookeeper().split(",")[0];
        int colon = server.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(
                    new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1))),
                    (int) TIMEOUT.toMillis());
            s.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write("mntr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return sum(new String(in.readAllBytes(), StandardCharsets.UTF_8), ZOOKEEPER_METRIC, '\t');
        }
    }

    /** The sum of every sample of {@code metric} in a text exposition (one {@code name[{labels}]<sep>value} a line). */
    static long sum(String text, String metric, char separator) {
        long total = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + separator) || line.startsWith(metric + "{")) {
                String value = line.substring(line.lastIndexOf(separator) + 1).trim();
                total += (long) Double.parseDouble(value);
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("the server reported no " + metric + " (is it enabled?): "
                    + text.substring(0, Math.min(200, text.length())));
        }
        return total;
    }
}
