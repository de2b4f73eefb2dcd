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

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The application the starter tests start: auto-configuration only, a recorder of leadership events, and (with
 * {@code test.lock-registry-initiator=true}) Spring Integration's {@link LockRegistryLeaderInitiator} over whatever
 * {@link LockRegistry} the context has, as an application written for Spring's registries declares it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class StarterTestApplication {
    @Bean
    LeaderEvents leaderEvents() {
        return new LeaderEvents();
    }

    @Bean
    @ConditionalOnProperty("test.lock-registry-initiator")
    LockRegistryLeaderInitiator lockRegistryLeaderInitiator(LockRegistry<?> registry) {
        LockRegistryLeaderInitiator initiator =
                new LockRegistryLeaderInitiator(registry, new DefaultCandidate(null, "registry-leader"));
        initiator.setHeartBeatMillis(100);
        initiator.setBusyWaitMillis(50);
        return initiator;
    }
}
