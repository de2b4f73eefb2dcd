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

import dev.baton.lock.spi.ConnectionUri;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Composes the connection URI that {@link BatonAutoConfiguration} builds its coordinator from: {@code baton.uri} with
 * {@code baton.namespace} as its path, {@code baton.username} as its user, and {@code baton.password} or {@code
 * baton.token} named by a {@code password-env}/{@code token-env} parameter, so that the secret is read through the
 * environment function (Spring's {@code Environment}) and never written into the URI, where a message could show it.
 *
 * <p>Stateless and threadsafe.
 */
final class CoordinatorUri {
    /** The property that {@code password-env} names in a composed URI. */
    static final String PASSWORD_PROPERTY = "baton.password";
    /** The property that {@code token-env} names in a composed URI. */
    static final String TOKEN_PROPERTY = "baton.token";

    private CoordinatorUri() {}

    /**
     * Returns {@code baton.uri} completed by the other properties.
     *
     * @param properties the bound properties; {@code uri} must be set
     * @param environment resolves the {@code *-env} parameters of {@code baton.uri} (used here only to parse it)
     * @return the URI to build the coordinator from
     * @throws IllegalArgumentException naming the property to change, when a property and the URI both give one
     *     setting, or the URI cannot take it
     */
    static String compose(BatonProperties properties, Function<String, String> environment) {
        String uri = properties.getUri();
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("baton.uri is empty; set it to the cluster's connection URI, such as"
                    + " etcd://127.0.0.1:2379/myapp");
        }
        uri = uri.trim();
        ConnectionUri parsed = ConnectionUri.parse(uri, environment);
        if (isSet(properties.getNamespace())) {
            requireHierarchical(parsed, "baton.namespace");
            if (!parsed.path().isEmpty()) {
                throw new IllegalArgumentException("baton.namespace is set and baton.uri names the namespace '"
                        + parsed.path() + "' in its path; keep one of them");
            }
            uri = insertPath(uri, encode(properties.getNamespace(), true));
        }
        if (isSet(properties.getUsername())) {
            requireHierarchical(parsed, "baton.username");
            if (parsed.user().isPresent()) {
                throw new IllegalArgumentException("baton.username is set and baton.uri names the user '"
                        + parsed.user().get() + "'; keep one of them");
            }
            int authority = uri.indexOf("//") + 2;
            uri = uri.substring(0, authority) + encode(properties.getUsername(), false) + "@"
                    + uri.substring(authority);
        }
        uri = addSecret(uri, parsed, "password", PASSWORD_PROPERTY, properties.getPassword());
        return addSecret(uri, parsed, "token", TOKEN_PROPERTY, properties.getToken());
    }

    private static String addSecret(String uri, ConnectionUri parsed, String parameter, String property, String value) {
        if (!isSet(value)) {
            return uri;
        }
        if (parsed.parameterNames().contains(parameter)
                || parsed.parameterNames().contains(parameter + "-env")) {
            throw new IllegalArgumentException(
                    property + " is set and baton.uri gives the " + parameter + " as a parameter; keep one of them");
        }
        return uri + (uri.indexOf('?') < 0 ? '?' : '&') + parameter + "-env=" + property;
    }

    private static void requireHierarchical(ConnectionUri parsed, String property) {
        if (!parsed.hierarchical()) {
            throw new IllegalArgumentException(property + " is set, but baton.uri (" + parsed.scheme()
                    + ":...) has no place for it; leave " + property + " unset");
        }
    }

    private static String insertPath(String uri, String path) {
        int query = uri.indexOf('?');
        String base = query < 0 ? uri : uri.substring(0, query);
        String rest = query < 0 ? "" : uri.substring(query);
        // A URI without a path may still end in the '/' that starts an empty one.
        return (base.endsWith("/") ? base : base + "/") + path + rest;
    }

    private static String encode(String text, boolean keepSlashes) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean unreserved = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || (keepSlashes && c == '/');
            if (unreserved) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
                out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean isSet(String value) {
        return value != null && !value.isEmpty();
    }
}
