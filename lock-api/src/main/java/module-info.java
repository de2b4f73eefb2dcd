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

/**
 * Baton's API ({@code dev.baton.lock}: the {@link dev.baton.lock.Coordinator} and what it hands out) and the SPI that
 * backends implement ({@code dev.baton.lock.spi}). The recipes ({@code dev.baton.lock.internal}) are not exported:
 * on the module path nothing outside this module can reach them.
 */
module dev.baton.lock {
    requires org.slf4j;
    // @GuardedBy, read at compile time by Error Prone only.
    requires static com.google.errorprone.annotations;

    exports dev.baton.lock;
    exports dev.baton.lock.spi;

    // Coordinator.builder(String uri) finds the backend module serving the URI's scheme.
    uses dev.baton.lock.spi.BackendProvider;
}
