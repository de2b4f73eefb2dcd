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

import dev.baton.lock.Coordinator;
import java.util.Objects;

/**
 * A coordinator built by a {@link TckHarness} and the {@link FaultInjectingBackend} under it, through which a test cuts
 * the coordinator off from the server or counts its calls.
 *
 * <p>Threadsafe, as the coordinator and the fault injector are.
 *
 * @param label the client's name in reports and thread names
 * @param coordinator the coordinator, which owns and closes {@code backend}
 * @param backend the fault injector between the coordinator and a client of the environment
 */
public record TckClient(String label, Coordinator coordinator, FaultInjectingBackend backend) implements AutoCloseable {
    /**
     * Checks the parts.
     *
     * @param label the client's name in reports and thread names
     * @param coordinator the coordinator, which owns and closes {@code backend}
     * @param backend the fault injector between the coordinator and a client of the environment
     * @throws NullPointerException if an argument is null
     */
    public TckClient {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(backend, "backend");
    }

    /** Closes the coordinator, and with it the backend; idempotent. */
    @Override
    public void close() {
        coordinator.close();
    }
}
