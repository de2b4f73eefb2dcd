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

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.tck.ForwardingBackend;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-memory backend that, when {@link #loseNext} is set, applies the next compareAndSet on the server and then
 * throws as if its answer was lost: for tests of what a recipe does when a write's outcome is unknown.
 */
final class LosesNextCasAnswer extends ForwardingBackend {
    /** Set to make the next compareAndSet take effect and then fail; cleared by that call. */
    final AtomicBoolean loseNext = new AtomicBoolean();

    LosesNextCasAnswer(InMemoryBackend delegate) {
        super(delegate);
    }

    @Override
    public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        Optional<Entry> result = super.compareAndSet(key, expectedVersion, value, leaseId);
        if (loseNext.getAndSet(false)) {
            throw new BackendUnavailableException(null, "compareAndSet took effect, its answer was lost", null);
        }
        return result;
    }
}
