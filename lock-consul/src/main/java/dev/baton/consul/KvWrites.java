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
package dev.baton.consul;

import dev.baton.consul.internal.AclDenials;
import dev.baton.consul.internal.ConsulHttp;
import dev.baton.consul.internal.KvEntry;
import dev.baton.consul.internal.KvRead;
import dev.baton.consul.internal.TxnOp;
import dev.baton.consul.internal.TxnResult;
import dev.baton.consul.internal.TxnVerb;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.LockException;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The backend's writes of keys, each one {@code /v1/txn} transaction that starts with a check (so that a transaction
 * applied by a first sending fails if sent again): create-if-absent is {@code check-not-exists} + {@code lock}, or
 * {@code cas} with index 0 for a key without lease; compare-and-set is {@code check-index} + {@code unlock}/{@code
 * lock}/{@code set}, after one read to learn the current holder; compare-and-delete is {@code check-index} + {@code
 * delete}. A write whose outcome is unknown is resolved by a read ({@link ResentWriteCheck}); a write this backend
 * made is told to its watches with its exact index. The callers check arguments and state. Threadsafe.
 */
final class KvWrites {
    private final ConsulHttp http;
    private final AclDenials denials;
    private final SessionDirectory sessions;
    private final ResentWriteCheck resentWrites;
    private final SharedWatches watches;

    KvWrites(ConsulHttp http, AclDenials denials, SessionDirectory sessions, SharedWatches watches) {
        this.http = http;
        this.denials = denials;
        this.sessions = sessions;
        this.resentWrites = new ResentWriteCheck(http);
        this.watches = watches;
    }

    /** Creates {@code key} (Consul key {@code k}) held by the lease's session, if absent. */
    Optional<Entry> createIfAbsent(String key, String k, byte[] value, long leaseId) {
        String session = sessions.sessionOf(leaseId);
        ResentWriteCheck.Write write =
                new ResentWriteCheck.Write(key, k, value, ResentWriteCheck.newTag(), session, leaseId);
        List<TxnOp> ops = new ArrayList<>();
        if (session == null) {
            ops.add(new TxnOp(TxnVerb.CAS, k, value, write.tag(), 0, null));
        } else {
            ops.add(TxnOp.of(TxnVerb.CHECK_NOT_EXISTS, k, 0));
            ops.add(new TxnOp(TxnVerb.LOCK, k, value, write.tag(), 0, session));
        }
        // A failed check is "exists", or, sent twice (see ResentWriteCheck), this call's own first sending. It is
        // the latter if the key carries this write's tag, value and session: then it was created by this call, and is
        // returned as created. Otherwise someone else's key is there: absent-check failed, as for a single sending.
        // (If the first sending landed and its key was since deleted, the second sending created it again and
        // committed.)
        return apply(
                ops,
                write,
                error -> error != null && ops.get(error.opIndex()).verb().isCheck() || session == null);
    }

    /** Replaces {@code key}'s value and session if its version matches. */
    Optional<Entry> compareAndSet(String key, String k, long expectedVersion, byte[] value, long leaseId) {
        String session = sessions.sessionOf(leaseId);
        KvRead read = http.get(k);
        if (read.entries().isEmpty() || read.entries().get(0).modifyIndex() != expectedVersion) {
            return Optional.empty();
        }
        String holder = read.entries().get(0).session();
        ResentWriteCheck.Write write =
                new ResentWriteCheck.Write(key, k, value, ResentWriteCheck.newTag(), session, leaseId);
        List<TxnOp> ops = new ArrayList<>();
        ops.add(TxnOp.of(TxnVerb.CHECK_INDEX, k, expectedVersion));
        if (holder != null && !holder.equals(session)) {
            ops.add(new TxnOp(TxnVerb.UNLOCK, k, value, write.tag(), 0, holder));
        }
        if (session != null) {
            ops.add(new TxnOp(TxnVerb.LOCK, k, value, write.tag(), 0, session));
        } else if (holder == null) {
            ops.add(new TxnOp(TxnVerb.SET, k, value, write.tag(), 0, null));
        }
        // A failed index check is "changed", or, sent twice (see ResentWriteCheck), this call's own first sending,
        // which moved the ModifyIndex on. It is the latter if the key carries this write's tag, value and session (the
        // last op decides the session: ours, or none): then the update is returned as applied. Otherwise the key
        // changed or went, as for a single sending. A lock failure on the second sending means its check passed, so
        // the first did not apply: it is reported as for a single sending.
        return apply(
                ops, write, error -> error == null || ops.get(error.opIndex()).verb() != TxnVerb.LOCK);
    }

    /**
     * Runs a write's transaction and returns the entry written; empty if it failed as {@code lostRace} tells (its check
     * failed), unless it was sent twice and the key holds this write. A write that failed as unavailable is resolved by
     * a read; a refused {@code lock} is thrown as {@link #lockFailure}.
     */
    private Optional<Entry> apply(
            List<TxnOp> ops, ResentWriteCheck.Write write, Predicate<TxnResult.TxnError> lostRace) {
        TxnResult result;
        try {
            result = run(ops);
        } catch (BackendUnavailableException e) {
            return Optional.of(published(resentWrites.ownWriteAfter(e, write)));
        }
        if (!result.committed()) {
            TxnResult.TxnError error = firstError(result);
            if (lostRace.test(error)) {
                return ownWriteIfResent(result, write);
            }
            throw lockFailure(write.key(), write.leaseId(), error);
        }
        return Optional.of(published(written(write.key(), write.value(), result, write.leaseId())));
    }

    /** Deletes {@code key} if its version matches; whether it was deleted. */
    boolean compareAndDelete(String key, String k, long expectedVersion) {
        TxnResult result;
        try {
            result = run(List.of(TxnOp.of(TxnVerb.CHECK_INDEX, k, expectedVersion), TxnOp.of(TxnVerb.DELETE, k, 0)));
        } catch (BackendUnavailableException e) {
            // The delete may have been applied (a 500 after the Raft apply, or an answer that came too late); a read
            // tells: an absent key counts as deleted by this call, as for a second sending below.
            if (!resentWrites.absentAfter(e, k)) {
                throw e;
            }
            result = null;
        }
        if (result != null && !result.committed()) {
            // Sent twice (see ResentWriteCheck): the index check fails on an absent key, which is what this call's own
            // first sending would leave. A delete leaves no trace to recognise it by, so an absent key counts as
            // deleted by this call: the key at that version is gone, as the caller asked. The only other ways it goes
            // are its session ending and another delete of the same version, and Baton deletes only keys of its own
            // coordinator, with their version. A key still present changed, and is not deleted, as for one sending.
            if (!result.retried() || !http.get(k).entries().isEmpty()) {
                return false;
            }
        }
        if (watches.anyMatches(key)) {
            // Consul does not say at which index it deleted; a read of the absent key reports the KV table's index,
            // which is at or after the delete and before any later write of this client.
            try {
                watches.publish(WatchEvent.Type.DELETE, key, null, http.get(k).index());
            } catch (RuntimeException e) {
                // The watches' own blocking queries will see the delete.
            }
        }
        return true;
    }
    /** After a transaction that failed its check: the entry as written if the first of two sendings applied it. */
    private Optional<Entry> ownWriteIfResent(TxnResult result, ResentWriteCheck.Write write) {
        if (!result.retried()) {
            return Optional.empty();
        }
        return resentWrites.ownWrite(write).map(this::published);
    }

    /** Tells this backend's watches of a write it made, with its exact index; returns the entry. */
    private Entry published(Entry written) {
        watches.publish(WatchEvent.Type.PUT, written.key(), written, written.version());
        return written;
    }

    /**
     * Runs a transaction. A refused ACL check comes back, as Consul's {@code Txn.Apply} pre-check reports it, as a 409
     * with a {@code Permission denied} error per operation the token may not run, before any operation is applied:
     * that is neither "key exists" nor "changed", and is thrown as {@link dev.baton.lock.AccessDeniedException} naming
     * the rule the token lacks.
     */
    private TxnResult run(List<TxnOp> ops) {
        TxnResult result = http.txn(ops);
        if (!result.committed()) {
            for (TxnResult.TxnError e : result.errors()) {
                String what = e.what().toLowerCase(Locale.ROOT);
                if (what.contains("permission denied") || what.contains("acl not found")) {
                    TxnOp op = ops.get(Math.min(Math.max(e.opIndex(), 0), ops.size() - 1));
                    String access = what.contains("key:read") ? "read" : "write";
                    throw denials.denied(
                            "run the transaction's " + op.verb() + " of " + op.key() + " (operation " + e.opIndex()
                                    + ")",
                            "HTTP 409: " + e.what(),
                            denials.keyRule(op.key(), access));
                }
            }
        }
        return result;
    }

    /** The first error of a transaction that did not commit, or null if Consul gave none. */
    private static TxnResult.TxnError firstError(TxnResult result) {
        return result.errors().isEmpty() ? null : result.errors().get(0);
    }

    /** The entry a committed write left: the last result of the transaction. */
    private static Entry written(String key, byte[] value, TxnResult result, long leaseId) {
        if (result.results().isEmpty()) {
            throw new LockException(null, "Consul committed a write of " + key + " but returned no entry for it", null);
        }
        KvEntry last = result.results().get(result.results().size() - 1);
        return new Entry(key, value, last.modifyIndex(), last.createIndex(), leaseId);
    }

    /** What a refused {@code lock} means: the session is gone, the key is in its lock-delay, or something else. */
    private RuntimeException lockFailure(String key, long leaseId, TxnResult.TxnError error) {
        String what = error == null ? "no reason given" : error.what();
        String lower = what.toLowerCase(Locale.ROOT);
        if (lower.contains("invalid session")) {
            sessions.forget(leaseId);
            return new NoSuchLeaseException(leaseId);
        }
        if (lower.contains("lock delay") || lower.contains("lock-delay")) {
            return new LockException(
                    null,
                    "Consul refused to lock " + key + " during its lock-delay (" + what
                            + "); the key was held by a session that was invalidated",
                    null);
        }
        return new LockException(null, "Consul refused to lock " + key + ": " + what, null);
    }
}
