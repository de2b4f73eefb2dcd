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
package dev.baton.consul.tck;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.baton.lock.tck.RequiredBackends;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.consul.ConsulContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The real Consul the real-agent kit runs against, found once per JVM: the agent named by {@code CONSUL_HTTP_ADDR}
 * (with {@code CONSUL_HTTP_TOKEN} if ACLs are on), or else, when a Docker engine answers, a Consul dev agent in a
 * container ({@value #IMAGE}, HTTP port published on 127.0.0.1 only) started through Testcontainers and stopped when
 * the JVM exits (a shutdown hook; Testcontainers' reaper removes it if the JVM dies).
 *
 * <p>With neither, every test of the kit fails through {@link RequiredBackends} under the name {@code consul-agent},
 * whatever {@code BATON_REQUIRE_BACKENDS} says: the kit runs only in the {@code consul-agent} Maven profile (or when
 * someone runs the class by name), so someone asked for a real Consul, and a skip would hide that there was none. CI
 * never turns the profile on and verifies Consul with the emulator.
 */
final class RealConsul {
    /** The Consul image the container path uses. */
    static final String IMAGE = "hashicorp/consul:1.20";

    private static final Logger LOG = LoggerFactory.getLogger(RealConsul.class);
    private static final int HTTP_PORT = 8500;
    private static final int GRPC_PORT = 8502;

    private static String address;
    private static String token;
    private static String missing;

    private RealConsul() {}

    /**
     * Returns the agent's address, finding or starting it on the first call.
     *
     * @return {@code http://host:port}
     * @throws AssertionError if there is no real Consul to run against
     */
    static synchronized String address() {
        if (address == null && missing == null) {
            find();
        }
        if (missing != null) {
            throw RequiredBackends.parse(System.getenv(RequiredBackends.VARIABLE) + ",consul-agent")
                    .unavailable(
                            "consul-agent",
                            missing + "; the real-agent kit runs only when a real Consul was asked for (profile"
                                    + " consul-agent, CONSUL_HTTP_ADDR, or the class run by name), so it fails");
        }
        return address;
    }

    /**
     * Returns the ACL token for the agent, or null.
     *
     * @return the token
     */
    static synchronized String token() {
        return token;
    }

    private static void find() {
        String env = System.getenv("CONSUL_HTTP_ADDR");
        if (env != null && !env.isBlank()) {
            String a = env.trim().contains("://") ? env.trim() : "http://" + env.trim();
            String t = System.getenv("CONSUL_HTTP_TOKEN");
            String problem = probe(a, t);
            if (problem != null) {
                missing = "CONSUL_HTTP_ADDR=" + env.trim() + " does not answer (" + problem + ")";
            } else {
                address = a;
                token = t == null || t.isBlank() ? null : t;
            }
            return;
        }
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        if (!docker) {
            missing = "CONSUL_HTTP_ADDR is unset and Testcontainers finds no Docker engine to start " + IMAGE
                    + " in; set CONSUL_HTTP_ADDR to an agent, or start Docker";
            return;
        }
        try {
            ConsulContainer consul = new ConsulContainer(DockerImageName.parse(IMAGE))
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                            .withPortBindings(
                                    new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(HTTP_PORT)),
                                    new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(GRPC_PORT))));
            consul.start();
            Runtime.getRuntime().addShutdownHook(new Thread(consul::stop, "consul-container-stop"));
            address = "http://" + consul.getHost() + ":" + consul.getMappedPort(HTTP_PORT);
            LOG.warn("[baton-consul] real-agent kit runs against a {} container at {}", IMAGE, address);
        } catch (RuntimeException e) {
            missing = "a Docker engine answers but the " + IMAGE + " container did not start: " + e;
        }
    }

    /** Any HTTP answer from {@code /v1/status/leader} counts: a 403 is the token's problem, for the tests to report. */
    private static String probe(String agent, String token) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(agent + "/v1/status/leader"))
                .timeout(Duration.ofSeconds(5))
                .GET();
        if (token != null && !token.isBlank()) {
            request.header("X-Consul-Token", token);
        }
        try {
            client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.toString();
        }
    }
}
