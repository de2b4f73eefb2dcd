/**
 * Spring Boot auto-configuration for Baton: a {@link dev.baton.lock.Coordinator} from the {@code baton.*} properties
 * ({@link dev.baton.spring.BatonProperties}), a Spring Integration lock registry ({@link
 * dev.baton.spring.BatonLockRegistry}), an elected singleton that publishes leadership events ({@link
 * dev.baton.spring.BatonLeaderInitiator}), an Actuator health indicator ({@link dev.baton.spring.BatonHealthIndicator})
 * and Micrometer metrics.
 */
package dev.baton.spring;
