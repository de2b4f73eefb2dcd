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
 * Told when a held {@link LockHandle} stops being valid for any reason other than its own release.
 *
 * <p>Called at most once per handle and registration, on the coordinator's callback executor, never on a client
 * library's I/O thread. An exception thrown by the listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface LossListener {
    /**
     * Called when the handle was lost.
     *
     * @param handle the handle that is no longer valid
     * @param reason why it was lost
     */
    void onLost(LockHandle handle, LossReason reason);
}
