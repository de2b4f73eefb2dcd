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
import dev.baton.lock.SessionState;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Actuator health of a {@link Coordinator}, from its session state: {@code UP} while {@link SessionState#CONNECTED},
 * {@code OUT_OF_SERVICE} while {@link SessionState#SUSPENDED} (renewals fail, but held locks are still valid until
 * the local deadline), {@code DOWN} when {@link SessionState#LOST} (every session-bound lock was declared lost; the
 * coordinator opens a new session in the background) or {@link SessionState#CLOSED}. The details give the state and
 * the coordinator's id, never the connection URI or a secret. Reads a local field: asks the server nothing.
 *
 * <p>Threadsafe.
 */
public final class BatonHealthIndicator implements HealthIndicator {
    private final Coordinator coordinator;

    /**
     * Creates the indicator.
     *
     * @param coordinator the coordinator whose session it reports
     * @throws NullPointerException if {@code coordinator} is null
     */
    public BatonHealthIndicator(Coordinator coordinator) {
        this.coordinator = Objects.requireNonNull(coordinator, "coordinator must not be null");
    }

    /**
     * Returns the health.
     *
     * @return the health, with details {@code sessionState} and {@code coordinator}
     */
    @Override
    public Health health() {
        SessionState state = coordinator.sessionState();
        return Health.status(status(state))
                .withDetail("sessionState", state.name())
                .withDetail("coordinator", coordinator.id())
                .build();
    }

    static Status status(SessionState state) {
        return switch (state) {
            case CONNECTED -> Status.UP;
            case SUSPENDED -> Status.OUT_OF_SERVICE;
            case LOST, CLOSED -> Status.DOWN;
        };
    }
}
