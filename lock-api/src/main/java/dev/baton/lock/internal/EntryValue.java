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
package dev.baton.lock.internal;

import java.nio.charset.StandardCharsets;

/**
 * The value stored in a queue entry: the owner (coordinator or candidate id, which holds no control characters) and
 * a payload (an election's proclaimed value), separated by the first newline.
 */
record EntryValue(String owner, String payload) {
    byte[] encode() {
        return (owner + "\n" + payload).getBytes(StandardCharsets.UTF_8);
    }

    static EntryValue decode(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return nl < 0 ? new EntryValue(s, "") : new EntryValue(s.substring(0, nl), s.substring(nl + 1));
    }
}
