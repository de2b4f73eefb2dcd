package dev.baton.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.Coordinator;
import dev.baton.lock.tck.FaultInjectingBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session-bound lease whose revoke failed (the coordinator's close could not reach the server) is not left on the
 * server: it can never be renewed once its client closes, and with no other client in the namespace no reaper would
 * ever expire it. Nothing else runs in these namespaces, so whatever the test finds left stays left.
 */
@Timeout(60)
class ZooKeeperLeaseLeakIT {
    private final ZooKeeperTckEnvironment env = new ZooKeeperTckEnvironment(ZooKeeperServers.single());

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void a_session_lease_whose_revoke_failed_at_coordinator_close_is_removed_when_the_backend_closes()
            throws Exception {
        FaultInjectingBackend backend = new FaultInjectingBackend(env.newBackend());
        Coordinator coordinator = Coordinator.builder(backend)
                .sessionTtl(ZooKeeperTckEnvironment.SESSION_TTL)
                .closeBackendOnClose(true)
                .build();
        coordinator.lock("jobs").acquire(Duration.ofSeconds(10));
        assertThat(env.liveLeases()).hasValue(1);

        backend.partition(); // the close's revoke cannot reach the server; the backend's own close still does
        coordinator.close();

        assertThat(env.liveLeases()).as("leases left after close").hasValue(0);
        assertThat(env.keysOnServer()).as("keys left after close").isEmpty();
    }

    @Test
    void a_session_bound_lease_never_revoked_is_removed_when_the_backend_closes() throws Exception {
        ZooKeeperBackend backend = env.builder().build();
        long lease = backend.grantLease(ZooKeeperTckEnvironment.SHORT_TTL);
        backend.createIfAbsent("locks/jobs/1", "x".getBytes(StandardCharsets.UTF_8), lease);

        backend.close();

        assertThat(env.liveLeases()).as("leases left after close").hasValue(0);
        assertThat(env.keysOnServer()).as("keys left after close").isEmpty();
    }
}
