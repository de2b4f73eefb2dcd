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

import dev.baton.etcd.internal.EtcdKeys;
import dev.baton.lock.spi.AnswerDeadlines;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The backend's reads and {@code Txn} writes of keys under its namespace, one request each. Arguments are checked by
 * the caller ({@link EtcdBackend}).
 *
 * <p>Immutable and threadsafe.
 */
final class KeyValueOperations {
    private final KV kv;
    private final EtcdKeys keys;
    private final EtcdRequests requests;
    private final AnswerDeadlines deadlines;

    KeyValueOperations(KV kv, EtcdKeys keys, EtcdRequests requests, AnswerDeadlines deadlines) {
        this.kv = kv;
        this.keys = keys;
        this.requests = requests;
        this.deadlines = deadlines;
    }

    /**
     * Counts the namespace's keys in one request under the whole request timeout, not failover attempts: the first
     * request authenticates, which can take longer than one attempt (bcrypt on the server), and what matters here is
     * its exact failure (no answer, refused credentials, a denied namespace).
     */
    void readNamespace() {
        requests.await(
                kv.get(
                        keys.namespaceStart(),
                        GetOption.builder()
                                .withRange(keys.namespaceEnd())
                                .withCountOnly(true)
                                .build()),
                "a read of the namespace");
    }

    /** Reads one key (linearizable), in failover attempts. */
    Optional<Entry> get(String key) {
        GetResponse response = requests.withFailover(() -> kv.get(keys.key(key)), "a get of " + key);
        if (response.getKvs().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(entry(response.getKvs().get(0)));
    }

    /** Lists the keys under {@code prefix + "/"} in one range read sorted by create revision, in failover attempts. */
    Listing list(String prefix) {
        GetResponse response = requests.withFailover(
                () -> kv.get(keys.rangeStart(prefix), listOption(prefix)), "a list of " + prefix + "/");
        return listing(response.getKvs(), response.getHeader().getRevision());
    }

    /** If the key's create revision is 0, puts it with the lease. */
    Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
        ByteSequence k = keys.key(key);
        TxnResponse response = requests.commit(
                ifAbsent(k).Then(createOp(k, value, leaseId)), leaseId, "a create-if-absent Txn of " + key);
        if (!response.isSucceeded()) {
            return Optional.empty();
        }
        long revision = response.getHeader().getRevision();
        return Optional.of(new Entry(key, value, revision, revision, leaseId));
    }

    /**
     * If the key's create revision is 0, puts it with the lease and then ranges over the prefix sorted by create
     * revision, in the same {@code Txn}: the listing holds the created key and is as of the create's revision.
     */
    Optional<Listing> createIfAbsentAndList(String key, byte[] value, long leaseId, String prefix) {
        ByteSequence k = keys.key(key);
        TxnResponse response = requests.commit(
                ifAbsent(k).Then(createOp(k, value, leaseId), Op.get(keys.rangeStart(prefix), listOption(prefix))),
                leaseId,
                "a create-if-absent-and-list Txn of " + key);
        if (!response.isSucceeded()) {
            return Optional.empty();
        }
        return Optional.of(listing(
                response.getGetResponses().get(0).getKvs(), response.getHeader().getRevision()));
    }

    /** If the key's mod revision is still {@code expectedVersion}, replaces its value and lease. */
    Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
        if (expectedVersion <= 0) {
            return Optional.empty(); // an absent key has mod revision 0: comparing with it would create the key
        }
        ByteSequence k = keys.key(key);
        TxnResponse response = requests.commit(
                kv.txn()
                        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedVersion)))
                        .Then(Op.put(k, ByteSequence.from(value), putOption(leaseId, true))),
                leaseId,
                "a compare-and-set Txn of " + key);
        if (!response.isSucceeded()) {
            return Optional.empty();
        }
        PutResponse put = response.getPutResponses().get(0);
        long revision = response.getHeader().getRevision();
        long created = put.hasPrevKv() ? put.getPrevKv().getCreateRevision() : revision;
        return Optional.of(new Entry(key, value, revision, created, leaseId));
    }

    /** If the key's mod revision is still {@code expectedVersion}, deletes it; in failover attempts. */
    boolean compareAndDelete(String key, long expectedVersion) {
        if (expectedVersion <= 0) {
            return false;
        }
        // Idempotent: once the delete took effect, a retry finds another mod revision and answers false.
        TxnResponse response = requests.withFailover(
                () -> compareAndDeleteTxn(key, expectedVersion), "a compare-and-delete Txn of " + key);
        return deleted(response);
    }

    /**
     * One attempt of {@link #compareAndDelete}, sent from the calling thread; the future completes on jetcd's thread,
     * or exceptionally after one attempt's timeout.
     */
    CompletableFuture<Boolean> compareAndDeleteAsync(String key, long expectedVersion) {
        if (expectedVersion <= 0) {
            return CompletableFuture.completedFuture(false);
        }
        return deadlines
                .within(compareAndDeleteTxn(key, expectedVersion), requests.attemptTimeout())
                .thenApply(KeyValueOperations::deleted);
    }

    private CompletableFuture<TxnResponse> compareAndDeleteTxn(String key, long expectedVersion) {
        ByteSequence k = keys.key(key);
        return kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedVersion)))
                .Then(Op.delete(k, DeleteOption.DEFAULT))
                .commit();
    }

    private static boolean deleted(TxnResponse response) {
        return response.isSucceeded()
                && !response.getDeleteResponses().isEmpty()
                && response.getDeleteResponses().get(0).getDeleted() > 0;
    }

    /** A {@code Txn} whose success branch runs only if {@code k} does not exist. */
    private Txn ifAbsent(ByteSequence k) {
        return kv.txn().If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
    }

    private static Op createOp(ByteSequence k, byte[] value, long leaseId) {
        return Op.put(k, ByteSequence.from(value), putOption(leaseId, false));
    }

    private static PutOption putOption(long leaseId, boolean prevKv) {
        PutOption.Builder option = PutOption.builder();
        if (leaseId != Entry.NO_LEASE) {
            option.withLeaseId(leaseId);
        }
        if (prevKv) {
            option.withPrevKV();
        }
        return option.build();
    }

    /** The SPI listing of a range read sorted by create revision. */
    private Listing listing(List<KeyValue> kvs, long revision) {
        List<Entry> entries = new ArrayList<>(kvs.size());
        for (KeyValue found : kvs) {
            entries.add(entry(found));
        }
        return new Listing(entries, revision);
    }

    /** Everything under {@code prefix + "/"}, oldest creation first. */
    private GetOption listOption(String prefix) {
        return GetOption.builder()
                .withRange(keys.rangeEnd(prefix))
                .withSortField(GetOption.SortTarget.CREATE)
                .withSortOrder(GetOption.SortOrder.ASCEND)
                .build();
    }

    private Entry entry(KeyValue found) {
        return new Entry(
                keys.spiKey(found.getKey()),
                found.getValue().getBytes(),
                found.getModRevision(),
                found.getCreateRevision(),
                found.getLease());
    }
}
