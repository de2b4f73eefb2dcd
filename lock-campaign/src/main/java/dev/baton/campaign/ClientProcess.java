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

import dev.baton.lock.tck.TcpProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client slot of the campaign: its proxies (one per member, kept across restarts so that the nemesis can cut the
 * slot off) and its current JVM. A killed client is restarted as a new incarnation with an event log of its own.
 * Used from the orchestrator's threads under its own monitor.
 */
final class ClientProcess {
    final int slot;
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final Servers servers;
    private final Path outDir;
    private final List<String> fixedArgs;
    private final long seed;
    private int incarnation = -1;
    private Process process;
    private String name;
    private boolean paused;
    private final List<Path> eventLogs = new ArrayList<>();

    ClientProcess(int slot, Servers servers, Path outDir, List<String> fixedArgs, long seed) {
        this.slot = slot;
        this.servers = servers;
        this.outDir = outDir;
        this.fixedArgs = fixedArgs;
        this.seed = seed;
        for (int m = 0; m < servers.size(); m++) {
            String[] hostPort = servers.clientAddress(m).split(":");
            proxies.add(TcpProxy.start(hostPort[0], Integer.parseInt(hostPort[1])));
        }
    }

    synchronized void start() {
        incarnation++;
        name = "c" + slot + "." + incarnation;
        Path events = outDir.resolve("client-" + name + ".events");
        eventLogs.add(events);
        List<String> args = new ArrayList<>(fixedArgs);
        args.add("endpoints="
                + servers.clientEndpoints(
                        proxies.stream().map(TcpProxy::address).toList()));
        args.add("client=" + name);
        args.add("seed=" + (seed * 1_000_003L + slot * 1_009L + incarnation));
        args.add("log=" + events);
        process = Processes.start(
                Processes.javaCommand(CampaignClient.class.getName(), List.of(), args),
                outDir.resolve("client-" + name + ".out"));
        paused = false;
    }

    synchronized String name() {
        return name;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized void kill() {
        Processes.kill(process);
        paused = false;
    }

    synchronized void pause() {
        Processes.signal(process, "STOP");
        paused = true;
    }

    synchronized void resume() {
        if (paused) {
            Processes.signal(process, "CONT");
            paused = false;
        }
    }

    void cut(boolean reset) {
        for (TcpProxy p : proxies) {
            if (reset) {
                p.cut();
            } else {
                p.blackhole();
            }
        }
    }

    void heal() {
        for (TcpProxy p : proxies) {
            p.heal();
        }
    }

    /** Asks the client to close everything and exit; returns whether it did within the timeout. */
    boolean stop(long timeoutMillis) throws InterruptedException {
        Process p;
        synchronized (this) {
            resume();
            p = process;
        }
        if (!p.isAlive()) {
            return true;
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write("stop\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // exited meanwhile
        }
        if (p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return true;
        }
        Processes.kill(p);
        return false;
    }

    synchronized List<Path> eventLogs() {
        return List.copyOf(eventLogs);
    }

    void closeProxies() {
        for (TcpProxy p : proxies) {
            p.close();
        }
    }
}
