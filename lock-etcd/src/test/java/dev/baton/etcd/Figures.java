package dev.baton.etcd;

import java.util.Locale;

/** Prints the figures of the etcd tests on standard output, on lines starting with {@code [baton-etcd]}. */
final class Figures {
    private Figures() {}

    static void print(String test, String format, Object... args) {
        System.out.println("[baton-etcd] " + test + ": " + String.format(Locale.ROOT, format, args));
    }
}
