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
package dev.baton.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: what an {@code etcd://} URI may say, checked before anything is sent; each mistake names the part or
 * parameter to fix, and no message holds the password.
 */
class EtcdUriTest {
    private static final String SECRET = "pw-Zq81-secret";

    @Test
    void full_uri_is_accepted_with_the_password_from_the_environment() {
        CoordinatorBuilder builder = Coordinator.builder(
                "etcd://alice@h1:2379,h2,[::1]:2380/team/app?password-env=ETCD_PW&request-timeout=3s&minimum-ttl=1s",
                Map.of("ETCD_PW", SECRET)::get);
        assertThat(builder).isNotNull();
        assertThat(Coordinator.builder("etcd://root@h1/app?password=" + SECRET)).isNotNull();
    }

    @Test
    void every_mistake_names_what_to_fix_and_never_the_password() {
        String pw = "&password=" + SECRET;
        Map<String, String> expected = Map.ofEntries(
                Map.entry(
                        "etcd:///app?x=1" + pw,
                        "etcd URI: unknown parameter 'x'; etcd URIs take minimum-ttl,"
                                + " password, password-env, request-timeout, tls-ca, tls-cert, tls-key"),
                Map.entry(
                        "etcd:///app?request-timeout=1s" + pw,
                        "etcd URI: name at least one host, as in etcd://host1:2379,host2:2379/namespace"),
                Map.entry(
                        "etcd://alice@h1/app",
                        "etcd URI: user 'alice' needs a password: add password-env=VARIABLE or password=..."),
                Map.entry(
                        "etcd://h1/app?" + pw.substring(1),
                        "etcd URI: a password needs a user: write etcd://USER@host/..."),
                Map.entry("etcd://u@h1/a//b?" + pw.substring(1), "etcd URI: the path (the namespace): namespace"),
                Map.entry(
                        "etcd://u@h1/app?tls-ca=/no/such/ca.pem" + pw,
                        "etcd URI: parameter 'tls-ca': caCertificates file /no/such/ca.pem does not exist"),
                Map.entry(
                        "etcd://u@h1/app?tls-ca=/no/ca.pem&tls-cert=/c.pem" + pw,
                        "etcd URI: a client certificate needs all of tls-ca, tls-cert and tls-key"),
                Map.entry(
                        "etcd://u@h1/app?tls-cert=/c.pem&tls-key=/k.pem" + pw,
                        "etcd URI: a client certificate needs all of tls-ca, tls-cert and tls-key"),
                Map.entry(
                        "etcd://u@h1/app?request-timeout=0s" + pw,
                        "etcd URI: parameter 'request-timeout': requestTimeout must be positive, got PT0S"),
                Map.entry(
                        "etcd://u@h1/app?request-timeout=fast" + pw,
                        "etcd URI: parameter 'request-timeout' must be a duration such as 500ms"),
                Map.entry("etcd://u@h1/app?minimum-ttl=500ms" + pw, "etcd URI: parameter 'minimum-ttl': minimumTtl"),
                Map.entry(
                        "etcd://u@h1/app?password-env=UNSET_BATON_VAR",
                        "etcd URI: the environment variable 'UNSET_BATON_VAR' named by password-env is not set"),
                Map.entry("etcd://u:" + SECRET + "@h1/app", "etcd URI: the user part holds a password"));
        expected.forEach((uri, message) -> assertThatThrownBy(() -> Coordinator.builder(uri, name -> null))
                .as(uri)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining(SECRET));
    }
}
