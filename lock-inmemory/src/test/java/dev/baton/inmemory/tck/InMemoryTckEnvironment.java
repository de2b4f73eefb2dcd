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
package dev.baton.inmemory.tck;

import dev.baton.inmemory.InMemoryBackend;
import dev.baton.inmemory.InMemoryCluster;
import dev.baton.inmemory.ManualTimeSource;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.TimeSource;
import dev.baton.lock.tck.TckEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * The conformance kit's view of one fresh {@link InMemoryCluster}: on a {@link ManualTimeSource}, or on the system
 * clock with real threads. Every client can be wrapped by a decorator (the kit's self-test breaks the backend that
 * way).
 */
final class InMemoryTckEnvironment implements TckEnvironment {
    private final InMemoryCluster cluster;
    private final ManualTimeSource manualClock;
    private final Duration sessionTtl;
    private final Duration shortTtl;
    private final UnaryOperator<CoordinationBackend> decorator;

    private InMemoryTckEnvironment(
            ManualTimeSource manualClock,
            Duration sessionTtl,
            Duration shortTtl,
            UnaryOperator<CoordinationBackend> decorator) {
        this.manualClock = manualClock;
        this.cluster = manualClock == null ? new InMemoryCluster() : new InMemoryCluster(manualClock);
        this.sessionTtl = sessionTtl;
        this.shortTtl = shortTtl;
        this.decorator = decorator;
    }

    /** A cluster on a manual clock: session TTL 10 s, short TTL 5 s. */
    static InMemoryTckEnvironment onManualClock() {
        return onManualClock(UnaryOperator.identity());
    }

    /** A cluster on a manual clock whose clients are wrapped by {@code decorator}. */
    static InMemoryTckEnvironment onManualClock(UnaryOperator<CoordinationBackend> decorator) {
        return new InMemoryTckEnvironment(
                new ManualTimeSource(), Duration.ofSeconds(10), Duration.ofSeconds(5), decorator);
    }

    /** A cluster on the system clock: session TTL 1.5 s, short TTL 1 s, so that expiry tests stay quick. */
    static InMemoryTckEnvironment onSystemClock() {
        return new InMemoryTckEnvironment(
                null, Duration.ofMillis(1500), Duration.ofSeconds(1), UnaryOperator.identity());
    }

    @Override
    public CoordinationBackend newBackend() {
        return decorator.apply(InMemoryBackend.builder().cluster(cluster).build());
    }

    @Override
    public TimeSource timeSource() {
        return cluster.timeSource();
    }

    @Override
    public boolean manualTime() {
        return manualClock != null;
    }

    @Override
    public void advance(Duration duration) throws InterruptedException {
        if (manualClock != null) {
            manualClock.advance(duration);
        } else {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    }

    @Override
    public Duration sessionTtl() {
        return sessionTtl;
    }

    @Override
    public Duration shortTtl() {
        return shortTtl;
    }

    @Override
    public List<String> keysOnServer() {
        return cluster.keys();
    }

    @Override
    public OptionalInt liveLeases() {
        return OptionalInt.of(cluster.liveLeaseCount());
    }

    @Override
    public void close() {
        cluster.close();
    }
}
