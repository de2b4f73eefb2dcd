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

import dev.baton.lock.AccessDeniedException;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.LockException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.curator.CuratorZookeeperClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;

/**
 * Runs one ZooKeeper request on the handle that Curator's framework currently manages: waits for a connection up to
 * the connection timeout, sends the request once (no retries: a request whose answer was lost may have taken effect,
 * and the recipes are written for that), and translates connection failures to {@link BackendUnavailableException}
 * and refusals for lack of rights (NoAuth, AuthFailed) to {@link AccessDeniedException}, each keeping ZooKeeper's
 * exception as its cause.
 *
 * <p>Threadsafe.
 */
public final class ZkCalls {
    /** One request against the current handle. */
    @FunctionalInterface
    public interface Request<T> {
        T run(ZooKeeper zk) throws KeeperException, InterruptedException;
    }

    /** How often a step that lost a race to a concurrent change of the structure (a parent pruned) is tried. */
    public static final int RACE_ATTEMPTS = 5;

    private final CuratorFramework curator;
    private final String description;
    private final String identity;

    /**
     * @param curator the client
     * @param description the backend's description, which starts every message
     * @param identity who this client authenticates as, for access-denied messages (never a password)
     */
    public ZkCalls(CuratorFramework curator, String description, String identity) {
        this.curator = curator;
        this.description = description;
        this.identity = identity;
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
                throw notConnected(what, client.getZooKeeper().getState(), client.getConnectionTimeoutMs());
            }
            return client.getZooKeeper();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException(null, description + ": interrupted while " + what, e);
        } catch (LockException e) {
            throw e;
        } catch (Exception e) {
            throw new BackendUnavailableException(null, description + ": could not reach ZooKeeper for " + what, e);
        }
    }

    /**
     * The exception for a client that found no connection within the connection timeout. ZooKeeper's client does not
     * expose why its connection attempts fail (it logs them), so the cause is the exception ZooKeeper itself gives a
     * request sent without a connection (ConnectionLoss), or AuthFailed when the server rejected the credentials.
     */
    public LockException notConnected(String what, ZooKeeper.States state, long waitedMillis) {
        if (state == ZooKeeper.States.AUTH_FAILED) {
            return translate(what, KeeperException.create(KeeperException.Code.AUTHFAILED));
        }
        return new BackendUnavailableException(
                null,
                description + ": not connected to ZooKeeper within the connection timeout (" + waitedMillis
                        + " ms) for " + what + " (client " + state
                        + "); check the connect string and that the ensemble is up",
                KeeperException.create(KeeperException.Code.CONNECTIONLOSS));
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

    /**
     * Sends a multi-operation without waiting for its answer. Completes with its results, with null when it failed on
     * one of its nodes ({@link #failureIn}), or exceptionally, as {@link #translate(String, KeeperException)} has it,
     * when the request itself failed (the connection, the session).
     */
    public CompletableFuture<List<OpResult>> multiAsync(ZooKeeper zk, List<Op> ops, String what) {
        CompletableFuture<List<OpResult>> answer = new CompletableFuture<>();
        zk.multi(
                ops,
                (rc, path, ctx, results) -> {
                    if (rc == KeeperException.Code.OK.intValue()) {
                        answer.complete(results);
                    } else if (failureIn(results) != null) {
                        answer.complete(null);
                    } else {
                        answer.completeExceptionally(
                                translate(what, KeeperException.create(KeeperException.Code.get(rc))));
                    }
                },
                null);
        return answer;
    }

    /**
     * The answer of a request sent without waiting, whose future bounds its own wait: its failure as it failed
     * (ZooKeeper's exception, or one already translated), a timeout as ZooKeeper's OperationTimeout.
     */
    public static <T> T await(CompletableFuture<T> sent) throws KeeperException, InterruptedException {
        try {
            return sent.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KeeperException) {
                throw (KeeperException) e.getCause();
            }
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            if (e.getCause() instanceof TimeoutException) {
                throw KeeperException.create(KeeperException.Code.OPERATIONTIMEOUT);
            }
            throw new IllegalStateException("a request sent without waiting failed", e.getCause());
        }
    }

    /** Translates a failure that the caller did not expect. */
    public LockException translate(String what, KeeperException e) {
        return translate(what, e, e.getPath());
    }

    /**
     * Translates a failure that the caller did not expect, on a known path (a multi-operation's exception names none:
     * the caller knows which of its operations failed).
     */
    public LockException translate(String what, KeeperException e, String path) {
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
                return new AccessDeniedException(
                        null,
                        description + ": ZooKeeper refused " + what + " on "
                                + (path != null ? path : "a node under the namespace")
                                + " (NoAuth): its ACL does not grant " + identity + " the READ, WRITE, CREATE and"
                                + " DELETE permissions Baton needs; use the digestAuthentication(...) identity that"
                                + " created the namespace's nodes (every coordinator of a namespace must share it), or"
                                + " have an administrator grant cdrwa to this identity on the namespace's nodes"
                                + " (setAcl -R)",
                        e);
            case AUTHFAILED:
                return new AccessDeniedException(
                        null,
                        description + ": ZooKeeper rejected the credentials of " + identity + " for " + what
                                + " (AuthFailed); check the user and password given to digestAuthentication(...), or"
                                + " the authentication the Curator client was built with, against the server's"
                                + " authProvider configuration",
                        e);
            default:
                return new LockException(null, description + ": ZooKeeper failed " + what + ": " + e.getMessage(), e);
        }
    }

    /** The index and code of the operation that made a multi fail, or null if none is marked. */
    public static Failure failureOf(KeeperException e) {
        return failureIn(e.getResults());
    }

    /** The index and code of the operation that made a multi fail, from its results (may be null), or null. */
    public static Failure failureIn(List<OpResult> results) {
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
    public record Failure(int index, KeeperException.Code code) {
        /** Whether the operation was refused for lack of rights: never a lost race, always the caller's to report. */
        public boolean deniesAccess() {
            return code == KeeperException.Code.NOAUTH || code == KeeperException.Code.AUTHFAILED;
        }
    }
}
