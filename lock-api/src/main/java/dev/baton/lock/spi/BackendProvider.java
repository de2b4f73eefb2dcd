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
package dev.baton.lock.spi;

import dev.baton.lock.CoordinatorBuilder;
import java.util.Set;

/**
 * Turns a connection URI into a coordinator builder, for {@link dev.baton.lock.Coordinator#builder(String)}. Each
 * backend module provides one, found with {@link java.util.ServiceLoader}: registered in its jar's {@code
 * META-INF/services/dev.baton.lock.spi.BackendProvider} (or, in a named module, with {@code provides}).
 *
 * <p>Implementations are threadsafe and stateless; they need a public no-argument constructor.
 */
public interface BackendProvider {
    /**
     * Returns the URI schemes this provider serves, in lower case and without {@code :}, such as {@code etcd}. No two
     * providers on a class path may serve the same scheme.
     *
     * @return the schemes
     */
    Set<String> schemes();

    /**
     * Returns the names of every query parameter this provider reads (a secret with both of its forms, such as {@code
     * password} and {@code password-env}). A URI with any other parameter is refused, naming it, before {@link
     * #coordinatorBuilder(ConnectionUri)} is called.
     *
     * @return the parameter names
     */
    Set<String> parameters();

    /**
     * Returns a coordinator builder configured by the URI, whose coordinator builds its backend, owns it and closes
     * it: the backend builder's {@code coordinatorBuilder()}. Checks every part of the URI now; nothing is sent to a
     * server until the builder's {@code build()}.
     *
     * @param uri the URI, of one of {@link #schemes()}, with only {@link #parameters()}
     * @return the coordinator builder
     * @throws IllegalArgumentException if a part of the URI is wrong for this backend; the message names the part or
     *     parameter to change and holds no secret (build it with {@link ConnectionUri#invalid(String)})
     */
    CoordinatorBuilder coordinatorBuilder(ConnectionUri uri);
}
