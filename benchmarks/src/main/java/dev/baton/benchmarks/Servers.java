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
