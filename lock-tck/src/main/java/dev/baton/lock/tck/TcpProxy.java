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
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy a test puts between a client and one server, to cut the network between them on command.
 *
 * <p>Two kinds of fault:
 *
 * <ul>
 *   <li>{@link #blackhole()}: bytes stop flowing in both directions while every socket stays open, as in a partition
 *       that TCP has not noticed yet. Bytes sent meanwhile are held, and delivered late after {@link #heal()}, the way
 *       TCP retransmits once a partition heals. New connections are accepted and forward nothing either.
 *   <li>{@link #cut()}: every open connection is reset and new ones are reset on arrival, as when a server's host
 *       reboots; {@link #heal()} lets new connections through again.
 * </ul>
 *
 * <p>The proxy listens on {@code 127.0.0.1} only, on a free port, and runs on daemon threads, two per connection. It is
 * threadsafe: faults are switched from any thread.
 */
public final class TcpProxy implements AutoCloseable {
    private enum Mode {
        FORWARD,
        BLACKHOLE,
        BLACKHOLE_REPLIES,
        CUT
    }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Object modeLock = new Object();
    private final AtomicLong accepted = new AtomicLong();
    private Mode mode = Mode.FORWARD; // guarded by modeLock
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target, ServerSocket listener) {
        this.target = target;
        this.listener = listener;
    }

    /**
     * Starts a proxy to {@code targetHost:targetPort}, listening on a free port of {@code 127.0.0.1}.
     *
     * @param targetHost the server's host
     * @param targetPort the server's port
     * @return the running proxy, forwarding
     * @throws UncheckedIOException if no port could be bound
     */
    public static TcpProxy start(String targetHost, int targetPort) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            TcpProxy proxy = new TcpProxy(new InetSocketAddress(targetHost, targetPort), listener);
            Thread acceptor = new Thread(proxy::acceptLoop, "baton-tcp-proxy-accept-" + listener.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a TCP proxy to " + targetHost + ":" + targetPort, e);
        }
    }

    /**
     * Returns the port the proxy listens on.
     *
     * @return the port on {@code 127.0.0.1}
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Returns the address clients should connect to instead of the server's.
     *
     * @return {@code 127.0.0.1:<port>}
     */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /**
     * Counts the connections accepted so far, including those reset by {@link #cut()}.
     *
     * @return the count
     */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** Stops forwarding in both directions, keeping every socket open; {@link #heal()} undoes it. */
    public void blackhole() {
        synchronized (modeLock) {
            mode = Mode.BLACKHOLE;
        }
    }

    /**
     * Stops forwarding from the server to the client only, keeping every socket open: requests reach the server and
     * take effect, their answers are held (as when the return path is lost); {@link #heal()} undoes it.
     */
    public void blackholeReplies() {
        synchronized (modeLock) {
            mode = Mode.BLACKHOLE_REPLIES;
            modeLock.notifyAll();
        }
    }

    /** Resets every open connection and every new one until {@link #heal()}. */
    public void cut() {
        synchronized (modeLock) {
            mode = Mode.CUT;
        }
        for (Link link : links) {
            link.reset();
        }
    }

    /** Forwards again: held bytes of blackholed connections flow, and new connections reach the server. */
    public void heal() {
        synchronized (modeLock) {
            mode = Mode.FORWARD;
            modeLock.notifyAll();
        }
    }

    /** Stops listening and resets every connection; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing a listening socket has nothing left to report.
        }
        for (Link link : links) {
            link.reset();
        }
        synchronized (modeLock) {
            modeLock.notifyAll();
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[" + address() + " -> " + target.getHostString() + ":" + target.getPort() + "]";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (currentMode() == Mode.CUT) {
                resetQuietly(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(target, 5_000);
            } catch (IOException e) {
                resetQuietly(client);
                resetQuietly(server);
                continue;
            }
            Link link = new Link(client, server);
            links.add(link);
            link.start();
        }
    }

    private Mode currentMode() {
        synchronized (modeLock) {
            return mode;
        }
    }

    /**
     * Blocks while this direction is blackholed; returns false when the bytes must not be forwarded (cut or closed).
     */
    private boolean awaitForwarding(boolean reply) throws InterruptedException {
        synchronized (modeLock) {
            while ((mode == Mode.BLACKHOLE || (reply && mode == Mode.BLACKHOLE_REPLIES)) && !closed) {
                modeLock.wait();
            }
            return (mode == Mode.FORWARD || mode == Mode.BLACKHOLE_REPLIES) && !closed;
        }
    }

    private static void resetQuietly(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (SocketException ignored) {
            // The socket is already gone; closing it below is all that is left.
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing to do: the connection is being torn down on purpose.
        }
    }

    /** One client connection and its connection to the server, pumped by two threads. */
    private final class Link {
        private final Socket client;
        private final Socket server;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            String name = "baton-tcp-proxy-" + port() + "-" + client.getPort();
            Thread up = new Thread(() -> pump(client, server, false), name + "-up");
            Thread down = new Thread(() -> pump(server, client, true), name + "-down");
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        private void pump(Socket from, Socket to, boolean reply) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    // Wait before reading too, so that a blackhole also stops acknowledging at the TCP level once the
                    // kernel's buffers fill, as a real partition would.
                    if (!awaitForwarding(reply)) {
                        break;
                    }
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    if (!awaitForwarding(reply)) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // The peer closed or the link was reset: tear the pair down below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reset();
        }

        void reset() {
            links.remove(this);
            resetQuietly(client);
            resetQuietly(server);
        }
    }
}
