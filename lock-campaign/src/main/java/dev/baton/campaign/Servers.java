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
package dev.baton.campaign;

import java.time.Duration;
import java.util.List;

/**
 * The servers one backend runs on, each a process of its own that the nemesis can kill, restart and stop. Member
 * indices run from 0 to {@link #size()} - 1. Fault methods are called from the nemesis thread only.
 */
interface Servers extends AutoCloseable {
    /** The backend's name: etcd, zookeeper or consul. */
    String backend();

    /** How many members. */
    int size();

    /** The member's client address as {@code host:port}. */
    String clientAddress(int member);

    /**
     * What a client gives its backend to reach these members through the given addresses (each a proxy in front of
     * the member of the same index).
     */
    String clientEndpoints(List<String> addresses);

    /** Whether members can be killed and restarted without losing acknowledged writes. */
    boolean membersRestartable();

    /** The member that leads now, or -1 if none is known. */
    int leader();

    /** SIGKILLs a member. */
    void kill(int member);

    /** Starts a killed member again on its data. */
    void restart(int member);

    /** SIGSTOPs a member. */
    void pause(int member);

    /** SIGCONTs a member. */
    void resume(int member);

    /** Waits until every live member answers and one leads, or {@code timeout} passed; returns whether it did. */
    boolean awaitHealthy(Duration timeout);

    /**
     * What the campaign left on the server under its namespace: keys, nodes, leases and sessions, each described.
     *
     * @throws Exception if the server could not be asked
     */
    List<String> leftovers() throws Exception;

    /** The expiry slack the README documents for this backend, on top of the session TTL. */
    Duration expirySlack(Duration sessionTtl);

    /** Stops every member and deletes its data. */
    @Override
    void close();
}
