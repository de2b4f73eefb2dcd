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
package dev.baton.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Server limits: {@code session_ttl_min} reported as a bad TTL naming the setting, not as an outage; what watches cost
 * in connections (one blocking query per watched name and backend, however many wait on it), and a client past {@code
 * http_max_conns_per_client} seeing its calls fail as unavailable (429, retried within the request timeout), not as
 * refused.
 */
class ConsulLimitsTest {
    private static final WatchListener IGNORE = new WatchListener() {
        @Override
        public void onEvent(WatchEvent event) {}

        @Override
        public void onReset(String reason) {}
    };

    @Test
    void a_ttl_below_the_servers_session_ttl_min_is_an_illegal_argument_naming_the_setting() {
        try (ConsulEmulator consul = ConsulEmulator.start();
                ConsulBackend backend =
                        ConsulBackend.builder().agentAddress(consul.address()).build()) {
            consul.sessionTtlMin(Duration.ofSeconds(30));
            assertThatThrownBy(() -> backend.grantLease(Duration.ofSeconds(15)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("session_ttl_min")
                    .hasMessageContaining("Invalid Session TTL");
            assertThat(consul.sessions(backend.sessionName())).isZero();
            assertThat(backend.grantLease(Duration.ofSeconds(30))).isNotZero();
        }
    }

    @Test
    void watches_on_n_names_hold_n_connections_and_past_the_cap_calls_fail_as_unavailable() {
        int names = 12;
        try (ConsulEmulator consul = ConsulEmulator.start();
                ConsulBackend backend =
                        ConsulBackend.builder().agentAddress(consul.address()).build();
                ConsulBackend impatient = ConsulBackend.builder()
                        .agentAddress(consul.address())
                        .requestTimeout(Duration.ofSeconds(1))
                        .build()) {
            for (int i = 0; i < names; i++) {
                backend.createIfAbsent("q" + i + "/k", new byte[] {1}, Entry.NO_LEASE);
            }
            List<Watch> watches = new ArrayList<>();
            for (int i = 0; i < names; i++) {
                Listing listing = backend.list("q" + i);
                watches.add(backend.watch("q" + i + "/k", false, listing.revision(), IGNORE));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> consul.blockingQueries() >= names);
            System.out.printf(
                    Locale.ROOT,
                    "[baton-consul] watches on %d names: %d blocking queries, %d requests in flight from one client%n",
                    names,
                    consul.blockingQueries(),
                    consul.mostInFlightPerClient());
            assertThat(consul.mostBlockingQueries())
                    .as("one blocking query per watched name")
                    .isEqualTo(names);
            consul.maxConnsPerClient(names);
            assertThatThrownBy(() -> impatient.get("q0/k"))
                    .as("a call past the connection cap")
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("429");
            assertThat(consul.refusedForConnectionCap()).isPositive();
            watches.forEach(Watch::close);
            // The emulator does not see a client abort a held query (Consul does, by the connection closing), so the
            // cap is raised rather than waiting for the queries' 30 s waits to end.
            consul.maxConnsPerClient(ConsulEmulator.DEFAULT_MAX_CONNS_PER_CLIENT);
            assertThat(backend.get("q0/k")).isPresent();
        }
    }

    /**
     * Fifty waiters of one process queued on one lock name, under a connection cap of 8 per client: they share one
     * blocking query (the queue's prefix), so no request is refused, and every waiter acquires in turn, with increasing
     * fencing tokens. With one blocking query per waiting lock, the ninth waiter's query already exceeds the cap.
     */
    @Test
    void fifty_waiters_on_one_lock_name_share_one_blocking_query_and_stay_below_a_low_connection_cap()
            throws Exception {
        int waiters = 50;
        int cap = 8;
        try (ConsulEmulator consul = ConsulEmulator.start()) {
            consul.maxConnsPerClient(cap);
            try (Coordinator holderSide = coordinator(consul);
                    Coordinator waiterSide = coordinator(consul)) {
                LockHandle held = holderSide.lock("shared").acquire(Duration.ofSeconds(10));
                List<CompletableFuture<LockHandle>> queued = new ArrayList<>();
                for (int i = 0; i < waiters; i++) {
                    queued.add(waiterSide.lock("shared").acquireAsync());
                    int entries = i + 2;
                    // Queued one after the other, so that joining does not itself need many connections at once.
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> consul.keys("limits/").size() >= entries);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> consul.blockingQueries() >= 1);
                System.out.printf(
                        Locale.ROOT,
                        "[baton-consul] %d waiters on one lock name: %d blocking queries at most, %d requests in flight"
                                + " from one client at most, %d refused by the cap of %d%n",
                        waiters,
                        consul.mostBlockingQueries(),
                        consul.mostInFlightPerClient(),
                        consul.refusedForConnectionCap(),
                        cap);
                assertThat(consul.refusedForConnectionCap())
                        .as("requests refused by the cap of %d while %d waiters queued", cap, waiters)
                        .isZero();
                assertThat(consul.mostBlockingQueries())
                        .as("blocking queries held at once by %d waiters on one name", waiters)
                        .isEqualTo(1);
                long token = held.fencingToken();
                held.close();
                for (CompletableFuture<LockHandle> next : queued) {
                    LockHandle h = next.get(20, TimeUnit.SECONDS);
                    assertThat(h.fencingToken()).isGreaterThan(token);
                    token = h.fencingToken();
                    h.close();
                }
                assertThat(consul.refusedForConnectionCap())
                        .as("requests refused by the cap of %d during the hand-offs", cap)
                        .isZero();
                assertThat(consul.mostBlockingQueries())
                        .as("blocking queries held at once (one for the name; one more if it restarted)")
                        .isLessThanOrEqualTo(2);
            }
        }
    }

    private static Coordinator coordinator(ConsulEmulator consul) {
        return ConsulBackend.builder()
                .agentAddress(consul.address())
                .keyPrefix("limits")
                .coordinatorBuilder()
                .build();
    }
}
