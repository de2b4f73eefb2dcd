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

import java.util.Objects;
import org.apache.curator.utils.PathUtils;

/**
 * Checks a ZooKeeper connect string before a client is built from it: {@code host[:port][,host[:port]...][/chroot]},
 * where a host is a name, an IPv4 address or an IPv6 address in brackets, and a port is 1 to 65535 (2181 when left
 * out). ZooKeeper's own parser accepts some mistakes silently (a space before a host name, an empty host between two
 * commas) and then never connects; this check names the mistake instead.
 *
 * <p>Stateless and threadsafe.
 */
public final class ConnectString {
    private static final String EXAMPLE = "e.g. \"zk1:2181,zk2:2181,zk3:2181\"";

    private ConnectString() {}

    /**
     * Checks {@code connectString}.
     *
     * @return the connect string, unchanged
     * @throws IllegalArgumentException naming the mistake and what to write instead
     */
    public static String check(String connectString) {
        Objects.requireNonNull(connectString, "connectString must not be null");
        if (connectString.isBlank()) {
            throw new IllegalArgumentException("connectString must not be blank, " + EXAMPLE);
        }
        if (connectString.contains("://")) {
            throw fail(connectString, "is host:port pairs without a scheme such as zk:// or tcp://");
        }
        for (int i = 0; i < connectString.length(); i++) {
            if (Character.isWhitespace(connectString.charAt(i))) {
                throw fail(connectString, "contains whitespace at character " + i + "; remove it");
            }
        }
        int slash = connectString.indexOf('/');
        String hosts = slash < 0 ? connectString : connectString.substring(0, slash);
        if (slash >= 0) {
            String chroot = connectString.substring(slash);
            if (chroot.length() > 1) {
                try {
                    PathUtils.validatePath(chroot);
                } catch (IllegalArgumentException e) {
                    throw fail(
                            connectString,
                            "ends with the chroot '" + chroot + "', which is not a valid ZooKeeper path ("
                                    + e.getMessage() + "); prefer namespace(...) to a chroot");
                }
            }
        }
        if (hosts.isEmpty()) {
            throw fail(connectString, "names no host");
        }
        String[] parts = hosts.split(",", -1);
        for (String part : parts) {
            checkHostPort(connectString, part);
        }
        return connectString;
    }

    private static void checkHostPort(String connectString, String part) {
        if (part.isEmpty()) {
            throw fail(connectString, "has an empty host between commas (or a comma at either end); remove it");
        }
        String host;
        String port;
        if (part.startsWith("[")) {
            int close = part.indexOf(']');
            if (close < 0) {
                throw fail(connectString, "has an IPv6 address without its closing ']' in '" + part + "'");
            }
            host = part.substring(1, close);
            String rest = part.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw fail(
                        connectString,
                        "has '" + rest + "' after the IPv6 address in '" + part + "'; write [addr]:port");
            }
            port = rest.isEmpty() ? null : rest.substring(1);
            if (host.isEmpty() || !host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                throw fail(connectString, "has '" + host + "' in brackets, which is not an IPv6 address");
            }
        } else {
            int colon = part.indexOf(':');
            if (colon >= 0 && part.indexOf(':', colon + 1) >= 0) {
                throw fail(
                        connectString,
                        "has '" + part + "' with more than one ':'; write an IPv6 address as [addr]:port");
            }
            host = colon < 0 ? part : part.substring(0, colon);
            port = colon < 0 ? null : part.substring(colon + 1);
            if (host.isEmpty()) {
                throw fail(connectString, "has a port without a host in '" + part + "'");
            }
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '.'
                        || c == '-'
                        || c == '_';
                if (!ok) {
                    throw fail(
                            connectString,
                            "has the host '" + host + "' with the character '" + c
                                    + "'; a host is a name or an address (letters, digits, '.', '-', '_')");
                }
            }
        }
        if (port != null) {
            int value = -1;
            if (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                value = Integer.parseInt(port);
            }
            if (value < 1 || value > 65535) {
                throw fail(
                        connectString,
                        "has the port '" + port + "' for host " + host
                                + "; a port is a number from 1 to 65535 (leave it out for 2181)");
            }
        }
    }

    private static IllegalArgumentException fail(String connectString, String what) {
        return new IllegalArgumentException("connectString '" + connectString + "' " + what + ", " + EXAMPLE);
    }
}
