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
package dev.baton.consul;

import dev.baton.consul.internal.ConsulHttp;
import dev.baton.consul.internal.KvEntry;
import dev.baton.consul.internal.KvRead;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.spi.Entry;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tells whether a write whose outcome is unknown was applied: one whose first sending failed on its connection and
 * whose second failed its check, or one that failed as unavailable (every sending answered 5xx or 429 until the request
 * timeout, or the answer never came in time) and may have been applied all the same. Every write carries, in the
 * key's {@code Flags}, a random tag of its own, by which a read of the key recognises it. Threadsafe.
 */
final class ResentWriteCheck {
    private final ConsulHttp http;

    ResentWriteCheck(ConsulHttp http) {
        this.http = http;
    }

    /**
     * One write: the SPI key, the Consul key, the value, the write's tag, the session it leaves on the key (or null)
     * and that session's lease id.
     */
    record Write(String key, String fullKey, byte[] value, long tag, String session, long leaseId) {}

    /** A write's tag: random, positive (Consul's flags are unsigned), never 0 (no flags). */
    static long newTag() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    /**
     * Reads the key and tells whether it holds this write, by the write's tag (which no other write carries), value
     * and session. Returns the entry as written, or empty. A write that landed and was overwritten since is reported as
     * not applied, as if it had lost the race it did lose.
     */
    Optional<Entry> ownWrite(Write w) {
        KvRead read = http.get(w.fullKey());
        if (read.entries().isEmpty()) {
            return Optional.empty();
        }
        KvEntry kv = read.entries().get(0);
        if (kv.flags() != w.tag()
                || !Objects.equals(kv.session(), w.session())
                || !Arrays.equals(kv.value(), w.value())) {
            return Optional.empty();
        }
        return Optional.of(new Entry(w.key(), w.value(), kv.modifyIndex(), kv.createIndex(), w.leaseId()));
    }

    /**
     * After a write that failed as unavailable: reads the key once and returns the entry as written if it holds this
     * write (see {@link #ownWrite}); otherwise throws {@code failure} (with a failed read added to it), as the outcome
     * is still unknown: the write may not have been applied, or may yet be (a request held by a server waiting for a
     * leader).
     */
    Entry ownWriteAfter(BackendUnavailableException failure, Write w) {
        Optional<Entry> own;
        try {
            own = ownWrite(w);
        } catch (RuntimeException readFailed) {
            failure.addSuppressed(readFailed);
            throw failure;
        }
        return own.orElseThrow(() -> failure);
    }

    /** Whether a read finds the key absent, after {@code failure}; a failed read is added to it and counts as no. */
    boolean absentAfter(BackendUnavailableException failure, String fullKey) {
        try {
            return http.get(fullKey).entries().isEmpty();
        } catch (RuntimeException readFailed) {
            failure.addSuppressed(readFailed);
            return false;
        }
    }
}
