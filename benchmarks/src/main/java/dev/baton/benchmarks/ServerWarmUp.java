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

import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;

/**
 * Warms the in-process ZooKeeper server before the full profile measures anything. The server runs in the JVM that
 * runs JMH, so without this the first ZooKeeper subject measured (Baton's mutex) met a server whose request path the
 * JIT had not compiled yet: in the first full run with this scenario order, it measured 1.5 times the cycle of the
 * read-write lock's write side, which makes the same three requests. etcd runs in a process of its own, compiled.
 */
final class ServerWarmUp {
    private ServerWarmUp() {}

    /**
     * Runs creates, listings, multi-operations and deletes against {@code connectString} for {@code duration}.
     *
     * @throws Exception if the server failed a request
     */
    static void zookeeper(String connectString, Duration duration) throws Exception {
        try (CuratorFramework client = CuratorFrameworkFactory.newClient(connectString, new RetryOneTime(100))) {
            client.start();
            client.blockUntilConnected();
            String parent = "/baton-warm-up";
            client.create().creatingParentsIfNeeded().forPath(parent);
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() - end < 0) {
                String node = client.create()
                        .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                        .forPath(parent + "/n-");
                client.getChildren().forPath(parent);
                client.getData().forPath(node);
                client.transaction()
                        .forOperations(
                                client.transactionOp().check().forPath(parent),
                                client.transactionOp().setData().forPath(node, new byte[8]),
                                client.transactionOp().delete().forPath(node));
            }
            client.delete().forPath(parent);
        }
    }
}
