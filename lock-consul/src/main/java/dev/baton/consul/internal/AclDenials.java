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
package dev.baton.consul.internal;

import dev.baton.lock.AccessDeniedException;

/**
 * Builds the {@link AccessDeniedException} for a request Consul's ACLs refused: a 403 (no token, an unknown token, or
 * a token without the right, outside {@code /v1/txn}) or a transaction's 409 with {@code Permission denied} (its ACL
 * pre-check). One message shape for both: what was refused, Consul's own words, the policy rule to grant, and the
 * rules the backend needs as a whole. The token itself never appears. Threadsafe (immutable).
 */
public final class AclDenials {
    /** The rule every session request needs. */
    public static final String SESSION_WRITE = "session_prefix \"\" { policy = \"write\" }";

    /** The rule a session listing needs. */
    public static final String SESSION_READ = "session_prefix \"\" { policy = \"read\" }";

    private final String agent;
    private final boolean tokenGiven;
    private final String keyPrefix;

    /**
     * Creates the builder of messages for one client.
     *
     * @param agent the agent's address, for the message
     * @param tokenGiven whether the client sends an ACL token
     * @param keyPrefix the key prefix the backend works under, ending with {@code /}, or null if none
     */
    public AclDenials(String agent, boolean tokenGiven, String keyPrefix) {
        this.agent = agent;
        this.tokenGiven = tokenGiven;
        this.keyPrefix = keyPrefix;
    }

    /**
     * The rule that grants {@code access} on the backend's key prefix, or on {@code key} if there is no prefix.
     *
     * @param key the full key or prefix concerned
     * @param access {@code read} or {@code write}
     * @return the rule, in Consul's policy syntax
     */
    public String keyRule(String key, String access) {
        return "key_prefix \"" + (keyPrefix == null ? key : keyPrefix) + "\" { policy = \"" + access + "\" }";
    }

    /**
     * Builds the exception.
     *
     * @param operation what was refused, for example {@code create a session}
     * @param consulSaid Consul's answer (status and text)
     * @param rule the policy rule that would allow it
     * @return the exception
     */
    public AccessDeniedException denied(String operation, String consulSaid, String rule) {
        String token = tokenGiven
                ? "the ACL token set with ConsulBackend.builder().aclToken(...) is unknown to Consul or lacks the right"
                : "ACLs are enabled and no token was given; set one with ConsulBackend.builder().aclToken(...)";
        String all = keyPrefix == null
                ? ""
                : "; the backend as a whole needs " + SESSION_WRITE + " and " + keyRule(keyPrefix, "write");
        return new AccessDeniedException(
                null,
                "Consul at " + agent + " refused to " + operation + " (" + consulSaid + "): " + token + "; grant its"
                        + " policy " + rule + all,
                null);
    }
}
