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

import java.util.Arrays;
import java.util.Objects;

/**
 * One key as stored on the server.
 *
 * <p>Immutable and threadsafe (the value is copied in and out).
 */
public final class Entry {
    /** The lease id of an entry not attached to any lease. */
    public static final long NO_LEASE = 0L;

    private final String key;
    private final byte[] value;
    private final long version;
    private final long createSequence;
    private final long leaseId;

    /**
     * Creates an entry.
     *
     * @param key the key, relative to the backend's namespace
     * @param value the value
     * @param version changes on every write of the key; compared by compare-and-set and compare-and-delete
     * @param createSequence assigned when the key was created; greater than that of every key created before it on
     *     the same cluster, never reused; the fencing token
     * @param leaseId the lease the key is attached to, or {@link #NO_LEASE}
     */
    public Entry(String key, byte[] value, long version, long createSequence, long leaseId) {
        this.key = Objects.requireNonNull(key, "key");
        this.value = value.clone();
        this.version = version;
        this.createSequence = createSequence;
        this.leaseId = leaseId;
    }

    /**
     * Returns the key.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Returns a copy of the value.
     *
     * @return the value
     */
    public byte[] value() {
        return value.clone();
    }

    /**
     * Returns the version, which changes on every write of the key.
     *
     * @return the version
     */
    public long version() {
        return version;
    }

    /**
     * Returns the creation sequence, the fencing token of the entry.
     *
     * @return the creation sequence
     */
    public long createSequence() {
        return createSequence;
    }

    /**
     * Returns the lease the key is attached to.
     *
     * @return the lease id, or {@link #NO_LEASE}
     */
    public long leaseId() {
        return leaseId;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Entry)) {
            return false;
        }
        Entry e = (Entry) o;
        return key.equals(e.key)
                && Arrays.equals(value, e.value)
                && version == e.version
                && createSequence == e.createSequence
                && leaseId == e.leaseId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, version, createSequence, leaseId) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Entry{key=" + key + ", version=" + version + ", createSequence=" + createSequence + ", leaseId="
                + leaseId + ", value=" + value.length + " bytes}";
    }
}
