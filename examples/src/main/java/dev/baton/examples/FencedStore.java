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
package dev.baton.examples;

/**
 * A stand-in for the resource a lock protects (a database row, a file, a queue), which defends itself with fencing
 * tokens: it remembers the highest token it has accepted and rejects any write that carries a smaller one. That is
 * what stops a holder that was paused past its lease from overwriting the work of the holder after it; a lock alone
 * cannot.
 *
 * <p>Threadsafe.
 */
final class FencedStore {
    private long highestToken;
    private String value = "";

    /**
     * Writes {@code value} if {@code token} is not older than the newest token seen.
     *
     * @return whether the write was accepted
     */
    synchronized boolean write(long token, String value) {
        if (token < highestToken) {
            return false;
        }
        highestToken = token;
        this.value = value;
        return true;
    }

    synchronized long highestToken() {
        return highestToken;
    }

    synchronized String value() {
        return value;
    }
}
