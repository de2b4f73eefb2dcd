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

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection URI, parsed for a {@link BackendProvider}: {@code scheme://[user@]host[:port][,host[:port]...][/path][?
 * name=value[&name=value...]]}, or the opaque form {@code scheme:text[?...]}. The scheme is case-insensitive;
 * the user, the path and parameter values are percent-decoded (UTF-8); a host is a name, an IPv4 address or an IPv6
 * address in brackets.
 *
 * <p>Secrets are parameters: {@code password} and {@code token} give the value in the URI, {@code password-env} and
 * {@code token-env} name an environment variable that holds it ({@link #secret(String)}). A password in the user part
 * ({@code user:secret@host}) is refused, so that a URI without secrets can be logged and shown. No message of this
 * class and not its {@link #toString()} ever contains the value of a secret parameter, nor the raw URI.
 *
 * <p>Immutable and threadsafe, provided the environment function is.
 */
public final class ConnectionUri {
    /** The parameters whose values are secrets: never shown, in messages or {@link #toString()}. */
    public static final Set<String> SECRET_PARAMETERS = Set.of("password", "token");

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+]");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private final String scheme;
    private final boolean hierarchical;
    private final String user;
    private final List<String> hosts;
    private final String path;
    private final Map<String, String> parameters;
    private final Function<String, String> environment;

    private ConnectionUri(
            String scheme,
            boolean hierarchical,
            String user,
            List<String> hosts,
            String path,
            Map<String, String> parameters,
            Function<String, String> environment) {
        this.scheme = scheme;
        this.hierarchical = hierarchical;
        this.user = user;
        this.hosts = hosts;
        this.path = path;
        this.parameters = parameters;
        this.environment = environment;
    }

    /**
     * Parses a connection URI. Only the syntax is checked here; which parameters a scheme takes, and what its hosts
     * and path mean, is its provider's part.
     *
     * @param uri the URI
     * @param environment looks up the environment variables named by {@code *-env} parameters ({@code System::getenv}
     *     for the process's own); returns null for an unset variable
     * @return the parsed URI
     * @throws IllegalArgumentException if the URI is malformed; the message names the part to fix and never holds a
     *     secret
     * @throws NullPointerException if an argument is null
     */
    public static ConnectionUri parse(String uri, Function<String, String> environment) {
        Objects.requireNonNull(uri, "uri must not be null");
        Objects.requireNonNull(environment, "environment must not be null");
        int colon = uri.indexOf(':');
        if (colon < 0 || !SCHEME.matcher(uri.substring(0, colon)).matches()) {
            throw new IllegalArgumentException("a connection URI starts with its scheme, such as etcd://,"
                    + " zookeeper://, consul:// or inmemory:, and this one has none");
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = uri.substring(colon + 1);
        if (rest.indexOf('#') >= 0) {
            throw new IllegalArgumentException(scheme + " URI: a fragment ('#...') is not part of a connection URI;"
                    + " percent-encode a '#' in a value as %23");
        }
        int question = rest.indexOf('?');
        String query = question < 0 ? "" : rest.substring(question + 1);
        rest = question < 0 ? rest : rest.substring(0, question);
        Map<String, String> parameters = parseQuery(scheme, query);
        if (!rest.startsWith("//")) {
            return new ConnectionUri(
                    scheme,
                    false,
                    null,
                    List.of(),
                    decode(scheme, "the part after 'scheme:'", rest),
                    parameters,
                    environment);
        }
        String authorityAndPath = rest.substring(2);
        int slash = authorityAndPath.indexOf('/');
        String authority = slash < 0 ? authorityAndPath : authorityAndPath.substring(0, slash);
        String path = slash < 0 ? "" : decode(scheme, "the path", authorityAndPath.substring(slash + 1));
        String user = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            if (userInfo.indexOf(':') >= 0) {
                throw new IllegalArgumentException(scheme + " URI: the user part holds a password ('user:...@');"
                        + " give only the user there and the password as the parameter password-env=VARIABLE (read"
                        + " from the environment) or password=...");
            }
            user = decode(scheme, "the user", userInfo);
            if (user.isEmpty()) {
                throw new IllegalArgumentException(scheme + " URI: the user before '@' is empty");
            }
            authority = authority.substring(at + 1);
        }
        return new ConnectionUri(scheme, true, user, parseHosts(scheme, authority), path, parameters, environment);
    }

    private static List<String> parseHosts(String scheme, String authority) {
        if (authority.isEmpty()) {
            return List.of();
        }
        List<String> hosts = new ArrayList<>();
        for (String host : authority.split(",", -1)) {
            String name = host;
            String port = null;
            int close = host.lastIndexOf(']');
            int colon = host.lastIndexOf(':');
            if (colon > close) {
                name = host.substring(0, colon);
                port = host.substring(colon + 1);
            }
            if (!(HOST_NAME.matcher(name).matches() || IPV6.matcher(name).matches())) {
                throw new IllegalArgumentException(scheme + " URI: host '" + host + "' in '" + authority
                        + "' is not a host name, an IPv4 address or an [IPv6] address with an optional :port");
            }
            if (port != null && !validPort(port)) {
                throw new IllegalArgumentException(
                        scheme + " URI: the port of host '" + host + "' must be a number" + " from 1 to 65535");
            }
            hosts.add(host);
        }
        return Collections.unmodifiableList(hosts);
    }

    private static boolean validPort(String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    private static Map<String, String> parseQuery(String scheme, String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!PARAMETER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(scheme + " URI: a parameter name is lower-case letters, digits"
                        + " and '-', starting with a letter; one is not"
                        + (name.length() <= 40 ? ": '" + name + "'" : ""));
            }
            if (eq < 0) {
                throw new IllegalArgumentException(
                        scheme + " URI: parameter '" + name + "' has no value; write " + name + "=...");
            }
            String value = decode(scheme, "the value of parameter '" + name + "'", pair.substring(eq + 1));
            if (parameters.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException(scheme + " URI: parameter '" + name + "' is given twice");
            }
        }
        return Collections.unmodifiableMap(parameters);
    }

    /** Percent-decodes {@code text} as UTF-8; the message names {@code what}, never the text (it may be a secret). */
    private static String decode(String scheme, String what, String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
            if (low < 0) {
                throw new IllegalArgumentException(scheme + " URI: " + what
                        + " holds a '%' that is not followed by two hex digits; write a literal '%' as %25");
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Returns the scheme, in lower case.
     *
     * @return the scheme, without {@code :}
     */
    public String scheme() {
        return scheme;
    }

    /**
     * Returns whether the URI has the {@code scheme://authority} form, rather than the opaque {@code scheme:text}.
     *
     * @return true for {@code scheme://...}
     */
    public boolean hierarchical() {
        return hierarchical;
    }

    /**
     * Returns the user given before {@code @}, decoded.
     *
     * @return the user, or empty if none
     */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /**
     * Returns the hosts of the authority, in order, each as {@code host} or {@code host:port} as written.
     *
     * @return the hosts; empty for an opaque URI or an empty authority
     */
    public List<String> hosts() {
        return hosts;
    }

    /**
     * Returns the hosts with {@code defaultPort} added to those written without a port.
     *
     * @param defaultPort the port of a host written without one
     * @return the hosts, each {@code host:port}
     */
    public List<String> hosts(int defaultPort) {
        List<String> withPorts = new ArrayList<>();
        for (String host : hosts) {
            withPorts.add(host.lastIndexOf(':') > host.lastIndexOf(']') ? host : host + ":" + defaultPort);
        }
        return Collections.unmodifiableList(withPorts);
    }

    /**
     * Returns the hosts with {@code defaultPort} added to those written without a port, for a scheme that needs at
     * least one host.
     *
     * @param defaultPort the port of a host written without one
     * @param example a URI of the scheme with hosts, for the message, such as {@code etcd://host1:2379/namespace}
     * @return the hosts, each {@code host:port}, at least one
     * @throws IllegalArgumentException if the URI names no host: "{@code scheme URI: name at least one host, as in
     *     example}"
     */
    public List<String> requiredHosts(int defaultPort, String example) {
        if (hosts.isEmpty()) {
            throw invalid("name at least one host, as in " + example);
        }
        return hosts(defaultPort);
    }

    /**
     * Returns the path after the authority without its leading {@code /} ({@code myapp} for {@code
     * etcd://h:2379/myapp}), or the text after {@code scheme:} of an opaque URI ({@code name} for {@code
     * inmemory:name}); decoded.
     *
     * @return the path; empty if none
     */
    public String path() {
        return path;
    }

    /**
     * Returns the names of the parameters given, in order.
     *
     * @return the names
     */
    public Set<String> parameterNames() {
        return parameters.keySet();
    }

    /**
     * Returns a parameter's decoded value. Use {@link #secret(String)} for a secret.
     *
     * @param name the parameter's name
     * @return its value, or empty if it was not given
     */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /**
     * Returns a parameter as a duration: a whole number with a unit of {@code ms}, {@code s}, {@code m}, {@code h}
     * or {@code d} ({@code 500ms}, {@code 10s}), or ISO-8601 ({@code PT1.5S}).
     *
     * @param name the parameter's name
     * @return the duration, or empty if the parameter was not given
     * @throws IllegalArgumentException if its value is not such a duration
     */
    public Optional<Duration> duration(String name) {
        return parameter(name).map(value -> {
            Matcher m = SHORT_DURATION.matcher(value);
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "ms":
                        return Duration.ofMillis(amount);
                    case "s":
                        return Duration.ofSeconds(amount);
                    case "m":
                        return Duration.ofMinutes(amount);
                    case "h":
                        return Duration.ofHours(amount);
                    default:
                        return Duration.ofDays(amount);
                }
            }
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw invalid("parameter '" + name + "' must be a duration such as 500ms, 10s, 2m or PT1.5S, got '"
                        + value + "'");
            }
        });
    }

    /**
     * Returns a parameter as a boolean, {@code true} or {@code false}.
     *
     * @param name the parameter's name
     * @return the value, or empty if the parameter was not given
     * @throws IllegalArgumentException if its value is neither
     */
    public Optional<Boolean> flag(String name) {
        return parameter(name).map(value -> {
            if (value.equals("true") || value.equals("false")) {
                return Boolean.valueOf(value);
            }
            throw invalid("parameter '" + name + "' must be true or false, got '" + value + "'");
        });
    }

    /**
     * Returns a secret given either as the parameter {@code name} itself or, read from the environment, through the
     * parameter {@code name-env} that names the variable holding it. Messages name the parameter and the variable,
     * never the value.
     *
     * @param name the secret's parameter, one of {@link #SECRET_PARAMETERS}
     * @return the secret, or empty if neither parameter was given
     * @throws IllegalArgumentException if both parameters were given, the value is empty, or the variable is unset
     *     or empty
     */
    public Optional<String> secret(String name) {
        String direct = parameters.get(name);
        String variable = parameters.get(name + "-env");
        if (direct != null && variable != null) {
            throw invalid("give either " + name + "=... or " + name + "-env=VARIABLE, not both");
        }
        if (direct != null) {
            if (direct.isEmpty()) {
                throw invalid("parameter '" + name + "' is empty");
            }
            return Optional.of(direct);
        }
        if (variable == null) {
            return Optional.empty();
        }
        if (variable.isEmpty()) {
            throw invalid(
                    "parameter '" + name + "-env' is empty; it names the environment variable that holds the " + name);
        }
        String value = environment.apply(variable);
        if (value == null || value.isEmpty()) {
            throw invalid("the environment variable '" + variable + "' named by " + name + "-env is "
                    + (value == null ? "not set" : "empty") + "; set it to the " + name);
        }
        return Optional.of(value);
    }

    /**
     * Runs a setter of a backend builder with a value taken from this URI, and turns the {@link
     * IllegalArgumentException} the builder throws for a bad value into one that names the part of the URI to fix.
     *
     * @param part the part of the URI the value came from, such as {@code "parameter 'request-timeout'"}
     * @param setter calls the builder's setter
     * @throws IllegalArgumentException if the setter refused the value: "{@code scheme URI: part: builder's message}"
     */
    public void configure(String part, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            IllegalArgumentException named = invalid(part + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        }
    }

    /**
     * Passes the path, if not empty, to a setter of a backend builder through {@link #configure(String, Runnable)}.
     *
     * @param meaning what the path means to the backend, for the message, such as {@code "the namespace"}
     * @param setter the builder's setter
     * @throws IllegalArgumentException if the setter refused the path: "{@code scheme URI: the path (meaning):
     *     builder's message}"
     */
    public void configurePath(String meaning, Consumer<String> setter) {
        if (!path.isEmpty()) {
            configure("the path (" + meaning + ")", () -> setter.accept(path));
        }
    }

    /**
     * Passes the user and its password, which go together, to a setter of a backend builder through {@link
     * #configure(String, Runnable)}: the user written before {@code @}, the password given as the {@code password}
     * or {@code password-env} parameter ({@link #secret(String)}). Does nothing when neither is given.
     *
     * @param setter the builder's setter, called with the user and the password
     * @throws IllegalArgumentException if a user was given without a password or a password without a user, if
     *     {@link #secret(String)} refuses the password, or if the setter refused them ("{@code scheme URI: the user:
     *     builder's message}")
     */
    public void configureUserAndPassword(BiConsumer<String, String> setter) {
        Optional<String> password = secret("password");
        if ((user != null) != password.isPresent()) {
            throw invalid(
                    user != null
                            ? "user '" + user + "' needs a password: add password-env=VARIABLE or password=..."
                            : "a password needs a user: write " + scheme + "://USER@host/...");
        }
        if (user != null) {
            configure("the user", () -> setter.accept(user, password.get()));
        }
    }

    /**
     * Passes a duration parameter ({@link #duration(String)}), if given, to a setter of a backend builder through
     * {@link #configure(String, Runnable)}.
     *
     * @param name the parameter's name, such as {@code request-timeout}
     * @param setter the builder's setter
     * @throws IllegalArgumentException if the value is not a duration, or the setter refused it ("{@code scheme URI:
     *     parameter 'name': builder's message}")
     */
    public void configureDuration(String name, Consumer<Duration> setter) {
        duration(name).ifPresent(d -> configure("parameter '" + name + "'", () -> setter.accept(d)));
    }

    /**
     * Returns an exception for a bad part of this URI, its message prefixed with the scheme.
     *
     * @param what what is wrong and what to change; must not contain a secret
     * @return the exception, to throw
     */
    public IllegalArgumentException invalid(String what) {
        return new IllegalArgumentException(scheme + " URI: " + what);
    }

    /**
     * Returns the URI with the values of secret parameters replaced by {@code ***}.
     *
     * @return the URI, safe to log
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(scheme).append(':');
        if (hierarchical) {
            s.append("//");
            if (user != null) {
                s.append(user).append('@');
            }
            s.append(String.join(",", hosts));
            if (!path.isEmpty()) {
                s.append('/');
            }
        }
        s.append(path);
        char separator = '?';
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            s.append(separator).append(p.getKey()).append('=');
            s.append(SECRET_PARAMETERS.contains(p.getKey()) ? "***" : p.getValue());
            separator = '&';
        }
        return s.toString();
    }
}
