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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CoordinatorUri}: how {@code baton.*} properties complete {@code baton.uri}, and the mistakes it refuses. */
class CoordinatorUriTest {
    private static final String SECRET = "Pw-7-secret";

    private static BatonProperties properties(String uri) {
        BatonProperties properties = new BatonProperties();
        properties.setUri(uri);
        return properties;
    }

    private static String compose(BatonProperties properties) {
        return CoordinatorUri.compose(properties, Map.<String, String>of()::get);
    }

    @Test
    void the_uri_alone_is_kept_as_written() {
        assertThat(compose(properties(" etcd://h1:2379,h2/app?request-timeout=2s ")))
                .isEqualTo("etcd://h1:2379,h2/app?request-timeout=2s");
    }

    @Test
    void namespace_becomes_the_path_before_the_parameters() {
        BatonProperties p = properties("etcd://h1:2379?request-timeout=2s");
        p.setNamespace("my app/jobs");
        assertThat(compose(p)).isEqualTo("etcd://h1:2379/my%20app/jobs?request-timeout=2s");
        BatonProperties slash = properties("zookeeper://zk1/");
        slash.setNamespace("app");
        assertThat(compose(slash)).isEqualTo("zookeeper://zk1/app");
    }

    @Test
    void username_and_password_are_added_and_the_password_is_named_never_written() {
        BatonProperties p = properties("etcd://h1/app");
        p.setUsername("app user");
        p.setPassword(SECRET);
        assertThat(compose(p)).isEqualTo("etcd://app%20user@h1/app?password-env=baton.password");
        assertThat(p.toString()).doesNotContain(SECRET).contains("password=(set)");
        BatonProperties consul = properties("consul://agent:8500/app?dc=eu");
        consul.setToken(SECRET);
        assertThat(compose(consul)).isEqualTo("consul://agent:8500/app?dc=eu&token-env=baton.token");
    }

    @Test
    void a_setting_given_twice_or_without_a_place_names_the_property_to_change() {
        BatonProperties twoNamespaces = properties("etcd://h1/app");
        twoNamespaces.setNamespace("other");
        assertThatThrownBy(() -> compose(twoNamespaces))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baton.namespace is set and baton.uri names the namespace 'app' in its path; keep one of"
                        + " them");
        BatonProperties twoUsers = properties("etcd://u@h1/app");
        twoUsers.setUsername("v");
        assertThatThrownBy(() -> compose(twoUsers)).hasMessageStartingWith("baton.username is set and baton.uri");
        BatonProperties twoPasswords = properties("etcd://u@h1/app?password-env=PW");
        twoPasswords.setPassword(SECRET);
        assertThatThrownBy(() -> compose(twoPasswords))
                .hasMessage("baton.password is set and baton.uri gives the password as a parameter; keep one of them");
        BatonProperties opaque = properties("inmemory:test");
        opaque.setNamespace("app");
        assertThatThrownBy(() -> compose(opaque))
                .hasMessage("baton.namespace is set, but baton.uri (inmemory:...) has no place for it; leave"
                        + " baton.namespace unset");
        assertThatThrownBy(() -> compose(properties(" ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("baton.uri is empty");
    }
}
