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
package dev.baton.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Figures JMH has no slot for (hand-off latency percentiles, SPI requests per hand-off, heap per held mutex), written
 * by the benchmark JVM as a properties file named after the benchmark and its parameters, and read back through
 * {@link ResultSet} for the summary and the charts. The directory comes from the system property {@value #DIR}; it is
 * the run's {@code sidecars/}, which has to be kept with {@code results.json} for the summary to be rendered again.
 */
final class Sidecar {
    static final String DIR = "baton.bench.sidecars";

    private Sidecar() {}

    static String name(String benchmark, String subject, long parameter) {
        return benchmark + "-" + subject + "-" + parameter;
    }

    static void write(String name, Map<String, ?> figures) {
        String dir = System.getProperty(DIR);
        if (dir == null) {
            return;
        }
        Properties p = new Properties();
        new TreeMap<>(figures).forEach((k, v) -> p.setProperty(k, v.toString()));
        Path file = Paths.get(dir, name + ".properties");
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    static Map<String, String> read(Path dir, String name) {
        return load(dir.resolve(name + ".properties"));
    }

    /** A properties file's entries, sorted by key; empty if there is no such file. */
    static Map<String, String> load(Path file) {
        Map<String, String> figures = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return figures;
        }
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        p.stringPropertyNames().forEach(k -> figures.put(k, p.getProperty(k)));
        return figures;
    }
}
