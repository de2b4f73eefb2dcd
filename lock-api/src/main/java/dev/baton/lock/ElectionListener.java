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

/**
 * Told when this candidate is elected and when its leadership ends.
 *
 * <p>Called on the coordinator's callback executor, {@code onElected} before the matching {@code onRevoked}.
 * Exceptions are logged and ignored.
 */
public interface ElectionListener {
    /**
     * Called when this candidate became leader.
     *
     * @param leadership the new term
     */
    void onElected(Leadership leadership);

    /**
     * Called when a term of this candidate ended, for any reason including resignation.
     *
     * @param leadership the term that ended
     * @param reason why it ended
     */
    void onRevoked(Leadership leadership, LossReason reason);
}
