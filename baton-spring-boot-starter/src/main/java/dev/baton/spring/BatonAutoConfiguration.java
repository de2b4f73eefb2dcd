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
import dev.baton.lock.CoordinatorBuilder;
import dev.baton.micrometer.BatonMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Auto-configures a {@link Coordinator} from the {@code baton.*} properties ({@link BatonProperties}) when {@code
 * baton.uri} is set and the application defines no coordinator of its own. The coordinator is closed when the
 * context closes (which releases every lock and term it holds). The URI's {@code *-env} parameters, {@code
 * baton.password} and {@code baton.token} are read through Spring's {@link Environment}, so a secret may come from
 * any property source, environment variables included, and is never written into the URI nor logged.
 *
 * <p>With {@code baton-micrometer} and Micrometer on the class path and a {@link MeterRegistry} bean in the context,
 * the coordinator records its metrics there ({@link BatonMetrics}); without them nothing of Micrometer is loaded.
 */
@AutoConfiguration
@EnableConfigurationProperties(BatonProperties.class)
public class BatonAutoConfiguration {
    /** Creates the auto-configuration; Spring calls it. */
    public BatonAutoConfiguration() {}

    /**
     * The coordinator, built from {@code baton.uri} and the other properties, then the customizers.
     *
     * @param properties the {@code baton.*} properties
     * @param environment resolves the secrets the URI names
     * @param customizers applied in order after the properties
     * @return the coordinator, closed with the context
     * @throws IllegalArgumentException naming the property or URI parameter to fix
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Coordinator.class)
    @ConditionalOnProperty(prefix = "baton", name = "uri")
    public Coordinator batonCoordinator(
            BatonProperties properties,
            Environment environment,
            ObjectProvider<CoordinatorBuilderCustomizer> customizers) {
        CoordinatorBuilder builder = Coordinator.builder(
                CoordinatorUri.compose(properties, environment::getProperty), environment::getProperty);
        if (properties.getSessionTtl() != null) {
            builder.sessionTtl(properties.getSessionTtl());
        }
        if (properties.getSafetyMargin() != null) {
            builder.safetyMargin(properties.getSafetyMargin());
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /**
     * Micrometer metrics of the coordinator, when {@code baton-micrometer} is on the class path. A separate class,
     * so that nothing of Micrometer is loaded without it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterRegistry.class, BatonMetrics.class})
    public static class MetricsConfiguration {
        /** Creates the configuration; Spring calls it. */
        public MetricsConfiguration() {}

        /**
         * Sets {@link BatonMetrics} over the context's {@link MeterRegistry} as the coordinator's observer, when the
         * context has exactly one registry (or a primary one).
         *
         * @param registries the context's registries, looked up when the coordinator is built
         * @return the customizer
         */
        @Bean
        @Order(0)
        @ConditionalOnMissingBean(name = "batonMetricsCustomizer")
        public CoordinatorBuilderCustomizer batonMetricsCustomizer(ObjectProvider<MeterRegistry> registries) {
            return builder -> {
                MeterRegistry registry = registries.getIfUnique();
                if (registry != null) {
                    builder.observer(BatonMetrics.of(registry));
                }
            };
        }
    }
}
