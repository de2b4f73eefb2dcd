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

/**
 * Where the servers are. {@link BenchmarkMain} starts them (a local etcd process and an in-JVM ZooKeeper, through the
 * same fixtures as the tests) and hands their addresses to the benchmark JVMs as system properties.
 */
final class Servers {
    static final String ETCD = "baton.bench.etcd";
    static final String ZOOKEEPER = "baton.bench.zookeeper";

    private Servers() {}

    static String etcd() {
        return require(ETCD, "an etcd endpoint such as http://127.0.0.1:2379");
    }

    static String zookeeper() {
        return require(ZOOKEEPER, "a ZooKeeper connect string such as 127.0.0.1:2181");
    }

    private static String require(String property, String what) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the benchmarks through"
                    + " BenchmarkMain (see BENCHMARKS.md), or pass -D" + property + "=<" + what + ">");
        }
        return value;
    }
}
