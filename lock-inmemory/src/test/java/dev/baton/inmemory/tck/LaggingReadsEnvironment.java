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

import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.TimeSource;
import dev.baton.lock.tck.TckEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * An environment whose reads of the server's state answer one read late, as reads from a ZooKeeper follower that has
 * not yet applied the latest writes can: each call returns what the previous call found (the first, an empty
 * server). The clients themselves see the server as it is. The kit's leak checks must not take such a read for the
 * truth, only converge on it.
 *
 * <p>Threadsafe.
 */
final class LaggingReadsEnvironment implements TckEnvironment {
    private final TckEnvironment delegate;
    private OptionalInt leasesSeen = OptionalInt.of(0);
    private List<String> keysSeen = List.of();

    LaggingReadsEnvironment(TckEnvironment delegate) {
        this.delegate = delegate;
    }

    @Override
    public synchronized OptionalInt liveLeases() {
        OptionalInt late = leasesSeen;
        leasesSeen = delegate.liveLeases();
        return late;
    }

    @Override
    public synchronized List<String> keysOnServer() {
        List<String> late = keysSeen;
        keysSeen = delegate.keysOnServer();
        return late;
    }

    @Override
    public CoordinationBackend newBackend() {
        return delegate.newBackend();
    }

    @Override
    public TimeSource timeSource() {
        return delegate.timeSource();
    }

    @Override
    public boolean manualTime() {
        return delegate.manualTime();
    }

    @Override
    public void advance(Duration duration) throws InterruptedException {
        delegate.advance(duration);
    }

    @Override
    public Duration sessionTtl() {
        return delegate.sessionTtl();
    }

    @Override
    public Duration shortTtl() {
        return delegate.shortTtl();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
