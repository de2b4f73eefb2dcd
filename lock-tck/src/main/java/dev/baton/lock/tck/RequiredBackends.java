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
package dev.baton.lock.tck;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * The one policy for a test whose server cannot be reached: it fails when the environment variable {@value #VARIABLE}
 * (a comma-separated list such as {@code etcd,zookeeper}) names the backend, as CI sets it, and is skipped with a
 * message naming the missing server otherwise. A missing server can therefore never pass silently in CI.
 *
 * <p>Immutable and threadsafe.
 */
public final class RequiredBackends {
    /** The environment variable that lists the backends whose tests must not be skipped. */
    public static final String VARIABLE = "BATON_REQUIRE_BACKENDS";

    private final Set<String> required;

    private RequiredBackends(Set<String> required) {
        this.required = required;
    }

    /**
     * Reads {@value #VARIABLE} from the environment.
     *
     * @return the policy
     */
    public static RequiredBackends fromEnvironment() {
        return parse(System.getenv(VARIABLE));
    }

    /**
     * Parses a comma-separated list of backend names; blanks and case are ignored.
     *
     * @param list the list, or null for none
     * @return the policy
     */
    public static RequiredBackends parse(String list) {
        if (list == null || list.isBlank()) {
            return new RequiredBackends(Set.of());
        }
        return new RequiredBackends(Arrays.stream(list.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet()));
    }

    /**
     * Tells whether tests of {@code backend} must fail rather than skip when its server is missing.
     *
     * @param backend the backend's name, such as {@code etcd}
     * @return whether required
     */
    public boolean isRequired(String backend) {
        return required.contains(backend.toLowerCase(Locale.ROOT));
    }

    /**
     * Reports that {@code backend}'s server cannot be reached: throws an {@link AssertionError} (the test fails)
     * when the backend is required, and aborts the test (it is skipped) otherwise. Never returns.
     *
     * @param backend the backend's name
     * @param why what was tried and what is missing, for example "no etcd on the PATH and ETCD_ENDPOINTS unset"
     * @return never; declared so that callers can write {@code throw requirements.unavailable(...)}
     * @throws AssertionError when the backend is required
     * @throws org.opentest4j.TestAbortedException otherwise
     */
    public AssertionError unavailable(String backend, String why) {
        String message = backend + " server unavailable: " + why;
        if (isRequired(backend)) {
            throw new AssertionError(message + " (" + VARIABLE + " requires " + backend + ", so this fails)");
        }
        Assumptions.abort(message + " (skipped: set " + VARIABLE + "=" + backend + " to make this fail instead)");
        throw new AssertionError("unreachable");
    }

    @Override
    public String toString() {
        return VARIABLE + "=" + String.join(",", required);
    }
}
