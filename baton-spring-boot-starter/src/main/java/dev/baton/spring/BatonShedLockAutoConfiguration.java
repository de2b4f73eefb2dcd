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
import dev.baton.shedlock.BatonLockProvider;
import net.javacrumbs.shedlock.core.LockProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * ShedLock over the context's {@link Coordinator}: a {@link BatonLockProvider} (TTL locks: {@code lockAtMostFor} is
 * the TTL, {@code lockAtLeastFor} the minimum hold) when ShedLock and {@code baton-shedlock} are on the class path
 * and the application defines no {@link LockProvider} of its own, so that {@code @SchedulerLock} jobs run under Baton
 * locks. A job reads its fencing token with {@code provider.heldLock(name)}.
 */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnClass({LockProvider.class, BatonLockProvider.class})
@ConditionalOnBean(Coordinator.class)
public class BatonShedLockAutoConfiguration {
    /** Creates the auto-configuration; Spring calls it. */
    public BatonShedLockAutoConfiguration() {}

    /**
     * The ShedLock lock provider; it never closes the coordinator (the context does).
     *
     * @param coordinator the coordinator
     * @return the provider
     */
    @Bean
    @ConditionalOnMissingBean(LockProvider.class)
    public BatonLockProvider batonLockProvider(Coordinator coordinator) {
        return new BatonLockProvider(coordinator);
    }
}
