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
package dev.baton.etcd.internal;

import dev.baton.lock.spi.BackendChecks;
import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Maps the SPI's keys into one namespace of the etcd key space and back. The namespace always ends with {@code /}, so
 * {@code a} and {@code ab} as namespaces never overlap; a prefix {@code p} of the SPI covers the etcd range {@code
 * [ns + p + "/", ns + p + "0")} ({@code 0} is the byte after {@code /}), which holds exactly the keys under {@code p
 * + "/"} and nothing of a sibling such as {@code p + "x"}.
 *
 * <p>Immutable and threadsafe.
 */
public final class EtcdKeys {
    private final String namespace;
    private final ByteSequence namespaceBytes;

    /**
     * Creates the mapping.
     *
     * @param namespace the namespace; a trailing {@code /} is added when missing
     * @throws IllegalArgumentException if the namespace breaks the rule of {@link #normalize(String)}
     * @throws NullPointerException if {@code namespace} is null
     */
    public EtcdKeys(String namespace) {
        this.namespace = normalize(namespace);
        this.namespaceBytes = bytes(this.namespace);
    }

    /**
     * Checks and normalises a namespace: without one leading and one trailing {@code /}, it must be a key by {@link
     * BackendChecks#requireKey(String, String)}; it is kept as given (a leading {@code /} stays part of the etcd
     * prefix) and gets a trailing {@code /} when missing.
     *
     * @param namespace the namespace as the user gave it
     * @return the namespace ending with {@code /}
     * @throws IllegalArgumentException naming the rule broken
     * @throws NullPointerException if {@code namespace} is null
     */
    public static String normalize(String namespace) {
        Objects.requireNonNull(namespace, "namespace must not be null");
        String bare = namespace.startsWith("/") ? namespace.substring(1) : namespace;
        bare = bare.endsWith("/") ? bare.substring(0, bare.length() - 1) : bare;
        if (bare.isBlank()) {
            throw new IllegalArgumentException(
                    "namespace must name a prefix such as \"baton/\" or \"/myapp/locks\", got '" + namespace + "'");
        }
        BackendChecks.requireKey("namespace", bare);
        return namespace.endsWith("/") ? namespace : namespace + "/";
    }

    /**
     * Returns the namespace, ending with {@code /}.
     *
     * @return the namespace
     */
    public String namespace() {
        return namespace;
    }

    /**
     * Returns the etcd key of an SPI key.
     *
     * @param key the SPI key
     * @return the namespaced key
     */
    public ByteSequence key(String key) {
        return namespaceBytes.concat(bytes(key));
    }

    /**
     * Returns the first etcd key under an SPI prefix: {@code ns + prefix + "/"}.
     *
     * @param prefix the SPI prefix, without trailing {@code /}
     * @return the start of the range
     */
    public ByteSequence rangeStart(String prefix) {
        return namespaceBytes.concat(bytes(prefix + "/"));
    }

    /**
     * Returns the end (exclusive) of the range under an SPI prefix: {@code ns + prefix + "0"}.
     *
     * @param prefix the SPI prefix, without trailing {@code /}
     * @return the end of the range
     */
    public ByteSequence rangeEnd(String prefix) {
        return namespaceBytes.concat(bytes(prefix + "0"));
    }

    /**
     * Returns the start of the whole namespace's range.
     *
     * @return the namespace as bytes
     */
    public ByteSequence namespaceStart() {
        return namespaceBytes;
    }

    /**
     * Returns the end (exclusive) of the whole namespace's range: the namespace with its last byte incremented.
     *
     * @return the end of the namespace
     */
    public ByteSequence namespaceEnd() {
        byte[] end = namespaceBytes.getBytes();
        // The namespace ends with '/', which is never 0xFF: incrementing the last byte is enough.
        end = Arrays.copyOf(end, end.length);
        end[end.length - 1]++;
        return ByteSequence.from(end);
    }

    /**
     * Returns the SPI key of an etcd key in the namespace.
     *
     * @param etcdKey the etcd key
     * @return the SPI key
     * @throws IllegalStateException if the key is outside the namespace
     */
    public String spiKey(ByteSequence etcdKey) {
        if (!etcdKey.startsWith(namespaceBytes)) {
            throw new IllegalStateException("etcd answered with key '" + etcdKey + "' outside namespace " + namespace);
        }
        return etcdKey.substring(namespaceBytes.size()).toString(StandardCharsets.UTF_8);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
