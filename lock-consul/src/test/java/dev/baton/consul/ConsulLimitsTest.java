package dev.baton.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Server limits: {@code session_ttl_min} reported as a bad TTL naming the setting, not as an outage; what N waiting
 * watches cost in connections, and a client past {@code http_max_conns_per_client} seeing its calls fail as unavailable
 * (429, retried within the request timeout), not as refused.
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
    void n_waiting_watches_hold_n_connections_and_past_the_cap_calls_fail_as_unavailable() {
        int waiters = 12;
        try (ConsulEmulator consul = ConsulEmulator.start();
                ConsulBackend backend =
                        ConsulBackend.builder().agentAddress(consul.address()).build();
                ConsulBackend impatient = ConsulBackend.builder()
                        .agentAddress(consul.address())
                        .requestTimeout(Duration.ofSeconds(1))
                        .build()) {
            for (int i = 0; i < waiters; i++) {
                backend.createIfAbsent("q/" + i, new byte[] {1}, Entry.NO_LEASE);
            }
            Listing listing = backend.list("q");
            List<Watch> watches = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                watches.add(backend.watch("q/" + i, false, listing.revision(), IGNORE));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> consul.mostInFlightPerClient() >= waiters);
            System.out.printf(
                    Locale.ROOT,
                    "[baton-consul] %d waiting watches: %d requests in flight from one client%n",
                    waiters,
                    consul.mostInFlightPerClient());
            consul.maxConnsPerClient(waiters);
            assertThatThrownBy(() -> impatient.get("q/0"))
                    .as("a call past the connection cap")
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("429");
            assertThat(consul.refusedForConnectionCap()).isPositive();
            watches.forEach(Watch::close);
            // The emulator does not see a client abort a held query (Consul does, by the connection closing), so the
            // cap is raised rather than waiting for the queries' 30 s waits to end.
            consul.maxConnsPerClient(ConsulEmulator.DEFAULT_MAX_CONNS_PER_CLIENT);
            assertThat(backend.get("q/0")).isPresent();
        }
    }
}
