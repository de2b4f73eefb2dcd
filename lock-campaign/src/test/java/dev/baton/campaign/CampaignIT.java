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

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.tck.RequiredBackends;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short campaign CI runs: 40 s of faults per backend with 3 client JVMs, on a fixed seed per backend (override with
 * {@code -Dbaton.campaign.seed=N} to replay another). Each run must keep every safety check at 0, inject faults, hand
 * the lock over and leave nothing on the server. The full campaign (5 minutes and more) runs on demand with {@code
 * lock-campaign/run}; see RELIABILITY.md.
 */
class CampaignIT {
    private static final Duration DURATION = Duration.ofSeconds(40);

    @Test
    @Timeout(300)
    void etcd_short_campaign_is_safe() throws Exception {
        if (EtcdServers.binary() == null) {
            throw RequiredBackends.fromEnvironment()
                    .unavailable("etcd", "no etcd binary (BATON_ETCD_BINARY unset, no etcd on the PATH)");
        }
        runAndCheck("etcd", 1101);
    }

    @Test
    @Timeout(300)
    void zookeeper_short_campaign_is_safe() throws Exception {
        runAndCheck("zookeeper", 2202);
    }

    @Test
    @Timeout(300)
    void consul_emulator_short_campaign_is_safe() throws Exception {
        runAndCheck("consul", 3303);
    }

    private static void runAndCheck(String backend, long defaultSeed) throws Exception {
        long seed = Long.getLong("baton.campaign.seed", defaultSeed);
        Path out = Path.of("target", "campaign-it", backend + "-" + seed);
        Processes.deleteTree(out.toFile()); // an earlier run's logs, kept until now for reading
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Campaign.Result r = Campaign.run(new Campaign.Config(backend, DURATION, seed, 3, out), tee);
        String summary = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(summary);
        assertThat(r.locks().overlaps())
                .as("overlaps between valid holders\n%s", summary)
                .isZero();
        assertThat(r.locks().tokenOrderViolations())
                .as("token order\n%s", summary)
                .isZero();
        assertThat(r.terms().overlaps()).as("two valid leaders\n%s", summary).isZero();
        assertThat(r.terms().tokenOrderViolations())
                .as("term token order\n%s", summary)
                .isZero();
        assertThat(r.singletons().overlaps())
                .as("two singleton tasks at once\n%s", summary)
                .isZero();
        assertThat(r.staleAccepted()).as("stale writes accepted\n%s", summary).isZero();
        assertThat(r.leftovers())
                .as("left on the server after close\n%s", summary)
                .isEmpty();
        assertThat(r.clockChecksFailed()).as("clock checks\n%s", summary).isZero();
        assertThat(r.faultCount()).as("faults injected\n%s", summary).isPositive();
        assertThat(r.acquisitions()).as("acquisitions\n%s", summary).isGreaterThan(20);
        assertThat(r.elections()).as("election terms\n%s", summary).isGreaterThan(2);
        assertThat(out.resolve("timeline.html"))
                .as("the run's timeline\n%s", summary)
                .isNotEmptyFile();
    }
}
