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
package dev.baton.campaign;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource the campaign's lock protects: a store on a loopback socket that accepts a write only when its fencing
 * token is at least the highest it has accepted, and records every decision on the orchestrator's clock. It also
 * checks each client's clock at connect time (see {@link CampaignClient}): the client's {@code System.nanoTime()} must
 * fall between the orchestrator's readings before and after it asked, which holds when both read the machine-wide
 * CLOCK_MONOTONIC (HotSpot on Linux), and then every log of the campaign is on one timeline.
 *
 * <p>Protocol, one line each: the client sends {@code HELLO <client>}; the resource sends {@code CLOCK}, the client
 * answers its nanoTime, the resource answers {@code OK} or {@code CLOCKBAD <why>}. Then {@code W <token> <seq>} gets
 * {@code OK} or {@code REJ <highest token accepted>}. Threadsafe.
 */
final class FencedResource implements AutoCloseable {
    /** One decision of the resource. */
    record Write(long nanos, String client, long token, long seq, boolean accepted, long highestBefore) {}

    /** One clock check: the client's reading and the orchestrator's before and after. */
    record ClockCheck(String client, long before, long clientNanos, long after) {
        boolean ok() {
            return before <= clientNanos && clientNanos <= after;
        }
    }

    private final ServerSocket server;
    private final Object lock = new Object();
    private final List<Write> writes = new ArrayList<>();
    private final List<ClockCheck> clockChecks = new ArrayList<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private long highest = Long.MIN_VALUE;
    private String lastWriter;
    private long lastWriteNanos;
    private volatile boolean closed;

    FencedResource() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "fenced-resource-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "fenced-resource-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("fenced resource: accept failed: " + e);
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s;
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            String hello = in.readLine();
            if (hello == null || !hello.startsWith("HELLO ")) {
                return;
            }
            String client = hello.substring(6).trim();
            long before = System.nanoTime();
            out.println("CLOCK");
            String reading = in.readLine();
            long after = System.nanoTime();
            if (reading == null) {
                return;
            }
            ClockCheck check = new ClockCheck(client, before, Long.parseLong(reading.trim()), after);
            synchronized (lock) {
                clockChecks.add(check);
            }
            out.println(
                    check.ok()
                            ? "OK"
                            : "CLOCKBAD client nanoTime " + check.clientNanos() + " outside [" + before + ", " + after
                                    + "]: this machine's processes do not share CLOCK_MONOTONIC");
            String line;
            while ((line = in.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length != 3 || !parts[0].equals("W")) {
                    out.println("ERR unknown request " + line);
                    continue;
                }
                out.println(write(client, Long.parseLong(parts[1]), Long.parseLong(parts[2])));
            }
        } catch (IOException e) {
            // the client died or was cut off: its writes so far are recorded
        } finally {
            connections.remove(s);
        }
    }

    private String write(String client, long token, long seq) {
        synchronized (lock) {
            long before = highest;
            boolean accepted = token >= highest;
            if (accepted) {
                highest = token;
                lastWriter = client;
                lastWriteNanos = System.nanoTime();
            }
            writes.add(new Write(System.nanoTime(), client, token, seq, accepted, before));
            return accepted ? "OK" : "REJ " + before;
        }
    }

    /** The client that wrote last if it did so within {@code withinNanos}: most likely the holder now. */
    String recentWriter(long withinNanos) {
        synchronized (lock) {
            return lastWriter != null && System.nanoTime() - lastWriteNanos <= withinNanos ? lastWriter : null;
        }
    }

    List<Write> writes() {
        synchronized (lock) {
            return List.copyOf(writes);
        }
    }

    List<ClockCheck> clockChecks() {
        synchronized (lock) {
            return List.copyOf(clockChecks);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            System.err.println("fenced resource: close failed: " + e);
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                System.err.println("fenced resource: closing a connection failed: " + e);
            }
        }
    }
}
