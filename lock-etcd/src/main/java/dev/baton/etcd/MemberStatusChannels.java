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
package dev.baton.etcd;

import dev.baton.etcd.internal.LeaderChangeGuard.MemberStatus;
import io.etcd.jetcd.Maintenance;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettySslContextChannelCredentials;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks one etcd member for its Maintenance status, over one gRPC channel per member endpoint that is kept for the
 * next probe and closed with the backend, and under a per-call deadline.
 *
 * <p>jetcd's {@link Maintenance#statusMember(String)} builds a new channel for every call and shuts it down only when
 * the call completes, with no deadline: on a stopped member (SIGSTOP, a hung process) the call never completes, and
 * each probe left one more channel open, which gRPC later reports as garbage collected without being shut down.
 * Here a channel is replaced only once it failed to connect (a killed member), so that a member that comes back is
 * reached at once rather than after gRPC's reconnect backoff.
 *
 * <p>Status needs no credentials (etcd answers it without a token), only the TLS settings of the client. For a
 * jetcd client built by the caller these are not known: its {@code https://} members are asked through jetcd's
 * {@code statusMember}, at most one call per member at a time, so that a stopped member holds one channel at most.
 *
 * <p>Threadsafe.
 */
final class MemberStatusChannels implements AutoCloseable {
    private final SslContext sslContext;
    private final Maintenance viaClient;
    private final Object lock = new Object();
    // Guarded by lock:
    private final Map<String, ManagedChannel> channels = new HashMap<>();
    private final Map<String, CompletableFuture<MemberStatus>> clientCalls = new HashMap<>();
    private boolean closed;

    /**
     * Creates the channels' owner; no channel is built before the first probe.
     *
     * @param sslContext the client's TLS context for {@code https://} members, or null (plain connections, or the
     *     TLS settings of a caller's client, which are not known)
     * @param viaClient the client's Maintenance service, for {@code https://} members when {@code sslContext} is null
     */
    MemberStatusChannels(SslContext sslContext, Maintenance viaClient) {
        this.sslContext = sslContext;
        this.viaClient = viaClient;
    }

    /**
     * Asks a member for its status. The answer fails once {@code timeout} has passed (a gRPC deadline), so the call
     * never outlives the probe by long.
     *
     * @param url the member's client URL, as the member list gives it
     * @param timeout the deadline of the call
     * @return the member's raft term, leader and version
     */
    CompletableFuture<MemberStatus> status(String url, Duration timeout) {
        URI uri = URI.create(url);
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (https && sslContext == null) {
            return throughClient(url);
        }
        ManagedChannel channel = channel(url, uri, https);
        CompletableFuture<MemberStatus> answer = new CompletableFuture<>();
        if (channel == null) {
            answer.completeExceptionally(new IllegalStateException("the backend is closed"));
            return answer;
        }
        MaintenanceGrpc.newStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .status(StatusRequest.getDefaultInstance(), new StreamObserver<StatusResponse>() {
                    @Override
                    public void onNext(StatusResponse status) {
                        answer.complete(
                                new MemberStatus(status.getRaftTerm(), status.getLeader(), status.getVersion()));
                    }

                    @Override
                    public void onError(Throwable failure) {
                        answer.completeExceptionally(failure);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new IllegalStateException("no status in the answer of " + url));
                    }
                });
        return answer;
    }

    /** The member's channel, built on first use and again after it failed to connect; null once closed. */
    private ManagedChannel channel(String url, URI uri, boolean https) {
        synchronized (lock) {
            if (closed) {
                return null;
            }
            ManagedChannel channel = channels.get(url);
            if (channel != null && channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
                channel.shutdownNow();
                channel = null;
            }
            if (channel == null) {
                ChannelCredentials credentials = https
                        ? NettySslContextChannelCredentials.create(sslContext)
                        : InsecureChannelCredentials.create();
                channel = Grpc.newChannelBuilderForAddress(uri.getHost(), uri.getPort(), credentials)
                        .directExecutor()
                        .build();
                channels.put(url, channel);
            }
            return channel;
        }
    }

    private CompletableFuture<MemberStatus> throughClient(String url) {
        synchronized (lock) {
            CompletableFuture<MemberStatus> pending = clientCalls.get(url);
            if (pending != null && !pending.isDone()) {
                return pending;
            }
            CompletableFuture<MemberStatus> call = viaClient
                    .statusMember(url)
                    .thenApply(
                            status -> new MemberStatus(status.getRaftTerm(), status.getLeader(), status.getVersion()));
            clientCalls.put(url, call);
            return call;
        }
    }

    /** Shuts every channel down; later probes fail. Idempotent. */
    @Override
    public void close() {
        List<ManagedChannel> open;
        synchronized (lock) {
            closed = true;
            open = new ArrayList<>(channels.values());
            channels.clear();
            clientCalls.clear();
        }
        for (ManagedChannel channel : open) {
            channel.shutdownNow();
        }
    }
}
