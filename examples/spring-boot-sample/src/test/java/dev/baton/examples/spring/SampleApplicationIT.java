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
package dev.baton.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.baton.etcd.EtcdCluster;
import dev.baton.lock.tck.TckTimeouts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a real single-node etcd (lock-etcd's fixture: a missing etcd fails this test when {@code
 * BATON_REQUIRE_BACKENDS} names etcd) and the sample application on it, configured by its {@code
 * application.properties} with only the URI's port changed (the fixture's etcd listens on a free port) and a web
 * server on a random port, then checks over HTTP what the sample promises: Baton's health and meters at the Actuator
 * endpoints, runs of the scheduled job under ShedLock with a Baton lock, and the elected singleton's term with its token.
 */
@Timeout(120)
class SampleApplicationIT {
    private static EtcdCluster etcd;
    private static ConfigurableApplicationContext app;
    private static String base;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        etcd = EtcdCluster.start(1);
        URI endpoint = URI.create(etcd.endpoints()[0]);
        app = SpringApplication.run(
                SampleApplication.class,
                "--baton.uri=etcd://127.0.0.1:" + endpoint.getPort() + "/baton-sample",
                "--server.port=0",
                "--sample.job.interval=200ms");
        base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private static String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET " + path + ": " + response.body())
                .isEqualTo(200);
        return response.body();
    }

    private static Duration patience() {
        return TckTimeouts.scaled(Duration.ofSeconds(30));
    }

    @Test
    void health_shows_baton_up_from_the_session_state() throws Exception {
        String health = get("/actuator/health");
        assertThat(JsonPath.<String>read(health, "$.status")).isEqualTo("UP");
        assertThat(JsonPath.<String>read(health, "$.components.baton.status")).isEqualTo("UP");
        assertThat(JsonPath.<String>read(health, "$.components.baton.details.sessionState"))
                .isEqualTo("CONNECTED");
    }

    @Test
    void the_scheduled_job_runs_under_shedlock_and_the_singleton_is_elected() {
        await().atMost(patience()).untilAsserted(() -> {
            String status = get("/sample/status");
            assertThat(JsonPath.<Integer>read(status, "$.jobRuns"))
                    .as("job runs")
                    .isGreaterThanOrEqualTo(2);
            assertThat(JsonPath.<Number>read(status, "$.jobToken").longValue())
                    .as("the job's fencing token")
                    .isPositive();
            assertThat(JsonPath.<Integer>read(status, "$.leaderGrants"))
                    .as("OnGrantedEvents received")
                    .isEqualTo(1);
            assertThat(JsonPath.<Number>read(status, "$.leaderToken").longValue())
                    .as("the term's fencing token")
                    .isPositive();
        });
    }

    @Test
    void metrics_endpoint_lists_batons_meters() {
        await().atMost(patience()).untilAsserted(() -> {
            List<String> names = JsonPath.read(get("/actuator/metrics"), "$.names");
            assertThat(names)
                    .contains(
                            "baton.session.state",
                            "baton.session.renewal",
                            "baton.lock.acquisitions",
                            "baton.lock.wait",
                            "baton.lock.held",
                            "baton.election.won");
            String acquisitions = get("/actuator/metrics/baton.lock.acquisitions");
            assertThat(JsonPath.<Double>read(acquisitions, "$.measurements[0].value"))
                    .as("acquisitions counted")
                    .isGreaterThanOrEqualTo(1.0);
            String connected = get("/actuator/metrics/baton.session.state?tag=state:connected");
            assertThat(JsonPath.<Double>read(connected, "$.measurements[0].value"))
                    .isEqualTo(1.0);
        });
    }
}
