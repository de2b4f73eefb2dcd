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
package dev.baton.consul.tck;

import dev.baton.consul.ConsulBackend;
import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.consul.internal.ConsulApiHttp;
import dev.baton.consul.internal.KvEntry;
import dev.baton.consul.internal.SessionInfo;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.tck.RealTimeTckEnvironment;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The kit's view of one Consul, emulated or real, and one fresh key prefix on it. Session TTL and short TTL are both
 * Consul's minimum, 10 s. Keys and sessions are read back through the HTTP API (the same for both targets); sessions
 * are counted by the name the backend gives them, so that parallel tests on one agent do not see each other's.
 */
public final class ConsulTckEnvironment extends RealTimeTckEnvironment {
    /** The session TTL and short TTL: Consul's minimum. */
    public static final Duration TTL = Duration.ofSeconds(10);

    private final ConsulEmulator emulator;
    private final String address;
    private final String token;
    private final String prefix;
    private final ConsulApiHttp admin;

    private ConsulTckEnvironment(ConsulEmulator emulator, String address, String token) {
        super(TTL, TTL);
        this.emulator = emulator;
        this.address = address;
        this.token = token;
        this.prefix = "baton-tck/" + UUID.randomUUID();
        this.admin = new ConsulApiHttp(URI.create(address), token, null, Duration.ofSeconds(5), null);
    }

    /**
     * A fresh emulator.
     *
     * @return the environment
     */
    public static ConsulTckEnvironment onEmulator() {
        ConsulEmulator emulator = ConsulEmulator.start();
        return new ConsulTckEnvironment(emulator, emulator.address(), null);
    }

    /**
     * A fresh key prefix on a real agent.
     *
     * @param address the agent
     * @param token the ACL token, or null
     * @return the environment
     */
    public static ConsulTckEnvironment onAgent(String address, String token) {
        String a = address.contains("://") ? address : "http://" + address;
        return new ConsulTckEnvironment(null, a, token);
    }

    /**
     * Returns the emulator, if this environment runs on one.
     *
     * @return the emulator, or null
     */
    public ConsulEmulator emulator() {
        return emulator;
    }

    /**
     * Returns a builder for clients of this environment.
     *
     * @return the builder
     */
    public ConsulBackend.Builder builder() {
        return ConsulBackend.builder().agentAddress(address).aclToken(token).keyPrefix(prefix);
    }

    @Override
    public CoordinationBackend newBackend() {
        return builder().build();
    }

    @Override
    public List<String> keysOnServer() {
        List<String> keys = new ArrayList<>();
        for (KvEntry e : admin.list(prefix + "/").entries()) {
            keys.add(e.key().substring(prefix.length() + 1));
        }
        return keys;
    }

    @Override
    public OptionalInt liveLeases() {
        String name = "baton:" + prefix;
        int n = 0;
        for (SessionInfo s : admin.listSessions()) {
            if (name.equals(s.name())) {
                n++;
            }
        }
        return OptionalInt.of(n);
    }

    @Override
    public void close() {
        admin.close();
        super.close();
        if (emulator != null) {
            emulator.close();
        }
    }
}
