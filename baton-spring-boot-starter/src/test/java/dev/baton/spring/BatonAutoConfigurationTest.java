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
package dev.baton.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.inmemory.InMemoryBackend;
import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import dev.baton.lock.SessionState;
import dev.baton.lock.tck.TckTimeouts;
import dev.baton.micrometer.BatonMetrics;
import dev.baton.shedlock.BatonLockProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The auto-configuration on the in-memory backend: which beans the properties give, backing off before the
 * application's own coordinator, metrics with and without Micrometer, the health indicator through a partition, and
 * the elected singleton's events when its coordinator is cut off or closed.
 */
@Timeout(60)
class BatonAutoConfigurationTest {
    private final String cluster = "auto-" + UUID.randomUUID();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    BatonAutoConfiguration.class,
                    BatonIntegrationAutoConfiguration.class,
                    BatonHealthAutoConfiguration.class,
                    BatonShedLockAutoConfiguration.class))
            .withBean(LeaderEvents.class);

    private static Duration patience() {
        return TckTimeouts.scaled(Duration.ofSeconds(10));
    }

    @Test
    void without_baton_uri_nothing_is_configured() {
        runner.run(context -> assertThat(context)
                .hasNotFailed()
                .doesNotHaveBean(Coordinator.class)
                .doesNotHaveBean(LockRegistry.class)
                .doesNotHaveBean(BatonHealthIndicator.class));
    }

    @Test
    void session_ttl_and_safety_margin_reach_the_builder() {
        // A margin of 3 s is fine for the default 10 s TTL, and too large for a 4 s one: both properties are applied.
        runner.withPropertyValues("baton.uri=inmemory:" + cluster, "baton.safety-margin=3s")
                .run(context -> assertThat(context).hasSingleBean(Coordinator.class));
        runner.withPropertyValues("baton.uri=inmemory:" + cluster, "baton.safety-margin=3s", "baton.session-ttl=4s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessage("safetyMargin (PT3S) must be less than half the sessionTtl (PT4S)"));
    }

    @Test
    void a_secret_given_as_a_property_never_appears_in_a_failure() {
        String secret = "S3cret-" + UUID.randomUUID();
        runner.withPropertyValues("baton.uri=inmemory:" + cluster, "baton.password=" + secret)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith("inmemory URI: unknown parameter 'password-env'")
                        .hasMessageNotContaining(secret));
    }

    @Test
    void backs_off_when_the_application_defines_a_coordinator() {
        try (Coordinator own =
                InMemoryBackend.builder().name(cluster).coordinatorBuilder().build()) {
            runner.withBean(Coordinator.class, () -> own)
                    .withPropertyValues("baton.uri=inmemory:" + cluster + "-unused", "baton.leader.role=leader")
                    .run(context -> {
                        assertThat(context).hasSingleBean(Coordinator.class);
                        assertThat(context.getBean(Coordinator.class)).isSameAs(own);
                        Lock lock = context.getBean(LockRegistry.class).obtain("backs-off");
                        assertThat(lock.tryLock()).isTrue();
                        assertThat(own.lock("backs-off").tryAcquire())
                                .as("the registry's lock is the application's coordinator's")
                                .isEmpty();
                        lock.unlock();
                        assertThat(context).hasSingleBean(BatonHealthIndicator.class);
                        await().atMost(patience())
                                .until(() -> context.getBean(LeaderEvents.class)
                                                .granted()
                                                .size()
                                        == 1);
                    });
        }
    }

    @Test
    void metrics_go_to_the_meter_registry_when_there_is_one() {
        MeterRegistry registry = new SimpleMeterRegistry();
        runner.withBean(MeterRegistry.class, () -> registry)
                .withPropertyValues("baton.uri=inmemory:" + cluster)
                .run(context -> {
                    Lock lock = context.getBean(LockRegistry.class).obtain("metered");
                    lock.lock();
                    lock.unlock();
                    await().atMost(patience())
                            .until(() -> registry.find(BatonMetrics.LOCK_ACQUISITIONS)
                                                    .counter()
                                            != null
                                    && registry.get(BatonMetrics.LOCK_ACQUISITIONS)
                                                    .counter()
                                                    .count()
                                            == 1);
                    assertThat(registry.get(BatonMetrics.SESSION_STATE)
                                    .tag(BatonMetrics.STATE_TAG, "connected")
                                    .gauge()
                                    .value())
                            .isEqualTo(1);
                });
    }

    @Test
    void without_micrometer_the_coordinator_starts_without_metrics() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, BatonMetrics.class))
                .withPropertyValues("baton.uri=inmemory:" + cluster)
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(Coordinator.class)
                        .doesNotHaveBean(CoordinatorBuilderCustomizer.class));
    }

    @Test
    void shedlock_jobs_get_a_baton_lock_provider_unless_the_application_has_one() {
        runner.withPropertyValues("baton.uri=inmemory:" + cluster).run(context -> {
            LockProvider provider = context.getBean(LockProvider.class);
            assertThat(provider).isInstanceOf(BatonLockProvider.class);
            LockConfiguration job =
                    new LockConfiguration(Instant.now(), "jobs/nightly", Duration.ofSeconds(30), Duration.ZERO);
            Optional<SimpleLock> taken = provider.lock(job);
            assertThat(taken).isPresent();
            assertThat(provider.lock(job)).as("refused while held").isEmpty();
            assertThat(((BatonLockProvider) provider).heldLock("jobs/nightly"))
                    .hasValueSatisfying(lock -> assertThat(lock.fencingToken()).isPositive());
            taken.get().unlock();
            assertThat(context.getBean(Coordinator.class).lock("jobs/nightly").tryAcquire())
                    .as("a Baton lock of the context's coordinator, released by unlock()")
                    .isPresent()
                    .hasValueSatisfying(LockHandle::close);
        });
        LockProvider own = configuration -> Optional.empty();
        runner.withPropertyValues("baton.uri=inmemory:" + cluster)
                .withBean(LockProvider.class, () -> own)
                .run(context -> assertThat(context.getBean(LockProvider.class)).isSameAs(own));
        runner.withClassLoader(new FilteredClassLoader(LockProvider.class))
                .withPropertyValues("baton.uri=inmemory:" + cluster)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BatonLockProvider.class));
    }

    @Test
    void without_spring_boot_health_there_is_no_health_indicator() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .withPropertyValues("baton.uri=inmemory:" + cluster)
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(Coordinator.class)
                        .doesNotHaveBean(BatonHealthIndicator.class));
    }

    @Test
    void health_is_up_while_connected_out_of_service_while_suspended_and_down_when_lost() {
        InMemoryBackend backend = InMemoryBackend.builder().name(cluster).build();
        try (Coordinator own = Coordinator.builder(backend)
                .sessionTtl(Duration.ofSeconds(1))
                .closeBackendOnClose(true)
                .build()) {
            runner.withBean(Coordinator.class, () -> own).run(context -> {
                BatonHealthIndicator health = context.getBean(BatonHealthIndicator.class);
                assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                assertThat(health.health().getDetails()).containsEntry("sessionState", "CONNECTED");
                backend.disconnect();
                await().atMost(patience())
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> health.health().getStatus().equals(Status.OUT_OF_SERVICE));
                await().atMost(patience())
                        .until(() -> health.health().getStatus().equals(Status.DOWN));
                assertThat(health.health().getDetails()).containsEntry("sessionState", "LOST");
                backend.reconnect();
                await().atMost(patience())
                        .until(() -> health.health().getStatus().equals(Status.UP));
            });
            assertThat(BatonHealthIndicator.status(SessionState.CLOSED)).isEqualTo(Status.DOWN);
        }
    }

    @Test
    void singleton_is_revoked_when_its_coordinator_is_cut_off_and_granted_again_after() {
        InMemoryBackend backend = InMemoryBackend.builder().name(cluster).build();
        try (Coordinator own = Coordinator.builder(backend)
                .sessionTtl(Duration.ofSeconds(1))
                .closeBackendOnClose(true)
                .build()) {
            runner.withBean(Coordinator.class, () -> own)
                    .withPropertyValues("baton.leader.role=cut-off")
                    .run(context -> {
                        LeaderEvents events = context.getBean(LeaderEvents.class);
                        await().atMost(patience()).until(() -> events.granted().size() == 1);
                        BatonLeaderContext first =
                                (BatonLeaderContext) events.granted().get(0).getContext();
                        assertThat(first.fencingToken()).isPositive();
                        backend.disconnect();
                        await().atMost(patience()).until(() -> events.revoked().size() == 1);
                        assertThat(events.revoked().get(0).getContext()).isSameAs(first);
                        assertThat(first.isLeader()).isFalse();
                        backend.reconnect();
                        await().atMost(patience()).until(() -> events.granted().size() == 2);
                        assertThat(((BatonLeaderContext) events.granted().get(1).getContext()).fencingToken())
                                .isGreaterThan(first.fencingToken());
                    });
        }
    }

    @Test
    void singleton_is_revoked_when_its_coordinator_is_closed() {
        Coordinator own =
                InMemoryBackend.builder().name(cluster).coordinatorBuilder().build();
        runner.withBean(Coordinator.class, () -> own)
                .withPropertyValues("baton.leader.role=closed")
                .run(context -> {
                    LeaderEvents events = context.getBean(LeaderEvents.class);
                    await().atMost(patience()).until(() -> events.granted().size() == 1);
                    own.close();
                    await().atMost(patience()).until(() -> events.revoked().size() == 1);
                    assertThat(context.getBean(BatonLeaderInitiator.class).currentFencingToken())
                            .isEmpty();
                });
    }
}
