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

import dev.baton.consul.emulator.ConsulEmulator;
import dev.baton.lock.AccessDeniedException;
import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13: a {@code consul://} URI gives, through ServiceLoader, a coordinator on the Consul emulator, with its ACL
 * token read from the environment and its keys under the URI's prefix; only the Consul builder's settings are taken,
 * each mistake names what to fix, and the token is never shown.
 */
@Timeout(60)
class ConsulUriTest {
    private static final String TOKEN = "tok-7f3a-secret";

    @Test
    void uri_connects_with_the_token_from_the_environment_takes_a_lock_and_closes() throws Exception {
        try (ConsulEmulator consul = ConsulEmulator.start()) {
            consul.requireToken(TOKEN);
            String uri = "consul://" + consul.address().substring("http://".length())
                    + "/uri-app?token-env=CONSUL_TOKEN&lock-delay=0s&request-timeout=2s";
            assertThatThrownBy(() -> Coordinator.builder(uri, Map.of("CONSUL_TOKEN", "wrong")::get)
                            .build())
                    .as("the token is sent: a wrong one is refused")
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageNotContaining("wrong");
            try (Coordinator coordinator = Coordinator.builder(uri, Map.of("CONSUL_TOKEN", TOKEN)::get)
                            .sessionTtl(Duration.ofSeconds(10))
                            .build();
                    LockHandle held = coordinator.lock("job").acquire(Duration.ofSeconds(10))) {
                assertThat(held.isValid()).isTrue();
                assertThat(consul.keys("uri-app/"))
                        .as("the lock's key, under the URI's prefix")
                        .isNotEmpty();
                assertThat(coordinator.toString()).doesNotContain(TOKEN);
            }
            assertThat(consul.keys("uri-app/")).as("keys after close").isEmpty();
        }
    }

    @Test
    void every_mistake_names_what_to_fix_and_never_the_token() {
        String token = "&token=" + TOKEN;
        Map<String, String> expected = Map.of(
                "consul://agent/app?namespace=x" + token,
                "consul URI: unknown parameter 'namespace'; consul URIs take dc, https, lock-delay, request-timeout,"
                        + " token, token-env",
                "consul://a1:8500,a2:8500/app?dc=x" + token,
                "consul URI: name exactly one host, the local Consul agent, as in consul://agent:8500/prefix; got 2",
                "consul://admin@agent/app?dc=x" + token,
                "consul URI: Consul has no user; give the ACL token as token-env=VARIABLE or token=...",
                "consul://agent/app?dc=eu%2F1" + token,
                "consul URI: parameter 'dc': datacenter may hold only letters, digits, '-' and '_', got 'eu/1'",
                "consul://agent/app?https=yes" + token,
                "consul URI: parameter 'https' must be true or false, got 'yes'",
                "consul://agent/app?lock-delay=500ms" + token,
                "consul URI: parameter 'lock-delay': lockDelay must be whole seconds",
                "consul://agent/app?request-timeout=0s" + token,
                "consul URI: parameter 'request-timeout': requestTimeout must be positive",
                "consul://agent/a//b?dc=x" + token,
                "consul URI: the path (the key prefix): keyPrefix",
                "consul://agent/app?token-env=T" + token,
                "consul URI: give either token=... or token-env=VARIABLE, not both");
        expected.forEach((uri, message) -> assertThatThrownBy(() -> Coordinator.builder(uri, name -> null))
                .as(uri)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining(TOKEN));
        assertThat(Coordinator.builder("consul://agent/app?https=true&dc=eu1" + token))
                .isNotNull();
    }
}
