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
package dev.baton.consul;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A loopback HTTP/1.1 proxy in front of the Consul emulator that keeps client connections alive and, when armed, closes
 * the client's connection on one request without a byte of answer: either before forwarding it (the agent closed an
 * idle connection as the client reused it: nothing was applied) or after forwarding it (the request was applied and
 * its answer lost). It can also rewrite request bodies. Test code; one thread per connection; binds 127.0.0.1 on a free port; {@link #close()} stops it.
 */
final class FlakyConnectionProxy implements AutoCloseable {
    /** Where the armed fault strikes. */
    enum Mode {
        /** Close before forwarding: the target never sees the request. */
        CLOSE_BEFORE_FORWARDING,
        /** Forward, wait for the answer, then close without passing it on. */
        CLOSE_AFTER_FORWARDING
    }

    private record Fault(String method, String pathPrefix, Mode mode, Runnable before) {}

    private record Rewrite(String method, String pathPrefix, UnaryOperator<byte[]> body) {}

    private final ServerSocket server;
    private final String target;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<Fault> armed = new ArrayList<>();
    private final List<Rewrite> rewrites = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private FlakyConnectionProxy(String target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "flaky-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    static FlakyConnectionProxy start(String target) throws IOException {
        return new FlakyConnectionProxy(target);
    }

    String address() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * Arms one fault: the next request with this method and a path starting with {@code pathPrefix} meets it.
     * {@code before} runs first (for example, another client writing the key), or is null.
     */
    synchronized void failNext(String method, String pathPrefix, Mode mode, Runnable before) {
        armed.add(new Fault(method, pathPrefix, mode, before));
    }

    /**
     * Rewrites the body of every request with this method and a path starting with {@code pathPrefix} before it is
     * forwarded (for example, to send what an older client sent).
     */
    void rewriteBodies(String method, String pathPrefix, UnaryOperator<byte[]> body) {
        rewrites.add(new Rewrite(method, pathPrefix, body));
    }

    /** The requests seen so far ({@code METHOD path}), faulted ones included. */
    List<String> seen() {
        return List.copyOf(seen);
    }

    long seen(String method, String pathPrefix) {
        return seen.stream()
                .filter(s -> s.startsWith(method + " " + pathPrefix))
                .count();
    }

    private synchronized Fault take(String method, String path) {
        for (int i = 0; i < armed.size(); i++) {
            Fault f = armed.get(i);
            if (f.method.equals(method) && path.startsWith(f.pathPrefix)) {
                return armed.remove(i);
            }
        }
        return null;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "flaky-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] lines = head.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                String method = requestLine[0];
                String path = requestLine[1];
                int length = 0;
                String token = null;
                String contentType = null;
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = lines[i].substring(colon + 1).trim();
                    switch (name) {
                        case "content-length" -> length = Integer.parseInt(value);
                        case "x-consul-token" -> token = value;
                        case "content-type" -> contentType = value;
                        default -> {}
                    }
                }
                byte[] body = in.readNBytes(length);
                for (Rewrite r : rewrites) {
                    if (r.method.equals(method) && path.startsWith(r.pathPrefix)) {
                        body = r.body.apply(body);
                    }
                }
                seen.add(method + " " + path);
                Fault fault = take(method, path);
                if (fault != null && fault.before != null) {
                    fault.before.run();
                }
                if (fault != null && fault.mode == Mode.CLOSE_BEFORE_FORWARDING) {
                    return;
                }
                HttpResponse<byte[]> answer = forward(method, path, body, token, contentType);
                if (fault != null) {
                    return;
                }
                StringBuilder h = new StringBuilder("HTTP/1.1 ")
                        .append(answer.statusCode())
                        .append(" X\r\n");
                answer.headers()
                        .firstValue("X-Consul-Index")
                        .ifPresent(v -> h.append("X-Consul-Index: ").append(v).append("\r\n"));
                h.append("Content-Type: application/json\r\n");
                h.append("Content-Length: ").append(answer.body().length).append("\r\n\r\n");
                out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(answer.body());
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // The client went away, or the proxy is closing.
        } finally {
            sockets.remove(socket);
        }
    }

    private HttpResponse<byte[]> forward(String method, String path, byte[] body, String token, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("X-Consul-Token", token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            buf.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1
                    : (c == '\r' ? 1 : 0);
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
