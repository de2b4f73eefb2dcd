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
package dev.baton.consul.emulator;

import java.util.Map;
import java.util.TreeMap;

/**
 * An ACL policy of the {@link ConsulEmulator}: {@code key_prefix} rules (the longest matching prefix decides, as in
 * Consul's radix-tree policy lookup; no rule: deny, the default policy) and one {@code session_prefix ""} rule.
 * Immutable, so threadsafe.
 */
public final class AclPolicy {
    private final TreeMap<String, Access> keyPrefixes;
    private final Access session;

    private AclPolicy(TreeMap<String, Access> keyPrefixes, Access session) {
        this.keyPrefixes = keyPrefixes;
        this.session = session;
    }

    /**
     * A policy that allows nothing.
     *
     * @return the policy
     */
    public static AclPolicy denyAll() {
        return new AclPolicy(new TreeMap<>(), Access.DENY);
    }

    /**
     * Adds {@code key_prefix "<prefix>" { policy = "<access>" }}.
     *
     * @param prefix the key prefix ("" for every key)
     * @param access the access
     * @return a new policy
     */
    public AclPolicy key(String prefix, Access access) {
        TreeMap<String, Access> k = new TreeMap<>(keyPrefixes);
        k.put(prefix, access);
        return new AclPolicy(k, session);
    }

    /**
     * Sets {@code session_prefix "" { policy = "<access>" }}.
     *
     * @param access the access
     * @return a new policy
     */
    public AclPolicy session(Access access) {
        return new AclPolicy(keyPrefixes, access);
    }

    /** The access to one key: the rule of the longest matching prefix. */
    Access key(String key) {
        Access best = Access.DENY;
        int bestLength = -1;
        for (Map.Entry<String, Access> e : keyPrefixes.entrySet()) {
            if (key.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        return best;
    }

    /** The access to sessions. */
    Access session() {
        return session;
    }
}
