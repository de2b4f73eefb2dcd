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
package dev.baton.consul.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the emulator reads a request's query and durations and writes its answers, as Consul's HTTP layer. */
final class HttpAnswers {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)");

    private HttpAnswers() {}

    /** Go's time.Duration String() for whole seconds, minutes and hours, as in Consul's messages. */
    static String goDuration(Duration d) {
        long h = d.toHours();
        long m = d.toMinutesPart();
        long sec = d.toSecondsPart();
        return h > 0 ? h + "h" + m + "m" + sec + "s" : m > 0 ? m + "m" + sec + "s" : sec + "s";
    }

    /** Go's time.ParseDuration for the units Consul's clients send; 400 for anything else. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            double unit =
                    switch (m.group(2)) {
                        case "ns" -> 1;
                        case "us" -> 1e3;
                        case "ms" -> 1e6;
                        case "s" -> 1e9;
                        case "m" -> 60e9;
                        default -> 3600e9;
                    };
            nanos += (long) (n * unit);
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw new BadRequest(400, "invalid duration \"" + text + "\"");
        }
        return Duration.ofNanos(nanos);
    }

    /** The query parameters of a raw query string, decoded; a parameter without a value maps to "". */
    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    static void respond(HttpExchange ex, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A JSON answer, with {@code X-Consul-Index} (and {@code X-Consul-KnownLeader}) when {@code index > 0}. */
    static void respondJson(HttpExchange ex, int status, String json, long index) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (index > 0) {
            ex.getResponseHeaders().set("X-Consul-Index", Long.toString(index));
            ex.getResponseHeaders().set("X-Consul-KnownLeader", "true");
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
