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

/**
 * A point in a test: its place in the order of events across every thread of the test JVM, and the time source's time
 * then. Tests compare stamps to show that one event (a loss notice) came before another (the next holder's
 * acquisition), by order and by time.
 *
 * <p>Immutable and threadsafe. Made by {@link TckHarness#stamp()}.
 *
 * @param seq the place in the order of events: greater for a later {@link TckHarness#stamp()} call in this JVM
 * @param nanos the environment's time source's {@code nanoTime()} at the stamp
 */
public record Stamp(long seq, long nanos) {
    @Override
    public String toString() {
        return "#" + seq + "@" + nanos;
    }
}
