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

import dev.baton.inmemory.InMemoryBackend;
import dev.baton.lock.Coordinator;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.tck.TcpProxy;
import java.time.Duration;

/**
 * One candidate of the failover benchmark: a coordinator of its own on its own connection. On etcd and ZooKeeper the
 * connection runs through a {@link TcpProxy}, so that {@link #kill()} can cut it the way a dead process's connection
 * ends: every socket reset, nothing said to the server, no resignation, no revocation. The server then frees the
 * candidate's entries only when its lease or session expires. In memory, the backend is disconnected instead.
 */
final class ElectionNode implements AutoCloseable {
    private final TcpProxy proxy;
    final CountingBackend backend;
    final Coordinator coordinator;
    final LeaderElection election;

    ElectionNode(BatonBackends backends, String election, String candidate, Duration sessionTtl) {
        String server = backends.serverAddress();
        if (server == null) {
            proxy = null;
            backend = backends.open();
        } else {
            int colon = server.lastIndexOf(':');
            proxy = TcpProxy.start(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
            backend = backends.open(proxy.address());
        }
        coordinator = Coordinator.builder(backend)
                .sessionTtl(sessionTtl)
                .closeBackendOnClose(true)
                .build();
        this.election = coordinator.election(election, candidate);
    }

    /** Cuts this candidate off the server as its process dying would. */
    void kill() {
        if (proxy != null) {
            proxy.cut();
        } else {
            ((InMemoryBackend) backend.backend()).disconnect();
        }
    }

    @Override
    public void close() {
        try {
            coordinator.close();
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }
}
