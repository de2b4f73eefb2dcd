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
package dev.baton.shedlock;

import dev.baton.consul.ConsulBackend;
import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.lock.Coordinator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * ShedLock's behaviour over lock-consul's Consul emulator (in this JVM, so it is never missing), on Consul's 10 s
 * minimum TTL.
 */
class ConsulEmulatorShedLockIT extends ShedLockBehaviour {
    /** Consul's minimum TTL; Consul frees a lock up to 2 x its TTL late. */
    ConsulEmulatorShedLockIT() {
        super(Duration.ofSeconds(10), Duration.ofSeconds(13));
    }

    private static ConsulEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = ConsulEmulator.start();
    }

    @AfterAll
    static void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Override
    Coordinator newCoordinator() {
        return ConsulBackend.builder()
                .agentAddress(emulator.address())
                .keyPrefix("shedlock")
                .coordinatorBuilder()
                .sessionTtl(Duration.ofSeconds(10))
                .build();
    }
}
