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

import dev.baton.lock.Coordinator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Spring Integration over the context's {@link Coordinator} (the auto-configured one or the application's own): a
 * {@link BatonLockRegistry} unless the application defines a {@link LockRegistry}, and a {@link BatonLeaderInitiator}
 * when {@code baton.leader.role} is set.
 */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnBean(Coordinator.class)
@EnableConfigurationProperties(BatonProperties.class)
public class BatonIntegrationAutoConfiguration {
    /** Creates the auto-configuration; Spring calls it. */
    public BatonIntegrationAutoConfiguration() {}

    /**
     * The lock registry.
     *
     * @param coordinator the coordinator
     * @return the registry
     */
    @Bean
    @ConditionalOnMissingBean(LockRegistry.class)
    public BatonLockRegistry batonLockRegistry(Coordinator coordinator) {
        return new BatonLockRegistry(coordinator);
    }

    /**
     * The elected singleton of {@code baton.leader.role}, whose candidate id is {@code baton.leader.candidate-id}
     * or the coordinator's id.
     *
     * @param coordinator the coordinator
     * @param properties the {@code baton.*} properties
     * @return the initiator
     */
    @Bean
    @ConditionalOnMissingBean(BatonLeaderInitiator.class)
    @ConditionalOnProperty(prefix = "baton.leader", name = "role")
    public BatonLeaderInitiator batonLeaderInitiator(Coordinator coordinator, BatonProperties properties) {
        BatonProperties.Leader leader = properties.getLeader();
        String id = leader.getCandidateId() == null ? coordinator.id() : leader.getCandidateId();
        BatonLeaderInitiator initiator =
                new BatonLeaderInitiator(coordinator, new DefaultCandidate(id, leader.getRole()));
        initiator.setAutoStartup(leader.isAutoStartup());
        return initiator;
    }
}
