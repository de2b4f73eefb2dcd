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
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The Actuator health indicator {@code baton} ({@link BatonHealthIndicator}) of the context's {@link Coordinator},
 * when Spring Boot's health module is on the class path; {@code management.health.baton.enabled=false} turns it off.
 */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Coordinator.class)
@ConditionalOnEnabledHealthIndicator("baton")
public class BatonHealthAutoConfiguration {
    /** Creates the auto-configuration; Spring calls it. */
    public BatonHealthAutoConfiguration() {}

    /**
     * The health indicator, named {@code baton} after its bean.
     *
     * @param coordinator the coordinator
     * @return the indicator
     */
    @Bean(name = "batonHealthIndicator")
    @ConditionalOnMissingBean(name = "batonHealthIndicator")
    public BatonHealthIndicator batonHealthIndicator(Coordinator coordinator) {
        return new BatonHealthIndicator(coordinator);
    }
}
