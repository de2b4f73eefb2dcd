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

import dev.baton.consul.ConsulBackend;
import dev.baton.etcd.EtcdBackend;
import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.ElectionListener;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.Leadership;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LockException;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LossReason;
import dev.baton.lock.SingletonOptions;
import dev.baton.lock.SingletonRunner;
import dev.baton.zookeeper.ZooKeeperBackend;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client process of the campaign. It builds a coordinator on the backend named in its arguments, then runs two
 * loops until its stdin says {@code stop} (or closes): a lock loop (acquire {@code campaign/lock}, write through the
 * fenced resource, sometimes hold long, release) and an election loop (campaign for {@code campaign/leader}, lead a
 * while, resign), and runs a singleton task ({@code campaign/singleton}) that stops by itself after a while. Every step goes to its event log, one line per event, written unbuffered so that a SIGKILL loses
 * nothing already done.
 *
 * <p>Clock: every line starts with {@code System.nanoTime()}. On Linux HotSpot reads CLOCK_MONOTONIC for it, which is
 * one clock for every process of the machine (unlike the per-process origin the JDK allows in general); the fenced
 * resource checks this at connect time against the orchestrator's own reading, and the campaign stops if it does not
 * hold. One clock read locally needs no round trip on the hot path, so the log's instants are as close to the events as
 * the process can make them.
 *
 * <p>Events: {@code ACQ_INVOKE}, {@code ACQ_OK <token> <deadline>}, {@code ACQ_FAIL <why>}, {@code VALID <token>
 * <deadline>} (the handle's local deadline, read as now + remaining(), so never later than the true one), {@code LOST
 * <token> <reason>} (onLost was called), {@code WRITE_SEND <token> <seq>}, {@code WRITE_OK|WRITE_REJ <token> <seq>},
 * {@code REL_START|REL_END <token>}; for the election {@code EL_INVOKE}, {@code ELECTED <token>}, {@code TVALID <token>}
 * (isValid() was true at this instant), {@code REVOKED <token> <reason>}, {@code RESIGN_START|RESIGN_END <token>},
 * {@code EL_FAIL <why>}; {@code BUILD_FAIL <why>} (the coordinator could not be built, tried again); for the singleton task {@code S_START <token>}, {@code S_VALID <token>} (its term's isValid()
 * was true at this instant), {@code S_STOP <token>}; and {@code HELLO <pid>}, {@code READY}, {@code CLOSED}.
 *
 * <p>Not a library class: run by {@link Campaign}.
 */
public final class CampaignClient {
    static final String LOCK = "campaign/lock";
    static final String ELECTION = "campaign/leader";
    static final String SINGLETON = "campaign/singleton";
    /** The singleton task returns after a while: its runner resigns and campaigns again, so terms rotate. */
    private static final SingletonOptions ROTATE = SingletonOptions.builder()
            .whenTaskReturns(SingletonOptions.WhenTaskReturns.RESIGN_AND_CAMPAIGN_AGAIN)
            .build();

    private final OutputStream log;
    private final Random random;
    private volatile boolean stopping;
    private final AtomicReference<LockHandle> held = new AtomicReference<>();
    private final AtomicReference<Leadership> leading = new AtomicReference<>();
    private BufferedReader resourceIn;
    private PrintWriter resourceOut;

    private CampaignClient(OutputStream log, long seed) {
        this.log = log;
        this.random = new Random(seed);
    }

    /**
     * Runs one client.
     *
     * @param args {@code key=value}: backend, endpoints, client, resource (port), ttlMillis, seed, log
     * @throws Exception if the client cannot start; the campaign reads its output file
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        try (OutputStream log = new FileOutputStream(a.get("log"), true)) {
            CampaignClient client = new CampaignClient(log, Long.parseLong(a.get("seed")));
            client.run(a);
        }
        System.exit(0);
    }

    private void run(Map<String, String> a) throws Exception {
        String name = a.get("client");
        event("HELLO " + ProcessHandle.current().pid());
        connectResource(Integer.parseInt(a.get("resource")), name);
        Duration ttl = Duration.ofMillis(Long.parseLong(a.get("ttlMillis")));
        Thread stdin = new Thread(this::awaitStop, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        // A client started while the servers are down or paused retries instead of dying: a slot that died by itself
        // would leave the campaign short of clients for the rest of the run.
        Coordinator built = null;
        while (built == null && !stopping) {
            try {
                built = coordinator(a.get("backend"), a.get("endpoints"), ttl);
            } catch (LockException e) {
                event("BUILD_FAIL " + e.getClass().getSimpleName());
                pause(200);
            }
        }
        if (built == null) {
            event("CLOSED");
            return;
        }
        try (Coordinator coordinator = built) {
            event("READY");
            Thread locks = new Thread(() -> lockLoop(coordinator), "lock-loop");
            Thread elections = new Thread(() -> electionLoop(coordinator, name), "election-loop");
            Thread watcher = new Thread(this::watchValidity, "validity");
            watcher.setDaemon(true);
            locks.start();
            elections.start();
            watcher.start();
            SingletonRunner singleton = coordinator.singleton(SINGLETON, name, ROTATE, this::singletonTask);
            try {
                locks.join();
                elections.join();
            } finally {
                singleton.close();
            }
        }
        event("CLOSED");
    }

    private static Coordinator coordinator(String backend, String endpoints, Duration ttl) {
        switch (backend) {
            case "etcd":
                return EtcdBackend.builder()
                        .endpoints(endpoints.split(","))
                        .namespace(EtcdServers.NAMESPACE)
                        .minimumTtl(Duration.ofSeconds(1))
                        .coordinatorBuilder()
                        .sessionTtl(ttl)
                        .build();
            case "zookeeper":
                return ZooKeeperBackend.builder()
                        .connectString(endpoints)
                        .namespace(ZooKeeperEnsemble.NAMESPACE)
                        .connectionTimeout(Duration.ofSeconds(3))
                        .reapInterval(ZooKeeperEnsemble.REAP_INTERVAL)
                        .coordinatorBuilder() // the ZooKeeper session timeout follows the session TTL
                        .sessionTtl(ttl)
                        .build();
            case "consul":
                return ConsulBackend.builder()
                        .agentAddress(endpoints)
                        .keyPrefix(ConsulEmulatorServer.KEY_PREFIX)
                        .coordinatorBuilder()
                        .sessionTtl(ttl)
                        .build();
            default:
                throw new IllegalArgumentException("backend must be etcd, zookeeper or consul, got " + backend);
        }
    }

    private void connectResource(int port, String name) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setTcpNoDelay(true);
        resourceIn = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        resourceOut = new PrintWriter(s.getOutputStream(), true, StandardCharsets.US_ASCII);
        resourceOut.println("HELLO " + name);
        if (!"CLOCK".equals(resourceIn.readLine())) {
            throw new IllegalStateException("the fenced resource did not ask for the clock");
        }
        resourceOut.println(System.nanoTime());
        String answer = resourceIn.readLine();
        if (!"OK".equals(answer)) {
            throw new IllegalStateException("clock check failed: " + answer);
        }
    }

    private void awaitStop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                // wait for stop
            }
        } catch (IOException e) {
            // the orchestrator is gone: stop too
        }
        stopping = true;
    }

    private void lockLoop(Coordinator coordinator) {
        DistributedLock lock = coordinator.lock(LOCK);
        long seq = 0;
        while (!stopping) {
            event("ACQ_INVOKE");
            LockHandle h;
            try {
                h = lock.acquire(Duration.ofSeconds(2));
            } catch (LockAcquisitionTimeoutException e) {
                event("ACQ_FAIL timeout");
                continue;
            } catch (LockException | IllegalStateException e) {
                event("ACQ_FAIL " + e.getClass().getSimpleName());
                pause(50);
                continue;
            } catch (InterruptedException e) {
                return;
            }
            long token = h.fencingToken();
            long now = System.nanoTime();
            event("ACQ_OK " + token + " " + (now + h.remaining().toNanos()));
            h.onLost((handle, reason) -> event("LOST " + token + " " + reason));
            held.set(h);
            // Mostly short holds (many hand-offs), one in sixty long enough to span a fault.
            long holdMillis = random.nextInt(60) == 0 ? 300 + random.nextInt(2200) : random.nextInt(6);
            int writes = holdMillis >= 300 ? 2 : 1 + random.nextInt(2);
            // The first write at once (the resource learns the new token), then each later one after checking
            // isValid() and working a while: a pause in that work is a pause between check and act, which only the
            // fencing token can catch.
            for (int i = 0; i < writes && (i == 0 || h.isValid()); i++) {
                if (i > 0) {
                    pause(holdMillis / writes);
                }
                seq++;
                event("WRITE_SEND " + token + " " + seq);
                String answer = write(token, seq);
                event((answer.equals("OK") ? "WRITE_OK " : "WRITE_REJ ") + token + " " + seq);
            }
            held.set(null);
            event("REL_START " + token);
            h.close();
            event("REL_END " + token);
        }
    }

    private void electionLoop(Coordinator coordinator, String name) {
        try (LeaderElection election = coordinator.election(ELECTION, name)) {
            election.listen(new ElectionListener() {
                @Override
                public void onElected(Leadership term) {
                    // logged by the loop, when campaign() returns
                }

                @Override
                public void onRevoked(Leadership term, LossReason reason) {
                    event("REVOKED " + term.fencingToken() + " " + reason);
                }
            });
            while (!stopping) {
                event("EL_INVOKE");
                Leadership term;
                try {
                    term = election.campaign(Duration.ofSeconds(2));
                } catch (LockAcquisitionTimeoutException e) {
                    event("EL_FAIL timeout");
                    continue;
                } catch (LockException | IllegalStateException e) {
                    event("EL_FAIL " + e.getClass().getSimpleName());
                    pause(50);
                    continue;
                } catch (InterruptedException e) {
                    return;
                }
                event("ELECTED " + term.fencingToken());
                leading.set(term);
                long until = System.nanoTime()
                        + Duration.ofMillis(50 + random.nextInt(1500)).toNanos();
                while (term.isValid() && System.nanoTime() < until && !stopping) {
                    pause(20);
                }
                leading.set(null);
                event("RESIGN_START " + term.fencingToken());
                term.close();
                event("RESIGN_END " + term.fencingToken());
            }
        }
    }

    /**
     * The singleton's task: logs its start, that its term is still valid every 20 ms, and its stop; it ends by itself
     * after a while (so that the runner campaigns again and terms change hands) or when interrupted.
     */
    private void singletonTask(Leadership term) {
        long token = term.fencingToken();
        event("S_START " + token);
        long until = System.nanoTime()
                + Duration.ofMillis(100 + ThreadLocalRandom.current().nextInt(1500))
                        .toNanos();
        try {
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() < until) {
                if (term.isValid()) {
                    event("S_VALID " + token);
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            event("S_STOP " + token);
        }
    }

    /** Logs the local deadline of the held lock and the validity of the term, every 20 ms. */
    private void watchValidity() {
        while (true) {
            LockHandle h = held.get();
            if (h != null) {
                long now = System.nanoTime();
                Duration remaining = h.remaining();
                if (!remaining.isZero()) {
                    event("VALID " + h.fencingToken() + " " + (now + remaining.toNanos()));
                }
            }
            Leadership term = leading.get();
            if (term != null && term.isValid()) {
                event("TVALID " + term.fencingToken());
            }
            pause(20);
        }
    }

    private synchronized String write(long token, long seq) {
        resourceOut.println("W " + token + " " + seq);
        try {
            String answer = resourceIn.readLine();
            if (answer == null) {
                throw new IllegalStateException("the fenced resource closed the connection");
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void event(String text) {
        byte[] line = (System.nanoTime() + " " + text + "\n").getBytes(StandardCharsets.US_ASCII);
        synchronized (log) {
            try {
                log.write(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
