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

import dev.baton.lock.tck.RequiredBackends;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway PKI for the TLS tests, made with the {@code openssl} command-line tool into a directory the test owns: a
 * CA, a server certificate for {@code 127.0.0.1} (IP SAN, serverAuth) signed by it, a client certificate (clientAuth)
 * signed by it, and a second, unrelated CA to stand for a wrong trust anchor. Keys are P-256 EC keys in PKCS#8 PEM
 * (what {@link EtcdBackend.Builder#tlsClientCertificate(Path, Path)} reads and etcd accepts), valid for one day.
 *
 * <p>Immutable once generated.
 */
final class TestCertificates {
    final Path ca;
    final Path otherCa;
    final Path serverCertificate;
    final Path serverKey;
    final Path clientCertificate;
    final Path clientKey;

    private TestCertificates(Path dir) {
        this.ca = dir.resolve("ca.pem");
        this.otherCa = dir.resolve("other-ca.pem");
        this.serverCertificate = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server-key.pem");
        this.clientCertificate = dir.resolve("client.pem");
        this.clientKey = dir.resolve("client-key.pem");
    }

    /**
     * Generates every file into {@code dir}; reports a missing {@code openssl} through {@link RequiredBackends} (the
     * TLS test cannot run without it).
     */
    static TestCertificates generate(Path dir) {
        Path openssl = openssl();
        TestCertificates certs = new TestCertificates(dir);
        try {
            Files.writeString(
                    dir.resolve("server.ext"),
                    "basicConstraints=critical,CA:FALSE\n"
                            + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                            + "extendedKeyUsage=serverAuth\n"
                            + "subjectAltName=IP:127.0.0.1\n",
                    StandardCharsets.US_ASCII);
            Files.writeString(
                    dir.resolve("client.ext"),
                    "basicConstraints=critical,CA:FALSE\n"
                            + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                            + "extendedKeyUsage=clientAuth\n",
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        certs.selfSignedCa(openssl, dir, "ca", "baton test CA");
        certs.selfSignedCa(openssl, dir, "other-ca", "baton unrelated CA");
        certs.signed(openssl, dir, "server", "127.0.0.1", "server.ext");
        certs.signed(openssl, dir, "client", "baton-test-client", "client.ext");
        return certs;
    }

    private void selfSignedCa(Path openssl, Path dir, String name, String subject) {
        key(openssl, dir, name);
        run(
                dir,
                openssl.toString(),
                "req",
                "-x509",
                "-new",
                "-key",
                name + "-key.pem",
                "-subj",
                "/CN=" + subject,
                "-days",
                "1",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-out",
                name + ".pem");
    }

    private void signed(Path openssl, Path dir, String name, String subject, String extensions) {
        key(openssl, dir, name);
        run(
                dir,
                openssl.toString(),
                "req",
                "-new",
                "-key",
                name + "-key.pem",
                "-subj",
                "/CN=" + subject,
                "-out",
                name + ".csr");
        run(
                dir,
                openssl.toString(),
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca-key.pem",
                "-CAcreateserial",
                "-days",
                "1",
                "-extfile",
                extensions,
                "-out",
                name + ".pem");
    }

    private static void key(Path openssl, Path dir, String name) {
        run(
                dir,
                openssl.toString(),
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                name + "-key.pem");
    }

    private static void run(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 30 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with " + process.exitValue() + ": "
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Path openssl() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Paths.get(dir, "openssl"));
                }
            }
        }
        candidates.add(Paths.get("/usr/bin/openssl"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw RequiredBackends.fromEnvironment()
                .unavailable(
                        "etcd",
                        "no openssl on the PATH or at /usr/bin/openssl (apt-get install openssl), which the etcd TLS"
                                + " test needs to make its throwaway certificates");
    }
}
