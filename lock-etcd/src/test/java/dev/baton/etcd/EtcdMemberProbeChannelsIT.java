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

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.etcd.internal.LeaderChangeGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The member probes of the leader-change rule reuse one gRPC channel per member and close every channel with the
 * backend, also when a member is stopped (SIGSTOP: its sockets stay open, it answers nothing). Channels are counted
 * from gRPC's own channel log ({@code io.grpc.ChannelLogger} at FINEST: "[id] Channel for 'target' created",
 * "[id] shutdown() called").
 *
 * <p>Before the fix, every probe asked each member through jetcd's {@code Maintenance.statusMember}, which builds a new
 * channel per call and shuts it down only when the call completes: the stopped member got one new channel per probe,
 * none of them shut down, and gRPC later logged SEVERE "ManagedChannel ... was garbage collected without being shut
 * down".
 */
class EtcdMemberProbeChannelsIT {
    private static final int PROBES = 5;
    /** gRPC's channel log; held here so that its level stays set. */
    private static final Logger CHANNEL_LOG = Logger.getLogger("io.grpc.ChannelLogger");

    private static final Pattern CREATED = Pattern.compile("^\\[(.+?)\\] Channel for '(.*)' created$");
    private static final Pattern SHUTDOWN = Pattern.compile("^\\[(.+?)\\] shutdown(Now)?\\(\\) called$");

    @Test
    void probes_reuse_one_channel_per_member_and_close_them_all_with_the_backend() throws Exception {
        List<String> lines = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (lines) {
                    lines.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level level = CHANNEL_LOG.getLevel();
        CHANNEL_LOG.setLevel(Level.FINEST);
        CHANNEL_LOG.addHandler(handler);
        try (EtcdCluster cluster = EtcdCluster.start(3)) {
            cluster.awaitHealthy(Duration.ofSeconds(30));
            String paused = ":" + cluster.clientPort(2) + "'";
            EtcdBackend backend = cluster.builder("probe-channels-it").build();
            int start;
            synchronized (lines) {
                start = lines.size(); // the fixture's own health checks built channels before: count from here on
            }
            try {
                MemberProbes probes = backend.memberProbes();
                assertThat(probes.probe().answers())
                        .as("members answering before the pause")
                        .hasSize(3);
                cluster.pause(2);
                try {
                    for (int i = 0; i < PROBES; i++) {
                        long started = System.nanoTime();
                        LeaderChangeGuard.ClusterStatus status = probes.probe();
                        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                        assertThat(status.members()).hasSize(3);
                        assertThat(status.answers())
                                .as("members answering while one is stopped")
                                .hasSize(2);
                        assertThat(took).as("ms one probe took (1 s deadline)").isLessThan(3_000);
                    }
                    assertThat(created(lines, start, paused))
                            .as("channels built to the stopped member over %d probes", PROBES + 1)
                            .hasSize(1);
                } finally {
                    backend.close();
                    cluster.resume(2);
                }
                Set<String> all = created(lines, start, "'");
                assertThat(all)
                        .as("channels built by the probes, in %s", createdLines(lines, start))
                        .hasSize(3);
                assertThat(shutDown(lines)).as("channels shut down by close()").containsAll(all);
                Figures.print("probe-channels", "%d probes with one member stopped: 3 channels, all shut down", PROBES);
            } finally {
                backend.close();
            }
        } finally {
            CHANNEL_LOG.removeHandler(handler);
            CHANNEL_LOG.setLevel(level);
        }
    }

    /** The ids of the channels created since {@code start} to one member whose target contains {@code target}. */
    private static Set<String> created(List<String> lines, int start, String target) {
        Set<String> ids = new HashSet<>();
        synchronized (lines) {
            for (String line : lines.subList(start, lines.size())) {
                Matcher m = CREATED.matcher(line);
                if (m.matches()
                        && (m.group(2) + "'").contains(target)
                        && !m.group(2).contains(",")) {
                    ids.add(m.group(1));
                }
            }
        }
        return ids;
    }

    private static List<String> createdLines(List<String> lines, int start) {
        List<String> found = new ArrayList<>();
        synchronized (lines) {
            for (String line : lines.subList(start, lines.size())) {
                if (CREATED.matcher(line).matches()) {
                    found.add(line);
                }
            }
        }
        return found;
    }

    private static Set<String> shutDown(List<String> lines) {
        Set<String> ids = new HashSet<>();
        synchronized (lines) {
            for (String line : lines) {
                Matcher m = SHUTDOWN.matcher(line);
                if (m.matches()) {
                    ids.add(m.group(1));
                }
            }
        }
        return ids;
    }
}
