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
package dev.baton.lock.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The syntax of connection URIs (issue 13): each part parsed, each mistake named, no secret ever shown. */
class ConnectionUriTest {
    private static final String SECRET = "s3cr3t-Value";
    private static final Function<String, String> NO_ENV = name -> null;

    private static ConnectionUri parse(String uri) {
        return ConnectionUri.parse(uri, NO_ENV);
    }

    @Test
    void hierarchical_uri_yields_user_hosts_path_and_parameters() {
        ConnectionUri uri = parse("ETCD://alice@h1:2379,h2,[::1]:2380/my%2Fapp/locks?request-timeout=3s&tls-ca=/a%20b");
        assertThat(uri.scheme()).isEqualTo("etcd");
        assertThat(uri.hierarchical()).isTrue();
        assertThat(uri.user()).contains("alice");
        assertThat(uri.hosts()).containsExactly("h1:2379", "h2", "[::1]:2380");
        assertThat(uri.hosts(2379)).containsExactly("h1:2379", "h2:2379", "[::1]:2380");
        assertThat(uri.path()).isEqualTo("my/app/locks");
        assertThat(uri.parameterNames()).containsExactly("request-timeout", "tls-ca");
        assertThat(uri.duration("request-timeout")).contains(Duration.ofSeconds(3));
        assertThat(uri.parameter("tls-ca")).contains("/a b");
        assertThat(uri.parameter("absent")).isEmpty();
    }

    @Test
    void opaque_uri_yields_its_text_as_the_path() {
        ConnectionUri named = parse("inmemory:orders?x=1");
        assertThat(named.hierarchical()).isFalse();
        assertThat(named.path()).isEqualTo("orders");
        assertThat(named.hosts()).isEmpty();
        assertThat(parse("inmemory:").path()).isEmpty();
    }

    @Test
    void durations_take_short_units_and_iso_8601() {
        ConnectionUri uri = parse("x://h?a=500ms&b=2m&c=1h&d=1d&e=PT1.5S&f=soon");
        assertThat(uri.duration("a")).contains(Duration.ofMillis(500));
        assertThat(uri.duration("b")).contains(Duration.ofMinutes(2));
        assertThat(uri.duration("c")).contains(Duration.ofHours(1));
        assertThat(uri.duration("d")).contains(Duration.ofDays(1));
        assertThat(uri.duration("e")).contains(Duration.ofMillis(1500));
        assertThatThrownBy(() -> uri.duration("f"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x URI: parameter 'f' must be a duration such as 500ms, 10s, 2m or PT1.5S, got 'soon'");
    }

    @Test
    void flags_are_true_or_false() {
        ConnectionUri uri = parse("x://h?a=true&b=false&c=yes");
        assertThat(uri.flag("a")).contains(true);
        assertThat(uri.flag("b")).contains(false);
        assertThatThrownBy(() -> uri.flag("c")).hasMessage("x URI: parameter 'c' must be true or false, got 'yes'");
    }

    @Test
    void secret_comes_from_the_parameter_or_the_variable_it_names() {
        assertThat(parse("x://h?password=" + SECRET).secret("password")).contains(SECRET);
        ConnectionUri fromEnv = ConnectionUri.parse("x://h?token-env=MY_TOKEN", Map.of("MY_TOKEN", SECRET)::get);
        assertThat(fromEnv.secret("token")).contains(SECRET);
        assertThat(parse("x://h").secret("token")).isEmpty();
    }

    @Test
    void secret_mistakes_name_the_parameter_or_variable_never_the_value() {
        assertThatThrownBy(() ->
                        parse("x://h?password=" + SECRET + "&password-env=V").secret("password"))
                .hasMessage("x URI: give either password=... or password-env=VARIABLE, not both");
        assertThatThrownBy(() -> parse("x://h?password=").secret("password"))
                .hasMessage("x URI: parameter 'password' is empty");
        assertThatThrownBy(() -> parse("x://h?password-env=").secret("password"))
                .hasMessageContaining("parameter 'password-env' is empty");
        assertThatThrownBy(() -> parse("x://h?token-env=UNSET_VAR").secret("token"))
                .hasMessage("x URI: the environment variable 'UNSET_VAR' named by token-env is not set; set it to the"
                        + " token");
        assertThatThrownBy(() -> ConnectionUri.parse("x://h?token-env=V", Map.of("V", "")::get)
                        .secret("token"))
                .hasMessageContaining("'V' named by token-env is empty");
    }

    @Test
    void to_string_hides_secret_values_and_keeps_the_rest() {
        ConnectionUri uri = parse("etcd://alice@h1:2379/app?password=" + SECRET + "&token=" + SECRET
                + "&password-env=VAR&request-timeout=2s");
        assertThat(uri.toString())
                .doesNotContain(SECRET)
                .isEqualTo("etcd://alice@h1:2379/app?password=***&token=***&password-env=VAR&request-timeout=2s");
        assertThat(parse("inmemory:a").toString()).isEqualTo("inmemory:a");
    }

    @Test
    void password_in_the_user_part_is_refused_without_showing_it() {
        assertThatThrownBy(() -> parse("etcd://alice:" + SECRET + "@h1:2379/app"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("password-env=VARIABLE")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void malformed_parts_are_named_and_no_message_holds_a_secret() {
        String secret = "&password=" + SECRET;
        Map<String, String> expected = Map.of(
                "etcd//h1" + secret, "a connection URI starts with its scheme",
                "1x://h" + secret, "a connection URI starts with its scheme",
                "etcd://h1:2379/app#frag" + secret, "etcd URI: a fragment ('#...') is not part",
                "etcd://@h1/app?x=1" + secret, "etcd URI: the user before '@' is empty",
                "etcd://h1:2379,,h2/app?x=1" + secret, "etcd URI: host '' in 'h1:2379,,h2' is not a host name",
                "etcd://h_1!/app?x=1" + secret, "etcd URI: host 'h_1!' in 'h_1!' is not a host name",
                "etcd://h1:99999/app?x=1" + secret, "etcd URI: the port of host 'h1:99999' must be a number from 1",
                "etcd://h1:/app?x=1" + secret, "etcd URI: the port of host 'h1:' must be a number",
                "etcd://h1/app?x=1&x=2" + secret, "etcd URI: parameter 'x' is given twice",
                "etcd://h1/app?tls" + secret, "etcd URI: parameter 'tls' has no value; write tls=...");
        expected.forEach((uri, message) -> assertThatThrownBy(() -> parse(uri))
                .as(uri)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining(SECRET));
        for (String uri : List.of(
                "etcd://h1/app?Bad=1" + secret,
                "etcd://h1/a%zzpp?x=1" + secret,
                "etcd://h1/app?password=%q" + SECRET,
                "etcd://al%ice@h1/app" + secret)) {
            assertThatThrownBy(() -> parse(uri))
                    .as(uri)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("etcd URI: ")
                    .hasMessageNotContaining(SECRET);
        }
        assertThatThrownBy(() -> parse("etcd://h1/a%zzpp")).hasMessageContaining("the path holds a '%'");
    }

    @Test
    void required_hosts_add_the_default_port_and_refuse_none() {
        assertThat(parse("x://h1,h2:9/app").requiredHosts(7, "x://h:7/app")).containsExactly("h1:7", "h2:9");
        assertThatThrownBy(() -> parse("x:app").requiredHosts(7, "x://h1:7,h2:7/app"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x URI: name at least one host, as in x://h1:7,h2:7/app");
    }

    @Test
    void configure_path_passes_a_path_given_and_names_it_when_refused() {
        List<String> set = new ArrayList<>();
        parse("x://h").configurePath("the namespace", set::add);
        assertThat(set).as("no path, no call").isEmpty();
        parse("x://h/app").configurePath("the namespace", set::add);
        assertThat(set).containsExactly("app");
        assertThatThrownBy(() -> parse("x://h/app").configurePath("the namespace", p -> {
                    throw new IllegalArgumentException("too short");
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x URI: the path (the namespace): too short");
    }

    @Test
    void configure_user_and_password_needs_both_and_never_shows_the_password() {
        List<String> set = new ArrayList<>();
        parse("x://h").configureUserAndPassword((user, password) -> set.add(user));
        assertThat(set).as("neither given, no call").isEmpty();
        parse("x://alice@h?password=" + SECRET)
                .configureUserAndPassword((user, password) -> set.add(user + "/" + password));
        assertThat(set).containsExactly("alice/" + SECRET);
        assertThatThrownBy(() -> parse("x://alice@h").configureUserAndPassword((user, password) -> {}))
                .hasMessage("x URI: user 'alice' needs a password: add password-env=VARIABLE or password=...");
        assertThatThrownBy(() -> parse("x://h?password=" + SECRET).configureUserAndPassword((user, password) -> {}))
                .hasMessage("x URI: a password needs a user: write x://USER@host/...");
        assertThatThrownBy(() -> parse("x://alice@h?password=" + SECRET).configureUserAndPassword((user, password) -> {
                    throw new IllegalArgumentException("unknown user");
                }))
                .hasMessage("x URI: the user: unknown user")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void configure_duration_passes_a_parameter_given_and_names_it_when_refused() {
        List<Duration> set = new ArrayList<>();
        parse("x://h").configureDuration("request-timeout", set::add);
        assertThat(set).as("not given, no call").isEmpty();
        parse("x://h?request-timeout=2s").configureDuration("request-timeout", set::add);
        assertThat(set).containsExactly(Duration.ofSeconds(2));
        assertThatThrownBy(() -> parse("x://h?request-timeout=0s").configureDuration("request-timeout", d -> {
                    throw new IllegalArgumentException("must be positive");
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x URI: parameter 'request-timeout': must be positive");
    }
}
