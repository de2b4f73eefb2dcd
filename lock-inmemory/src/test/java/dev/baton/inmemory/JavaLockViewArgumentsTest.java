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
package dev.baton.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.Coordinator;
import java.time.Duration;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/** The {@link java.util.concurrent.locks.Lock} view checks its arguments as the rest of the API does. */
class JavaLockViewArgumentsTest {
    @Test
    void try_lock_with_a_null_unit_names_the_argument_and_takes_nothing() throws Exception {
        try (InMemoryCluster cluster = new InMemoryCluster();
                Coordinator coordinator = Coordinator.builder(
                                InMemoryBackend.builder().cluster(cluster).build())
                        .sessionTtl(Duration.ofSeconds(30))
                        .closeBackendOnClose(true)
                        .build()) {
            Lock lock = coordinator.lock("jobs").asJavaLock();

            assertThatThrownBy(() -> lock.tryLock(1, null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("unit must not be null");

            assertThat(cluster.keys()).as("keys after the rejected call").isEmpty();
            assertThat(lock.tryLock())
                    .as("the view still works, and was left unlocked")
                    .isTrue();
            lock.unlock();
        }
    }
}
