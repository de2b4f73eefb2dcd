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

/**
 * Receives the events of one {@link CoordinationBackend#watch watch}.
 *
 * <p>Called one event at a time, in revision order, possibly on a client library's I/O thread: implementations
 * must not block and must hand real work to an executor.
 */
public interface WatchListener {
    /**
     * Called for each change, in revision order.
     *
     * @param event the change
     */
    void onEvent(WatchEvent event);

    /**
     * Called once when the backend can no longer promise a gap-free sequence (history compacted, stream lost). The
     * watch delivers nothing more; the caller re-reads and watches again.
     *
     * @param why a description for logs
     */
    void onReset(String why);
}
