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

import java.util.List;

/**
 * The keys under a prefix as of one revision, ordered by creation sequence.
 *
 * <p>Immutable and threadsafe.
 *
 * @param entries the entries, ordered by {@link Entry#createSequence()}; an unmodifiable copy
 * @param revision the revision the entries were read at; a watch started after it misses no change
 */
public record Listing(List<Entry> entries, long revision) {
    /**
     * Creates a listing.
     *
     * @param entries the entries, ordered by {@link Entry#createSequence()}
     * @param revision the revision the entries were read at; a watch started after it misses no change
     * @throws NullPointerException if {@code entries} is null or holds null
     */
    public Listing {
        entries = List.copyOf(entries);
    }
}
