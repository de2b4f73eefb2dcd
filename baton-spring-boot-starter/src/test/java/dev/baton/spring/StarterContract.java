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

import dev.baton.lock.Coordinator;
import dev.baton.lock.SessionState;
import dev.baton.lock.tck.TckTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * What the starter gives an application, checked in real application contexts (Spring Boot's auto-configuration,
 * Actuator included) on one backend: each test starts two applications, each with a coordinator of its own built
 * from {@code baton.*} properties alone, in a namespace (or in-memory cluster) of its own. Subclasses name the
 * backend.
 */
@Timeout(90)
abstract class StarterContract {
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    /** A fresh namespace (or in-memory cluster) for one test. */
    protected final String unique = "starter-" + UUID.randomUUID().toString().substring(0, 8);

    /**
     * The properties that connect an application to this test's namespace on the backend: {@code baton.uri} and
     * whatever else the backend needs.
     */
    protected abstract Map<String, Object> connection();

    /**
     * Checks what the properties of {@code app}, whose registry holds the lock {@code orders/42}, became on the
     * server; nothing by default.
     */
    protected void checkServerSide(ConfigurableApplicationContext app) throws Exception {}

    @AfterEach
    void closeContexts() {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
    }

    /** Starts an application from the connection properties and {@code extra} ones. */
    protected ConfigurableApplicationContext start(Object... extra) {
        Map<String, Object> properties = new java.util.LinkedHashMap<>(connection());
        properties.putIfAbsent("baton.session-ttl", "5s");
        properties.put("spring.main.banner-mode", "off");
        properties.put("logging.level.root", "WARN");
        for (int i = 0; i < extra.length; i += 2) {
            properties.put((String) extra[i], extra[i + 1]);
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(StarterTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties)
                .run();
        contexts.add(context);
        return context;
    }

    protected static Duration patience() {
        return TckTimeouts.scaled(Duration.ofSeconds(20));
    }

    @Test
    void properties_give_coordinators_whose_lock_registries_exclude_each_other() throws Exception {
        ConfigurableApplicationContext app = start();
        Coordinator coordinator = app.getBean(Coordinator.class);
        assertThat(coordinator.sessionState()).isEqualTo(SessionState.CONNECTED);
        assertThat(app.getBean("batonHealthIndicator", HealthIndicator.class)
                        .health()
                        .getStatus())
                .isEqualTo(Status.UP);
        LockRegistry<?> a = app.getBean(LockRegistry.class);
        assertThat(a).isInstanceOf(BatonLockRegistry.class);
        LockRegistry<?> b = start().getBean(LockRegistry.class);
        Lock held = a.obtain("orders/42");
        assertThat(held.tryLock(5, TimeUnit.SECONDS)).isTrue();
        long first = ((BatonLock) held).fencingToken();
        checkServerSide(app);
        Lock other = b.obtain("orders/42");
        assertThat(other.tryLock()).as("held by the other application").isFalse();
        assertThat(other.tryLock(300, TimeUnit.MILLISECONDS))
                .as("still held after the timeout")
                .isFalse();
        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
            other.lock();
            try {
                return ((BatonLock) other).fencingToken();
            } finally {
                other.unlock();
            }
        });
        held.unlock();
        assertThat(waiter.get(patience().toMillis(), TimeUnit.MILLISECONDS))
                .as("the waiter got it after the unlock, with a greater token")
                .isGreaterThan(first);
        app.close();
        assertThat(coordinator.sessionState()).as("closed with its context").isEqualTo(SessionState.CLOSED);
    }

    @Test
    void lock_registry_leader_initiator_over_the_baton_registry_elects_exactly_one() {
        ConfigurableApplicationContext a = start("test.lock-registry-initiator", "true");
        ConfigurableApplicationContext b = start("test.lock-registry-initiator", "true");
        LockRegistryLeaderInitiator initiatorA = a.getBean(LockRegistryLeaderInitiator.class);
        LockRegistryLeaderInitiator initiatorB = b.getBean(LockRegistryLeaderInitiator.class);
        LeaderEvents eventsA = a.getBean(LeaderEvents.class);
        LeaderEvents eventsB = b.getBean(LeaderEvents.class);
        await().atMost(patience())
                .until(() -> initiatorA.getContext().isLeader()
                        || initiatorB.getContext().isLeader());
        // Several heartbeats (100 ms) of both initiators: never two leaders at once, and one at the end.
        await().during(Duration.ofMillis(1500))
                .atMost(patience())
                .until(() -> !(initiatorA.getContext().isLeader()
                        && initiatorB.getContext().isLeader()));
        await().atMost(patience())
                .until(() -> initiatorA.getContext().isLeader()
                        != initiatorB.getContext().isLeader());
        assertThat(eventsA.granted().size() + eventsB.granted().size())
                .as("granted events")
                .isPositive();
        boolean aLeads = initiatorA.getContext().isLeader();
        LockRegistryLeaderInitiator follower = aLeads ? initiatorB : initiatorA;
        // Stopping the leader's application releases its lock (Spring Integration's initiator publishes its revoked
        // event from its own thread, possibly after the context closed: not checked here).
        (aLeads ? a : b).close();
        await().atMost(patience()).until(() -> follower.getContext().isLeader());
    }

    @Test
    void elected_singleton_publishes_granted_and_revoked_events_with_the_terms_token() {
        ConfigurableApplicationContext a = start("baton.leader.role", "jobs/leader", "baton.leader.candidate-id", "a");
        ConfigurableApplicationContext b = start("baton.leader.role", "jobs/leader", "baton.leader.candidate-id", "b");
        BatonLeaderInitiator initiatorA = a.getBean(BatonLeaderInitiator.class);
        BatonLeaderInitiator initiatorB = b.getBean(BatonLeaderInitiator.class);
        await().atMost(patience())
                .until(() -> initiatorA.currentFencingToken().isPresent()
                        || initiatorB.currentFencingToken().isPresent());
        boolean aLeads = initiatorA.currentFencingToken().isPresent();
        ConfigurableApplicationContext leader = aLeads ? a : b;
        BatonLeaderInitiator leading = aLeads ? initiatorA : initiatorB;
        BatonLeaderInitiator following = aLeads ? initiatorB : initiatorA;
        LeaderEvents leaderEvents = leader.getBean(LeaderEvents.class);
        assertThat(leading.getCandidate().getId()).isEqualTo(aLeads ? "a" : "b");
        assertThat(following.currentFencingToken()).as("one leader").isEmpty();
        BatonLeaderContext term = leading.getContext().orElseThrow();
        long token = term.fencingToken();
        assertThat(token).isPositive();
        OnGrantedEvent granted =
                leaderEvents.granted().get(leaderEvents.granted().size() - 1);
        assertThat(granted.getRole()).isEqualTo("jobs/leader");
        assertThat(granted.getContext()).as("the event's context is the term's").isSameAs(term);
        leader.close();
        assertThat(leaderEvents.revoked())
                .as("revoked when its application stopped, before close() returned")
                .isNotEmpty();
        OnRevokedEvent revoked =
                leaderEvents.revoked().get(leaderEvents.revoked().size() - 1);
        assertThat(revoked.getContext()).isSameAs(term);
        assertThat(revoked.getContext().isLeader()).isFalse();
        assertThat(leading.currentFencingToken()).isEmpty();
        await().atMost(patience()).until(() -> following.currentFencingToken().isPresent());
        assertThat(following.currentFencingToken().getAsLong())
                .as("the next term's token")
                .isGreaterThan(token);
        LeaderEvents followerEvents = (aLeads ? b : a).getBean(LeaderEvents.class);
        assertThat(followerEvents.granted()).isNotEmpty();
    }
}
