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
package dev.baton.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code baton.*} properties: which cluster the auto-configured {@link dev.baton.lock.Coordinator} connects to,
 * its session, its credentials and the elected singleton. Secrets ({@link #getPassword() password}, {@link
 * #getToken() token}) are never logged nor shown by {@link #toString()}.
 *
 * <p>Not threadsafe: Spring binds it once at startup; read it afterwards only.
 */
@ConfigurationProperties(prefix = "baton")
public class BatonProperties {
    /**
     * Connection URI of the cluster, such as etcd://127.0.0.1:2379/myapp, zookeeper://zk1:2181/myapp,
     * consul://127.0.0.1:8500/myapp or inmemory:NAME (see the README's Connection URIs). The auto-configured
     * coordinator exists only when this is set.
     */
    private String uri;

    /**
     * Namespace (key prefix) of every lock and election, for a URI that names none in its path. Setting both is
     * refused.
     */
    private String namespace;

    /** TTL of the coordinator's session (default 10s). */
    private Duration sessionTtl;

    /** Safety margin before the session's deadline at which handles turn lost (default a fifth of the TTL). */
    private Duration safetyMargin;

    /** User for etcd or ZooKeeper, for a URI that names none (user@host). */
    private String username;

    /**
     * Password of the user (etcd, ZooKeeper). Prefer an environment variable: BATON_PASSWORD binds here. Never
     * logged.
     */
    private String password;

    /** ACL token (Consul). Prefer an environment variable: BATON_TOKEN binds here. Never logged. */
    private String token;

    /** The elected singleton. */
    private final Leader leader = new Leader();

    /**
     * Returns the connection URI.
     *
     * @return the URI, or null when unset
     */
    public String getUri() {
        return uri;
    }

    /**
     * Sets the connection URI.
     *
     * @param uri the URI
     */
    public void setUri(String uri) {
        this.uri = uri;
    }

    /**
     * Returns the namespace.
     *
     * @return the namespace, or null when unset
     */
    public String getNamespace() {
        return namespace;
    }

    /**
     * Sets the namespace.
     *
     * @param namespace the namespace
     */
    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    /**
     * Returns the session TTL.
     *
     * @return the TTL, or null for the coordinator's default
     */
    public Duration getSessionTtl() {
        return sessionTtl;
    }

    /**
     * Sets the session TTL.
     *
     * @param sessionTtl the TTL
     */
    public void setSessionTtl(Duration sessionTtl) {
        this.sessionTtl = sessionTtl;
    }

    /**
     * Returns the safety margin.
     *
     * @return the margin, or null for the coordinator's default
     */
    public Duration getSafetyMargin() {
        return safetyMargin;
    }

    /**
     * Sets the safety margin.
     *
     * @param safetyMargin the margin
     */
    public void setSafetyMargin(Duration safetyMargin) {
        this.safetyMargin = safetyMargin;
    }

    /**
     * Returns the user.
     *
     * @return the user, or null when unset
     */
    public String getUsername() {
        return username;
    }

    /**
     * Sets the user.
     *
     * @param username the user
     */
    public void setUsername(String username) {
        this.username = username;
    }

    /**
     * Returns the password.
     *
     * @return the password, or null when unset
     */
    public String getPassword() {
        return password;
    }

    /**
     * Sets the password.
     *
     * @param password the password
     */
    public void setPassword(String password) {
        this.password = password;
    }

    /**
     * Returns the ACL token.
     *
     * @return the token, or null when unset
     */
    public String getToken() {
        return token;
    }

    /**
     * Sets the ACL token.
     *
     * @param token the token
     */
    public void setToken(String token) {
        this.token = token;
    }

    /**
     * Returns the elected singleton's properties.
     *
     * @return the nested properties
     */
    public Leader getLeader() {
        return leader;
    }

    /** Shows the URI and the names of the secrets that are set, never their values. */
    @Override
    public String toString() {
        return "BatonProperties{uri=" + uri + ", namespace=" + namespace + ", sessionTtl=" + sessionTtl
                + ", safetyMargin=" + safetyMargin + ", username=" + username + ", password="
                + (password == null ? "unset" : "(set)") + ", token=" + (token == null ? "unset" : "(set)") + "}";
    }

    /**
     * The {@code baton.leader.*} properties of the elected singleton ({@link BatonLeaderInitiator}).
     *
     * <p>Not threadsafe: bound once at startup.
     */
    public static class Leader {
        /**
         * Election name (Spring Integration's role) of the elected singleton; the singleton bean exists only when
         * this is set.
         */
        private String role;

        /** This process's candidate id, shown to observers of the election (default: the coordinator's id). */
        private String candidateId;

        /** Whether the singleton starts campaigning when the application context starts. */
        private boolean autoStartup = true;

        /**
         * Returns the role.
         *
         * @return the role, or null when unset
         */
        public String getRole() {
            return role;
        }

        /**
         * Sets the role.
         *
         * @param role the election name
         */
        public void setRole(String role) {
            this.role = role;
        }

        /**
         * Returns the candidate id.
         *
         * @return the id, or null for the coordinator's id
         */
        public String getCandidateId() {
            return candidateId;
        }

        /**
         * Sets the candidate id.
         *
         * @param candidateId the id
         */
        public void setCandidateId(String candidateId) {
            this.candidateId = candidateId;
        }

        /**
         * Tells whether the singleton starts with the context.
         *
         * @return whether it starts automatically
         */
        public boolean isAutoStartup() {
            return autoStartup;
        }

        /**
         * Sets whether the singleton starts with the context.
         *
         * @param autoStartup whether it starts automatically
         */
        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }
    }
}
