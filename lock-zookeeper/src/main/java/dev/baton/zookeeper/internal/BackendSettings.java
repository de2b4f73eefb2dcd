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
package dev.baton.zookeeper.internal;

import dev.baton.lock.spi.BackendChecks;
import dev.baton.lock.spi.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/**
 * What a backend builder was given, and the rules between its settings: which session timeout to ask for (the one
 * TTL setting), which ACL created nodes carry, and how the backend describes itself and its identity in messages.
 *
 * @param connectString the ensemble, or null when {@code curator} is given
 * @param curator the user's client, or null when {@code connectString} is given
 * @param namespace the namespace, checked
 * @param sessionTimeout the session timeout set explicitly, or null to follow the session TTL
 * @param defaultSessionTimeout what a backend built on its own asks for when none was set
 * @param connectionTimeout how long to wait for a connection
 * @param requestTimeout how long a sent request waits for its answer, or null for the connection timeout
 * @param reapInterval how often the reaper runs
 * @param maximumTtl the longest lease TTL
 * @param digestUser the digest user, or null
 * @param digestPassword the digest password, or null
 * @param acl the explicit ACL of created nodes, or null
 * @param scheduler the reaper's executor, or null for a thread of the backend's own
 */
public record BackendSettings(
        String connectString,
        CuratorFramework curator,
        String namespace,
        Duration sessionTimeout,
        Duration defaultSessionTimeout,
        Duration connectionTimeout,
        Duration requestTimeout,
        Duration reapInterval,
        Duration maximumTtl,
        String digestUser,
        String digestPassword,
        List<ACL> acl,
        ScheduledExecutorService scheduler) {

    /** The least lease TTL: four reap intervals. */
    public Duration minimumTtl() {
        return reapInterval.multipliedBy(4);
    }

    /**
     * The session timeout a backend built for a coordinator with session TTL {@code sessionTtl} asks for (null: a
     * backend built on its own). The rule: an explicit session timeout must be at least the session TTL, so that the
     * session's lease is tied to the ZooKeeper session; unset, it is the session TTL (whole milliseconds, rounded up
     * as a lease's TTL is), or {@code defaultSessionTimeout} for a backend built on its own.
     *
     * @throws IllegalStateException if neither or both of a connect string and a client were given
     * @throws IllegalArgumentException if {@code sessionTtl} is out of the backend's range, or longer than an explicit
     *     session timeout; the message says which setting to change
     */
    public Duration sessionTimeoutFor(Duration sessionTtl) {
        if ((connectString == null) == (curator == null)) {
            throw new IllegalStateException(
                    "give exactly one of connectString(...) and curator(...) to the ZooKeeper backend builder");
        }
        if (sessionTtl == null) {
            return sessionTimeout != null ? sessionTimeout : defaultSessionTimeout;
        }
        BackendChecks.requireTtlWithin(
                "sessionTtl",
                sessionTtl,
                minimumTtl(),
                maximumTtl,
                "the ZooKeeper backend (four times its reapInterval(...) of " + reapInterval + ", to one day)");
        if (sessionTimeout == null) {
            long nanos = TimeSource.saturatedNanos(sessionTtl);
            return Duration.ofMillis(nanos / 1_000_000 + (nanos % 1_000_000 == 0 ? 0 : 1));
        }
        if (curator == null && sessionTimeout.compareTo(sessionTtl) < 0) {
            throw new IllegalArgumentException("sessionTimeout " + sessionTimeout + " is shorter than the"
                    + " coordinator's sessionTtl " + sessionTtl + ", so the session could not be tied to the ZooKeeper"
                    + " session (its entries would not be ephemeral); raise sessionTimeout(...) to at least "
                    + sessionTtl + ", lower sessionTtl(...), or leave sessionTimeout unset so that it follows"
                    + " sessionTtl");
        }
        return sessionTimeout;
    }

    /**
     * Builds, starts and connects the client of a backend that owns it, asking for {@code session}.
     *
     * @throws IllegalStateException if {@code session} is shorter than the minimum lease TTL
     */
    public CuratorFramework connect(Duration session) {
        if (session.compareTo(minimumTtl()) < 0) {
            throw new IllegalStateException("sessionTimeout " + session
                    + " is shorter than the minimum lease TTL, four reap intervals (" + minimumTtl()
                    + "), so no lease could ever be tied to the ZooKeeper session; raise sessionTimeout to at least"
                    + " the coordinator's session TTL, or lower reapInterval");
        }
        return CuratorConnector.connect(
                new CuratorConnector.Settings(
                        connectString,
                        session,
                        connectionTimeout,
                        requestTimeout != null ? requestTimeout : connectionTimeout,
                        digestUser,
                        digestPassword),
                description(null),
                identity());
    }

    /**
     * How long an asynchronous request of {@code curator} waits for its answer: the request timeout, or the client's
     * connection timeout when none was set (as {@link #connect} sets it on a client it builds).
     */
    public Duration answerWithin(CuratorFramework curator) {
        return requestTimeout != null
                ? requestTimeout
                : Duration.ofMillis(curator.getZookeeperClient().getConnectionTimeoutMs());
    }

    /** The absolute root path: the client's own namespace, if any, then the backend's namespace. */
    public String root(CuratorFramework client) {
        String clientNamespace = client == null ? null : client.getNamespace();
        return (clientNamespace == null || clientNamespace.isEmpty() ? "" : "/" + clientNamespace) + "/" + namespace;
    }

    /** The backend's description, such as {@code ZooKeeper zk1:2181 /baton}; never credentials. */
    public String description(CuratorFramework client) {
        return "ZooKeeper " + (connectString != null ? connectString : "(client supplied)") + " " + root(client);
    }

    /** Who the client authenticates as, for access-denied messages; never the password. */
    public String identity() {
        if (digestUser != null) {
            return "the digest user '" + digestUser + "'";
        }
        return curator != null ? "the Curator client's identity" : "an unauthenticated client (world:anyone)";
    }

    /**
     * The ACL of created nodes: the explicit one, else creator-all plus world-read with digest authentication, else
     * world-open. ZooKeeper asks the list whether it contains null, which the lists of List.copyOf refuse to answer.
     */
    public List<ACL> nodeAcl() {
        if (acl != null) {
            return Collections.unmodifiableList(new ArrayList<>(acl));
        }
        if (digestUser == null) {
            return ZooDefs.Ids.OPEN_ACL_UNSAFE;
        }
        List<ACL> list = new ArrayList<>(ZooDefs.Ids.CREATOR_ALL_ACL);
        list.addAll(ZooDefs.Ids.READ_ACL_UNSAFE);
        return Collections.unmodifiableList(list);
    }

    @Override
    public String toString() {
        // Never the password.
        return "BackendSettings[" + description(curator) + ", user " + digestUser + "]";
    }

    /**
     * Checks a builder's duration setting against its range.
     *
     * @throws IllegalArgumentException naming the setting, the range and why it is bounded
     */
    public static Duration inRange(String name, Duration d, Duration min, Duration max, String why) {
        Objects.requireNonNull(d, name + " must not be null");
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    name + " must be from " + min.toMillis() + " ms to " + max + ", got " + d + " (" + why + ")");
        }
        return d;
    }
}
