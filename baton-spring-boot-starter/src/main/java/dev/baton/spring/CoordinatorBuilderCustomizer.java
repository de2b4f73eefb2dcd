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

import dev.baton.lock.CoordinatorBuilder;

/**
 * Changes the {@link CoordinatorBuilder} of the auto-configured coordinator after the {@code baton.*} properties were
 * applied and before it is built: a bean of this type is the place for settings a property cannot carry (a {@link
 * dev.baton.lock.CoordinatorObserver}, executors). Customizers run in their {@link org.springframework.core.Ordered}
 * order; the Micrometer one that {@link BatonAutoConfiguration} adds runs first, at {@code 0}.
 *
 * <p>Called once, on the thread that creates the coordinator bean.
 */
@FunctionalInterface
public interface CoordinatorBuilderCustomizer {
    /**
     * Customizes the builder.
     *
     * @param builder the builder, with the properties applied
     */
    void customize(CoordinatorBuilder builder);
}
