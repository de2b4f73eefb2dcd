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

import java.util.Objects;
import java.util.Optional;

/**
 * One change of one key.
 *
 * <p>Immutable and threadsafe.
 */
public final class WatchEvent {
    /** What happened to the key. */
    public enum Type {
        /** The key was created or updated. */
        PUT,
        /** The key was deleted, or expired with its lease. */
        DELETE
    }

    private final Type type;
    private final String key;
    private final Entry entry;
    private final long revision;

    /**
     * Creates an event.
     *
     * @param type what happened
     * @param key the key
     * @param entry the entry after a {@link Type#PUT}; {@code null} for a {@link Type#DELETE}
     * @param revision the revision of the change
     */
    public WatchEvent(Type type, String key, Entry entry, long revision) {
        this.type = Objects.requireNonNull(type, "type");
        this.key = Objects.requireNonNull(key, "key");
        if ((type == Type.PUT) != (entry != null)) {
            throw new IllegalArgumentException("a PUT carries its entry and a DELETE carries none");
        }
        this.entry = entry;
        this.revision = revision;
    }

    /**
     * Returns what happened.
     *
     * @return the type
     */
    public Type type() {
        return type;
    }

    /**
     * Returns the key that changed.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Returns the entry after a put.
     *
     * @return the entry, or empty for a delete
     */
    public Optional<Entry> entry() {
        return Optional.ofNullable(entry);
    }

    /**
     * Returns the revision of the change.
     *
     * @return the revision
     */
    public long revision() {
        return revision;
    }

    @Override
    public String toString() {
        return "WatchEvent{" + type + " " + key + " @" + revision + "}";
    }
}
