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
package dev.baton.lock;

import java.util.Optional;

/**
 * Runs a {@link SingletonTask} only while its candidate leads, interrupts it when leadership is lost, and campaigns
 * again afterwards, until closed.
 *
 * <p>Threadsafe. {@link #close()} stops campaigning, interrupts a running task, waits for it to finish, resigns, and
 * is idempotent.
 */
public interface SingletonRunner extends AutoCloseable {
    /**
     * Returns the term the task is currently running under.
     *
     * @return the term, or empty while not leading
     */
    Optional<Leadership> currentTerm();

    /**
     * Returns how many terms this runner has started the task in.
     *
     * @return the count
     */
    int termsStarted();

    /**
     * Registers a listener told when this runner's candidate is elected and when each of its terms ends, with the
     * reason ({@link LossReason#SESSION_LOST} when the task was interrupted because leadership was lost,
     * {@link LossReason#RELEASED} when the task returned or the runner was closed).
     *
     * @param listener the listener, called on the coordinator's callback executor
     * @return a subscription that removes it
     * @throws NullPointerException if {@code listener} is null
     */
    Subscription listen(ElectionListener listener);

    /** Stops the runner; idempotent. */
    @Override
    void close();
}
