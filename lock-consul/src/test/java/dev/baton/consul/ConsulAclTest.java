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
package dev.baton.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.consul.emulator.Access;
import dev.baton.consul.emulator.AclPolicy;
import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.lock.AccessDeniedException;
import dev.baton.lock.spi.Entry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A token with session rights but without key rights on the prefix: Consul refuses the transactions' operations with
 * 409 and a {@code Permission denied} error each, which the backend reports as {@link AccessDeniedException}
 * naming the missing {@code key_prefix} rule, never as "key exists", "changed" or "not deleted".
 */
class ConsulAclTest {
    private static final byte[] VALUE = {1};

    private ConsulEmulator consul;
    private ConsulBackend admin;

    @BeforeEach
    void start() {
        consul = ConsulEmulator.start();
        consul.addToken("admin", AclPolicy.denyAll().key("", Access.WRITE).session(Access.WRITE));
        admin = backend("admin");
    }

    @AfterEach
    void stop() {
        admin.close();
        consul.close();
    }

    private ConsulBackend backend(String token) {
        return ConsulBackend.builder()
                .agentAddress(consul.address())
                .aclToken(token)
                .keyPrefix("app/locks")
                .build();
    }

    @Test
    void session_rights_without_key_rights_fail_every_write_as_access_denied_naming_the_rule() {
        consul.addToken("sessions-only", AclPolicy.denyAll().session(Access.WRITE));
        long theirs = admin.grantLease(Duration.ofSeconds(10));
        Entry existing = admin.createIfAbsent("held", VALUE, theirs).orElseThrow();
        try (ConsulBackend limited = backend("sessions-only")) {
            long lease = limited.grantLease(Duration.ofSeconds(10));
            assertThatThrownBy(() -> limited.createIfAbsent("q/0001", VALUE, lease))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("key_prefix \"app/locks/\"")
                    .hasMessageContaining("Permission denied")
                    .message()
                    .doesNotContain("sessions-only");
            assertThatThrownBy(() -> limited.createIfAbsent("plain", VALUE, Entry.NO_LEASE))
                    .isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> limited.compareAndDelete("held", existing.version()))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("key_prefix \"app/locks/\"");
            limited.revokeLease(lease);
        }
        assertThat(consul.keys("app/locks/")).containsExactly("app/locks/held");
        admin.revokeLease(theirs);
    }

    @Test
    void read_rights_without_write_rights_fail_a_compare_and_set_as_access_denied_for_write() {
        consul.addToken("read-only", AclPolicy.denyAll().session(Access.WRITE).key("app/locks/", Access.READ));
        Entry existing = admin.createIfAbsent("k", VALUE, Entry.NO_LEASE).orElseThrow();
        try (ConsulBackend limited = backend("read-only")) {
            long lease = limited.grantLease(Duration.ofSeconds(10));
            assertThatThrownBy(() -> limited.compareAndSet("k", existing.version(), new byte[] {2}, lease))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("policy = \"write\"");
            assertThatThrownBy(() -> limited.createIfAbsent("new", VALUE, lease))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("policy = \"write\"");
            limited.revokeLease(lease);
        }
        assertThat(admin.get("k").orElseThrow().value()).containsExactly(VALUE);
    }
}
