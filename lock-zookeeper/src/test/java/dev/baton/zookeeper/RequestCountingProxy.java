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
package dev.baton.zookeeper;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.apache.zookeeper.ZooDefs;

/**
 * A TCP proxy in front of one ZooKeeper server that records the operation code of every request its clients send
 * (ZooKeeper's frames: a length, then for each request after the connect request a header of xid and operation code),
 * leaving out pings and Curator's own reads of the ensemble's configuration. What a test counts is what reached the server, whatever the client library does.
 *
 * <p>Threadsafe; closing it closes every connection.
 */
final class RequestCountingProxy implements Closeable {
    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Integer> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile CountDownLatch answersHeld;

    /** Starts a proxy to {@code host:port}, listening on a free port of 127.0.0.1. */
    RequestCountingProxy(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        this.target =
                new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "zk-counting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The connect string of the proxy. */
    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Forgets the requests seen so far. */
    void reset() {
        requests.clear();
    }

    /** The operation codes ({@link ZooDefs.OpCode}) of the requests seen since the last reset, in order. */
    List<Integer> requests() {
        return new ArrayList<>(requests);
    }

    /**
     * Holds every answer of the server until {@link #releaseAnswers()}: a test then sees which requests a client sends
     * without waiting for an answer. Hold briefly (pings are held too).
     */
    void holdAnswers() {
        answersHeld = new CountDownLatch(1);
    }

    /** Lets the answers held since {@link #holdAnswers()} through. */
    void releaseAnswers() {
        CountDownLatch held = answersHeld;
        answersHeld = null;
        if (held != null) {
            held.countDown();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                start(() -> countAndCopy(client.getInputStream(), server.getOutputStream()));
                start(() -> copy(server.getInputStream(), client.getOutputStream()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void start(IoTask task) {
        Thread t = new Thread(
                () -> {
                    try {
                        task.run();
                    } catch (IOException e) {
                        // The connection closed: the client or the server went away.
                    }
                },
                "zk-counting-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    private void copy(InputStream from, OutputStream to) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = from.read(buffer)) >= 0) {
            CountDownLatch held = answersHeld;
            if (held != null) {
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while holding answers", e);
                }
            }
            to.write(buffer, 0, n);
            to.flush();
        }
        to.close();
    }

    private void countAndCopy(InputStream from, OutputStream to) throws IOException {
        DataInputStream in = new DataInputStream(from);
        boolean connectRequest = true;
        while (true) {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                to.close();
                return;
            }
            byte[] frame = new byte[length];
            in.readFully(frame);
            if (!connectRequest && length >= 8) {
                int op = ((frame[4] & 0xff) << 24)
                        | ((frame[5] & 0xff) << 16)
                        | ((frame[6] & 0xff) << 8)
                        | (frame[7] & 0xff);
                if (op != ZooDefs.OpCode.ping && !readsZooKeeperConfig(op, frame)) {
                    requests.add(op);
                }
            }
            connectRequest = false;
            byte[] out = new byte[4 + length];
            out[0] = (byte) (length >>> 24);
            out[1] = (byte) (length >>> 16);
            out[2] = (byte) (length >>> 8);
            out[3] = (byte) length;
            System.arraycopy(frame, 0, out, 4, length);
            to.write(out);
            to.flush();
        }
    }

    /**
     * Whether a request is a read of ZooKeeper's own {@code /zookeeper} tree: Curator reads the ensemble's
     * configuration there on its own when it connects.
     */
    private static boolean readsZooKeeperConfig(int op, byte[] frame) {
        if (op != ZooDefs.OpCode.getData || frame.length < 12) {
            return false;
        }
        ByteBuffer body = ByteBuffer.wrap(frame, 8, frame.length - 8);
        int length = body.getInt();
        if (length < 0 || length > body.remaining()) {
            return false;
        }
        String path = new String(frame, 12, length, StandardCharsets.UTF_8);
        return path.equals("/zookeeper") || path.startsWith("/zookeeper/");
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    @FunctionalInterface
    private interface IoTask {
        void run() throws IOException;
    }
}
