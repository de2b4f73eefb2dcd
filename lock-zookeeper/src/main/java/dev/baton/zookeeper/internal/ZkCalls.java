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
package dev.baton.zookeeper.internal;

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.LockException;
import java.util.List;
import org.apache.curator.CuratorZookeeperClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;

/**
 * Runs one ZooKeeper request on the handle that Curator's framework currently manages: waits for a connection up to
 * the connection timeout, sends the request once (no retries: a request whose answer was lost may have taken effect,
 * and the recipes are written for that), and translates connection failures to {@link BackendUnavailableException}.
 *
 * <p>Threadsafe.
 */
public final class ZkCalls {
    /** One request against the current handle. */
    @FunctionalInterface
    public interface Request<T> {
        T run(ZooKeeper zk) throws KeeperException, InterruptedException;
    }

    private final CuratorFramework curator;
    private final String description;

    public ZkCalls(CuratorFramework curator, String description) {
        this.curator = curator;
        this.description = description;
    }

    public CuratorFramework curator() {
        return curator;
    }

    /** The current handle once connected. */
    public ZooKeeper handle(String what) {
        CuratorZookeeperClient client = curator.getZookeeperClient();
        try {
            client.internalBlockUntilConnectedOrTimedOut();
            if (!client.isConnected()) {
                throw new BackendUnavailableException(
                        null,
                        description + ": not connected to ZooKeeper within the connection timeout ("
                                + client.getConnectionTimeoutMs() + " ms) for " + what,
                        null);
            }
            return client.getZooKeeper();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException(null, description + ": interrupted while " + what, e);
        } catch (BackendUnavailableException e) {
            throw e;
        } catch (Exception e) {
            throw new BackendUnavailableException(null, description + ": could not reach ZooKeeper for " + what, e);
        }
    }

    public <T> T call(String what, Request<T> request) {
        ZooKeeper zk = handle(what);
        try {
            return request.run(zk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException(null, description + ": interrupted while " + what, e);
        } catch (KeeperException e) {
            throw translate(what, e);
        }
    }

    /** Translates a failure that the caller did not expect. */
    public RuntimeException translate(String what, KeeperException e) {
        switch (e.code()) {
            case CONNECTIONLOSS:
            case SESSIONEXPIRED:
            case SESSIONMOVED:
            case OPERATIONTIMEOUT:
            case REQUESTTIMEOUT:
            case NOTREADONLY:
            case THROTTLEDOP:
                return new BackendUnavailableException(
                        null, description + ": ZooKeeper did not complete " + what + " (" + e.code() + ")", e);
            case NOAUTH:
            case AUTHFAILED:
                return new LockException(
                        null,
                        description + ": ZooKeeper refused " + what + " (" + e.code() + " on " + e.getPath()
                                + "); every coordinator of a namespace must use the same digest identity",
                        e);
            default:
                return new LockException(null, description + ": ZooKeeper failed " + what + ": " + e.getMessage(), e);
        }
    }

    /** The index and code of the operation that made a multi fail, or null if none is marked. */
    public static Failure failureOf(KeeperException e) {
        List<OpResult> results = e.getResults();
        if (results != null) {
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof OpResult.ErrorResult) {
                    int err = ((OpResult.ErrorResult) results.get(i)).getErr();
                    if (err != KeeperException.Code.OK.intValue()
                            && err != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                        return new Failure(i, KeeperException.Code.get(err));
                    }
                }
            }
        }
        return null;
    }

    /** Which operation of a multi failed, and why. */
    public record Failure(int index, KeeperException.Code code) {}
}
