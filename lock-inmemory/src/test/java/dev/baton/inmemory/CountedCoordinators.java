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
package dev.baton.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.Coordinator;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.tck.FaultInjectingBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Coordinators on one {@link InMemoryCluster}, each over a backend that counts its calls, for the tests that pin the
 * round trips of the queue. Register with {@code @RegisterExtension}: it closes the coordinators and the cluster after
 * each test.
 */
final class CountedCoordinators implements AfterEachCallback {
    static final Duration SESSION_TTL = Duration.ofSeconds(10);

    final InMemoryCluster cluster = new InMemoryCluster();
    private final List<Coordinator> coordinators = new ArrayList<>();

    /** A new coordinator over a counting backend, which becomes {@link #last()}; returns that backend. */
    Recording counted() {
        Recording backend =
                new Recording(InMemoryBackend.builder().cluster(cluster).build());
        over(b -> backend);
        return backend;
    }

    /** A new coordinator over the cluster's backend as {@code decorate} wraps it, which becomes {@link #last()}. */
    Coordinator over(UnaryOperator<CoordinationBackend> decorate) {
        Coordinator c = Coordinator.builder(decorate.apply(
                        InMemoryBackend.builder().cluster(cluster).build()))
                .sessionTtl(SESSION_TTL)
                .closeBackendOnClose(true)
                .build();
        coordinators.add(c);
        return c;
    }

    /** The coordinator made last. */
    Coordinator last() {
        return coordinators.get(coordinators.size() - 1);
    }

    /**
     * Takes, releases and takes again through {@code acquire}, and asserts that the second entry has the key the release
     * freed, with a larger fencing token ({@code token}).
     */
    <T extends AutoCloseable> void assertReleasedKeyTakenAgain(Callable<T> acquire, ToLongFunction<T> token)
            throws Exception {
        T first = acquire.call();
        List<String> keysFirst = cluster.keys();
        first.close();
        T second = acquire.call();
        List<String> keysSecond = cluster.keys();
        second.close();

        assertThat(keysSecond).as("the entry's key on the second acquisition").isEqualTo(keysFirst);
        assertThat(token.applyAsLong(second)).isGreaterThan(token.applyAsLong(first));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        coordinators.forEach(Coordinator::close);
        cluster.close();
    }

    /** Counts the calls, and records the leases granted in order (the first is the session's). */
    static final class Recording extends FaultInjectingBackend {
        final List<Long> granted = new CopyOnWriteArrayList<>();

        Recording(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public long grantLease(Duration ttl) {
            long id = super.grantLease(ttl);
            granted.add(id);
            return id;
        }

        /** The session lease of the coordinator on this backend: the first lease it granted. */
        long sessionLease() {
            return granted.get(0);
        }
    }
}
