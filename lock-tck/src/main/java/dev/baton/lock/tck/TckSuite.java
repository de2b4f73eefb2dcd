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

import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JUnit 5 life of a kit run: before each test a fresh {@link TckEnvironment} from {@link #newEnvironment()} and a
 * {@link TckHarness} on it; after it, everything the harness opened is closed, then the environment. A test class
 * extends it, implements {@link #newEnvironment()} and the rule suites it runs: {@link CoordinatorConformanceSuite}
 * runs them all; a backend author who starts with the SPI alone writes
 *
 * <pre>{@code
 * class MyBackendContractTest extends TckSuite implements BackendContractRules {
 *     @Override
 *     protected TckEnvironment newEnvironment() {
 *         return new MyTckEnvironment(); // a fresh cluster or namespace per test
 *     }
 * }
 * }</pre>
 *
 * <p>Every test runs under a time limit scaled by {@link TckTimeouts#factor()} (see {@link TckTimeout}).
 *
 * <p>JUnit makes one instance per test; an instance is used by its test's threads only.
 */
@ExtendWith(TckTimeoutExtension.class)
public abstract class TckSuite implements TckRules {
    private TckEnvironment env;
    private TckHarness harness;

    /** Creates the suite; JUnit does this for each test. */
    protected TckSuite() {}

    /**
     * Returns a fresh environment: a new cluster or namespace with no keys on it. Called before each test; the kit
     * closes it after the test.
     *
     * @return the environment
     */
    protected abstract TckEnvironment newEnvironment();

    /**
     * Returns how long the kit waits for something that should happen promptly (a waiter woken, a key removed, a
     * thread started) before it fails the test. Scaled by {@link TckTimeouts#factor()} by default.
     *
     * @return the wait limit
     */
    protected Duration awaitTimeout() {
        return TckTimeouts.scaled(Duration.ofSeconds(20));
    }

    /**
     * Returns the slack allowed on top of the session TTL for a cut-off holder's lock to be free again (the
     * backend's documented liveness slack). Half the session TTL by default, scaled by {@link TckTimeouts#factor()}.
     * Called once per test, after {@link #newEnvironment()}.
     *
     * @return the slack
     */
    protected Duration livenessSlack() {
        return TckTimeouts.scaled(env.sessionTtl().dividedBy(2));
    }

    /**
     * Returns the environment of the running test.
     *
     * @return the environment, null before {@link #openEnvironment()}
     */
    protected final TckEnvironment environment() {
        return env;
    }

    @Override
    public final TckHarness tck() {
        if (harness == null) {
            throw new IllegalStateException("no kit test is running on this instance");
        }
        return harness;
    }

    /** Opens the environment and the harness of one test. */
    @BeforeEach
    protected final void openEnvironment() {
        env = Objects.requireNonNull(newEnvironment(), "newEnvironment() returned null");
        try {
            harness = new TckHarness(getClass().getSimpleName(), env, awaitTimeout(), livenessSlack());
        } catch (RuntimeException | Error e) {
            env.close();
            throw e;
        }
    }

    /**
     * Stops every worker thread, closes every coordinator and backend the test opened, then the environment.
     *
     * @throws Exception the first failure to clean up, with the others suppressed
     */
    @AfterEach
    protected final void closeEnvironment() throws Exception {
        if (harness != null) {
            harness.close();
        } else if (env != null) {
            env.close();
        }
    }
}
