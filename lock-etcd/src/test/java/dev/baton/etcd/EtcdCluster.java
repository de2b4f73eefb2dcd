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
package dev.baton.etcd;

import dev.baton.lock.tck.LoopbackPorts;
import dev.baton.lock.tck.RequiredBackends;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * Local etcd processes for tests: one node or a cluster, from the binary named by the system property {@code
 * baton.etcd.binary} or the environment variable {@code BATON_ETCD_BINARY} (for example etcd 3.5 fetched by {@code
 * .ci/etcd-3.5}), else Debian's {@code etcd-server} binary found on the PATH (or at {@code /usr/bin/etcd}), each member
 * on free loopback ports with a data dir in a fresh temp dir: on tmpfs where there is one, so fsync is cheap, unless
 * the system property {@code baton.test.storage} is {@code disk} (the benchmarks' fsync variant), which puts it in
 * {@code java.io.tmpdir} on a disk that syncs. Members can be killed (SIGKILL), paused (SIGSTOP), resumed (SIGCONT) and
 * restarted on their data dirs, by PID. Everything stops on {@link #close()}, and on JVM exit through a shutdown hook.
 * {@link #startTls(int, TestCertificates)} serves the client URLs over mutual TLS instead of plain http.
 *
 * <p>The members run with a 50 ms heartbeat and a 500 ms election timeout, so etcd's minimum lease TTL (1.5 × the
 * election timeout, rounded up to whole seconds) is 1 s instead of the default 2 s, and TTL tests stay quick.
 *
 * <p>Threadsafe for the fault methods; build and close from one thread.
 */
public final class EtcdCluster implements AutoCloseable {
    /** The election timeout the members run with. */
    static final Duration ELECTION_TIMEOUT = Duration.ofMillis(500);

    static final Duration HEARTBEAT = Duration.ofMillis(50);

    /** etcd's minimum lease TTL at {@link #ELECTION_TIMEOUT}: ceil(1.5 × 0.5 s) = 1 s. */
    public static final Duration MINIMUM_TTL = Duration.ofSeconds(1);

    private static final Set<Process> ALL = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final Set<Path> ROOTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (Process p : ALL) {
                                p.destroyForcibly();
                            }
                            for (Path root : ROOTS) {
                                deleteTree(root);
                            }
                        },
                        "etcd-fixture-reaper"));
    }

    private final Path binary;
    private final Path root;
    private final List<Member> members = new ArrayList<>();
    private final List<String> extraFlags;
    private final TestCertificates tls;
    private Client admin;

    private EtcdCluster(Path binary, Path root, List<String> extraFlags, TestCertificates tls) {
        this.binary = binary;
        this.root = root;
        this.extraFlags = extraFlags;
        this.tls = tls;
    }

    /**
     * Finds the etcd binary, or reports it missing through {@link RequiredBackends} (fails when {@code
     * BATON_REQUIRE_BACKENDS} names etcd, skips otherwise).
     */
    static Path binary() {
        String chosen = System.getProperty("baton.etcd.binary", System.getenv("BATON_ETCD_BINARY"));
        if (chosen != null && !chosen.isBlank()) {
            Path given = Paths.get(chosen);
            if (!Files.isRegularFile(given) || !Files.isExecutable(given)) {
                throw new IllegalStateException("the etcd binary named by BATON_ETCD_BINARY (or -Dbaton.etcd.binary), "
                        + given + ", is not an executable file; run .ci/etcd-3.5 to fetch etcd 3.5");
            }
            return given;
        }
        String path = System.getenv("PATH");
        List<Path> candidates = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Paths.get(dir, "etcd"));
                }
            }
        }
        candidates.add(Paths.get("/usr/bin/etcd"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw RequiredBackends.fromEnvironment()
                .unavailable(
                        "etcd",
                        "no etcd binary on the PATH or at /usr/bin/etcd (apt-get install etcd-server), and this test"
                                + " needs local etcd processes");
    }

    /** Starts {@code size} members and waits until the cluster serves requests. */
    public static EtcdCluster start(int size) {
        return start(size, List.of());
    }

    /** Starts {@code size} members with extra etcd flags and waits until the cluster serves requests. */
    static EtcdCluster start(int size, List<String> extraFlags) {
        return start(size, extraFlags, null);
    }

    /**
     * Starts {@code size} members whose client URLs are {@code https://127.0.0.1:port} with mutual TLS: the server
     * presents {@code tls.serverCertificate} and accepts only clients with a certificate signed by {@code tls.ca}
     * ({@code --client-cert-auth}). Peer URLs stay plain http. The fixture's own clients present {@code
     * tls.clientCertificate}.
     */
    static EtcdCluster startTls(int size, TestCertificates tls) {
        return start(size, List.of(), tls);
    }

    private static EtcdCluster start(int size, List<String> extraFlags, TestCertificates tls) {
        Path binary = binary();
        Path root;
        try {
            Path shm = Paths.get("/dev/shm");
            boolean disk = "disk".equals(System.getProperty("baton.test.storage"));
            root = !disk && Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "baton-etcd-")
                    : Files.createTempDirectory("baton-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ROOTS.add(root);
        EtcdCluster cluster = new EtcdCluster(binary, root, extraFlags, tls);
        try {
            for (int i = 0; i < size; i++) {
                cluster.members.add(new Member(
                        "m" + i,
                        tls == null ? "http" : "https",
                        LoopbackPorts.reserve(),
                        LoopbackPorts.reserve(),
                        root.resolve("m" + i)));
            }
            String initial = cluster.members.stream()
                    .map(m -> m.name + "=" + m.peerUrl())
                    .collect(Collectors.joining(","));
            for (Member m : cluster.members) {
                m.initialCluster = initial;
                cluster.launch(m);
            }
            cluster.awaitHealthy(Duration.ofSeconds(30));
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    int size() {
        return members.size();
    }

    /** The client URLs of every member. */
    public String[] endpoints() {
        return members.stream().map(Member::clientUrl).toArray(String[]::new);
    }

    /** The client URL of one member. */
    String endpoint(int member) {
        return members.get(member).clientUrl();
    }

    int clientPort(int member) {
        return members.get(member).clientPort;
    }

    long pid(int member) {
        Process p = members.get(member).process;
        return p == null ? -1 : p.pid();
    }

    /**
     * A builder on every member, with the fixture's minimum TTL and a short request timeout (and, on a TLS cluster,
     * the test CA and client certificate).
     */
    public EtcdBackend.Builder builder(String namespace) {
        EtcdBackend.Builder builder = EtcdBackend.builder()
                .endpoints(endpoints())
                .namespace(namespace)
                .minimumTtl(MINIMUM_TTL)
                .requestTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            builder.tls(tls.ca).tlsClientCertificate(tls.clientCertificate, tls.clientKey);
        }
        return builder;
    }

    /** A jetcd client on every member (over mutual TLS on a TLS cluster), for the test's own view of the server. */
    public Client adminClient() {
        ClientBuilder builder = Client.builder().endpoints(endpoints());
        if (tls != null) {
            try {
                builder.sslContext(ssl -> ssl.trustManager(tls.ca.toFile())
                        .keyManager(tls.clientCertificate.toFile(), tls.clientKey.toFile()));
            } catch (SSLException e) {
                throw new IllegalStateException("could not load the test certificates", e);
            }
        }
        return builder.build();
    }

    /** Every key under {@code namespace} (which ends with {@code /}), as the admin client reads them. */
    synchronized List<String> keys(String namespace) {
        if (admin == null) {
            admin = adminClient();
        }
        byte[] end = namespace.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        end[end.length - 1]++;
        try {
            return admin
                    .getKVClient()
                    .get(
                            io.etcd.jetcd.ByteSequence.from(namespace, java.nio.charset.StandardCharsets.UTF_8),
                            io.etcd.jetcd.options.GetOption.builder()
                                    .withRange(io.etcd.jetcd.ByteSequence.from(end))
                                    .withKeysOnly(true)
                                    .build())
                    .get(5, TimeUnit.SECONDS)
                    .getKvs()
                    .stream()
                    .map(kv -> kv.getKey().toString(java.nio.charset.StandardCharsets.UTF_8))
                    .collect(Collectors.toList());
        } catch (Exception e) {
            throw new IllegalStateException("could not list " + namespace, e);
        }
    }

    /** The log files of every member. */
    List<Path> logs() {
        return members.stream().map(m -> m.log).filter(Files::exists).collect(Collectors.toList());
    }

    /** Kills a member with SIGKILL and waits for it to die. */
    void kill(int member) {
        Member m = members.get(member);
        Process p = m.process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ALL.remove(p);
        m.process = null;
    }

    /** Stops a member with SIGSTOP: its sockets stay open, it answers nothing. */
    void pause(int member) {
        signal(member, "STOP");
    }

    /** Resumes a member stopped by {@link #pause(int)} with SIGCONT. */
    void resume(int member) {
        signal(member, "CONT");
    }

    /** Starts a killed member again on its data dir. */
    void restart(int member) {
        Member m = members.get(member);
        if (m.process != null) {
            throw new IllegalStateException(m.name + " still runs");
        }
        launch(m);
    }

    /** Index of the member that is currently leader, asking each live member; -1 if none answers. */
    int leader() {
        try (Client admin = adminClient()) {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).process == null) {
                    continue;
                }
                try {
                    StatusResponse status = admin.getMaintenanceClient()
                            .statusMember(endpoint(i))
                            .get(2, TimeUnit.SECONDS);
                    if (status.getLeader() == status.getHeader().getMemberId()) {
                        return i;
                    }
                } catch (Exception e) {
                    // not answering: try the next
                }
            }
        }
        return -1;
    }

    /** Waits until every live member answers and a leader exists. */
    void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Client admin = adminClient()) {
            while (System.nanoTime() < deadline) {
                try {
                    admin.getKVClient()
                            .get(io.etcd.jetcd.ByteSequence.from("health", java.nio.charset.StandardCharsets.UTF_8))
                            .get(2, TimeUnit.SECONDS);
                    if (leader() >= 0) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                for (Member m : members) {
                    if (m.process != null && !m.process.isAlive()) {
                        throw new IllegalStateException(
                                "etcd member " + m.name + " exited with " + m.process.exitValue() + "; see " + m.log);
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        throw new IllegalStateException("etcd at " + String.join(",", endpoints()) + " not healthy within " + timeout
                + " (last error: " + last + "); logs under " + root);
    }

    /** Stops every member (SIGCONT first, so that a paused one can die) and deletes the data dirs. */
    @Override
    public void close() {
        synchronized (this) {
            if (admin != null) {
                admin.close();
                admin = null;
            }
        }
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).process != null) {
                resume(i);
                kill(i);
            }
        }
        deleteTree(root);
        ROOTS.remove(root);
    }

    private static void deleteTree(Path root) {
        if (root != null && Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a leftover temp dir holds only test data
            }
        }
    }

    private void signal(int member, String signal) {
        long pid = pid(member);
        if (pid < 0) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void launch(Member m) {
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--name",
                m.name,
                "--data-dir",
                m.dataDir.toString(),
                "--listen-client-urls",
                m.clientUrl(),
                "--advertise-client-urls",
                m.clientUrl(),
                "--listen-peer-urls",
                m.peerUrl(),
                "--initial-advertise-peer-urls",
                m.peerUrl(),
                "--initial-cluster",
                m.initialCluster,
                "--initial-cluster-state",
                "new",
                "--initial-cluster-token",
                root.getFileName().toString(),
                "--heartbeat-interval",
                Long.toString(HEARTBEAT.toMillis()),
                "--election-timeout",
                Long.toString(ELECTION_TIMEOUT.toMillis()),
                "--logger",
                "zap",
                "--log-level",
                "warn"));
        if (tls != null) {
            command.addAll(List.of(
                    "--cert-file",
                    tls.serverCertificate.toString(),
                    "--key-file",
                    tls.serverKey.toString(),
                    "--client-cert-auth",
                    "--trusted-ca-file",
                    tls.ca.toString()));
        }
        command.addAll(extraFlags);
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(m.log.toFile()));
            m.process = builder.start();
            ALL.add(m.process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binary, e);
        }
    }

    /** One member: its name, ports, data dir and process. */
    private static final class Member {
        final String name;
        final String scheme;
        final int clientPort;
        final int peerPort;
        final Path dataDir;
        final Path log;
        String initialCluster;
        volatile Process process;

        Member(String name, String scheme, int clientPort, int peerPort, Path dataDir) {
            this.name = name;
            this.scheme = scheme;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.dataDir = dataDir;
            this.log = dataDir.resolveSibling(name + ".log");
        }

        String clientUrl() {
            return scheme + "://127.0.0.1:" + clientPort;
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }
    }
}
