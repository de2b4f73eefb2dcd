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
package dev.baton.lock.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.lock.spi.BackendChecks;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.NoSuchLeaseException;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The SPI contract, checked directly on a backend's primitives so that a broken primitive is caught at
 * its root: what a backend author runs first. Conditional writes ({@code createIfAbsent}, {@code compareAndSet}, {@code
 * compareAndDelete}), create sequences, listings, leases and their expiry, watches, and the shared key rule of {@link
 * dev.baton.lock.spi.BackendChecks#requireKey}.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface BackendContractRules extends TckRules {
    /**
     * SPI: create if absent on an existing key returns empty.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void spi_create_if_absent_on_an_existing_key_returns_empty() throws Exception {
        TckHarness tck = tck();
        CoordinationBackend backend = tck.openBackend();
        long lease = backend.grantLease(spiTtl(tck));
        String key = spiKey("exists");
        Entry created = backend.createIfAbsent(key, bytes("first"), lease)
                .orElseThrow(() -> new AssertionError("createIfAbsent of a new key"));
        assertThat(created.key()).isEqualTo(key);
        assertThat(created.value()).isEqualTo(bytes("first"));
        assertThat(created.leaseId()).isEqualTo(lease);
        assertThat(backend.createIfAbsent(key, bytes("second"), lease))
                .as("createIfAbsent of an existing key")
                .isEmpty();
        assertThat(tck.openBackend().createIfAbsent(key, bytes("third"), lease))
                .as("createIfAbsent of an existing key through another client")
                .isEmpty();
        assertThat(backend.get(key)).as("the key after refused creations").contains(created);
        backend.revokeLease(lease);
        assertThat(backend.get(key)).as("the key after its lease was revoked").isEmpty();
        tck.assertNoKeysLeft("after the lease was revoked");
    }

    /**
     * SPI: compare and set with a stale version fails and changes nothing.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void spi_compare_and_set_with_a_stale_version_fails_and_changes_nothing() throws Exception {
        TckHarness tck = tck();
        CoordinationBackend backend = tck.openBackend();
        long lease = backend.grantLease(spiTtl(tck));
        String key = spiKey("cas");
        Entry created = backend.createIfAbsent(key, bytes("v1"), lease).orElseThrow();
        Entry updated = backend.compareAndSet(key, created.version(), bytes("v2"), lease)
                .orElseThrow(() -> new AssertionError("compareAndSet with the current version"));
        assertThat(updated.version()).as("version after a write").isNotEqualTo(created.version());
        assertThat(updated.createSequence())
                .as("createSequence after compareAndSet")
                .isEqualTo(created.createSequence());
        assertThat(updated.value()).isEqualTo(bytes("v2"));
        assertThat(backend.compareAndSet(key, created.version(), bytes("stale"), lease))
                .as("compareAndSet with a stale version")
                .isEmpty();
        assertThat(backend.get(key)).as("the key after a stale compareAndSet").contains(updated);
        assertThat(backend.compareAndSet(spiKey("absent"), created.version(), bytes("x"), lease))
                .as("compareAndSet of an absent key")
                .isEmpty();
        assertThat(backend.get(spiKey("absent"))).isEmpty();
        backend.revokeLease(lease);
        tck.assertNoKeysLeft("after the lease was revoked");
    }

    /**
     * SPI: compare and delete with a stale version fails and changes nothing.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void spi_compare_and_delete_with_a_stale_version_fails_and_changes_nothing() throws Exception {
        CoordinationBackend backend = tck().openBackend();
        compareAndDeleteRule(backend, "cad", "compareAndDelete", backend::compareAndDelete);
    }

    /**
     * SPI: the asynchronous compare and delete answers as the blocking one, on the same cases.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void spi_compare_and_delete_async_answers_as_the_blocking_one() throws Exception {
        CoordinationBackend backend = tck().openBackend();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            compareAndDeleteRule(
                    backend, "cad-async", "compareAndDeleteAsync", (key, version) -> backend.compareAndDeleteAsync(
                                    key, version, executor)
                            .orTimeout(30, TimeUnit.SECONDS)
                            .join());
        } finally {
            executor.shutdownNow();
        }
    }

    /** The compare-and-delete cases, with {@code delete} as the call under test, named {@code what} in messages. */
    private void compareAndDeleteRule(
            CoordinationBackend backend, String name, String what, BiPredicate<String, Long> delete) throws Exception {
        TckHarness tck = tck();
        long lease = backend.grantLease(spiTtl(tck));
        String key = spiKey(name);
        Entry created = backend.createIfAbsent(key, bytes("v1"), lease).orElseThrow();
        Entry updated = backend.compareAndSet(key, created.version(), bytes("v2"), lease)
                .orElseThrow();
        assertThat(delete.test(key, created.version()))
                .as(what + " with a stale version")
                .isFalse();
        assertThat(backend.get(key)).as("the key after a stale " + what).contains(updated);
        assertThat(delete.test(key, updated.version()))
                .as(what + " with the current version")
                .isTrue();
        assertThat(backend.get(key)).as("the key after " + what).isEmpty();
        assertThat(backend.list(spiPrefix()).entries())
                .as("listing after " + what)
                .isEmpty();
        assertThat(delete.test(key, updated.version()))
                .as(what + " of an absent key")
                .isFalse();
        Entry recreated = backend.createIfAbsent(key, bytes("v3"), lease).orElseThrow();
        assertThat(delete.test(key, updated.version()))
                .as(what + " of a re-created key with the old key's version")
                .isFalse();
        assertThat(backend.get(key)).contains(recreated);
        backend.revokeLease(lease);
        tck.assertNoKeysLeft("after the lease was revoked");
    }

    /**
     * SPI: create sequence strictly grows and is never reused.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void spi_create_sequence_strictly_grows_and_is_never_reused() throws Exception {
        TckHarness tck = tck();
        CoordinationBackend first = tck.openBackend();
        CoordinationBackend second = tck.openBackend();
        long lease = first.grantLease(spiTtl(tck));
        long last = Long.MIN_VALUE;
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            CoordinationBackend backend = i % 2 == 0 ? first : second;
            String key = spiKey("seq-" + (i % 4));
            Optional<Entry> existing = backend.get(key);
            if (existing.isPresent()) {
                assertThat(backend.compareAndDelete(key, existing.get().version()))
                        .isTrue();
            }
            Entry created = backend.createIfAbsent(key, bytes("v" + i), lease).orElseThrow();
            sequences.add(created.createSequence());
            assertThat(created.createSequence())
                    .as("createSequence of creation %d after %s", i, sequences)
                    .isGreaterThan(last);
            last = created.createSequence();
        }
        first.revokeLease(lease);
        tck.assertNoKeysLeft("after the lease was revoked");
    }

    /**
     * SPI: list orders by create sequence and isolates prefixes.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void spi_list_orders_by_create_sequence_and_isolates_prefixes() throws Exception {
        TckHarness tck = tck();
        CoordinationBackend backend = tck.openBackend();
        long lease = backend.grantLease(spiTtl(tck));
        String prefix = spiPrefix() + "/queue";
        List<String> inside = List.of(prefix + "/z", prefix + "/y/x", prefix + "/a", prefix + "/m", prefix + "/b");
        List<String> outside = List.of(prefix + "x", prefix + "2/a", spiPrefix() + "/other/a");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < inside.size(); i++) {
            backend.createIfAbsent(inside.get(i), bytes("in" + i), lease).orElseThrow();
            created.add(inside.get(i));
            if (i < outside.size()) {
                backend.createIfAbsent(outside.get(i), bytes("out" + i), lease).orElseThrow();
            }
        }
        Listing listing = backend.list(prefix);
        List<String> listed = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (Entry entry : listing.entries()) {
            listed.add(entry.key());
            assertThat(entry.createSequence())
                    .as("createSequence order in %s", listing)
                    .isGreaterThan(last);
            last = entry.createSequence();
        }
        assertThat(listed)
                .as("keys listed under '%s', in creation order", prefix)
                .containsExactlyElementsOf(created);
        Entry removed = backend.get(inside.get(2)).orElseThrow();
        assertThat(backend.compareAndDelete(removed.key(), removed.version())).isTrue();
        Listing after = backend.list(prefix);
        assertThat(after.revision()).as("revision after a delete").isGreaterThan(listing.revision());
        List<String> remaining = new ArrayList<>(created);
        remaining.remove(inside.get(2));
        assertThat(after.entries()).extracting(Entry::key).containsExactlyElementsOf(remaining);
        backend.revokeLease(lease);
        tck.assertNoKeysLeft("after the lease was revoked");
    }

    /**
     * SPI: lease expiry deletes attached keys and emits a delete event.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void spi_lease_expiry_deletes_attached_keys_and_emits_a_delete_event() throws Exception {
        TckHarness tck = tck();
        CoordinationBackend backend = tck.openBackend();
        Duration ttl = tck.env().shortTtl();
        long lease = backend.grantLease(ttl);
        String key = spiKey("expiring");
        backend.createIfAbsent(key, bytes("v"), lease).orElseThrow();
        long revision = backend.list(spiPrefix()).revision();
        EventLog events = new EventLog();
        Watch watch = backend.watch(key, false, revision, events);
        for (int i = 0; i < 8; i++) {
            tck.passTime(ttl.dividedBy(4));
            backend.keepAlive(lease);
        }
        assertThat(backend.get(key))
                .as("key of a lease kept alive past its TTL")
                .isPresent();
        tck.passTime(tck.env().manualTime() ? ttl.minus(tck.step()) : ttl.dividedBy(2));
        assertThat(backend.get(key))
                .as("key of a lease just before its TTL, without keep-alive")
                .isPresent();
        tck.passTimeUntil(
                ttl.plus(tck.livenessSlack()), () -> backend.get(key).isEmpty(), "the key of an expired lease");
        tck.await("the DELETE event of the expired key")
                .until(() -> !events.events.isEmpty() || events.reset.get() != null);
        assertThat(events.reset.get()).as("watch reset").isNull();
        assertThat(events.events)
                .extracting(WatchEvent::type, WatchEvent::key)
                .containsExactly(Tuple.tuple(WatchEvent.Type.DELETE, key));
        assertThatThrownBy(() -> backend.keepAlive(lease)).isInstanceOf(NoSuchLeaseException.class);
        watch.close();
        tck.assertNoKeysLeft("after the lease expired");
    }

    /**
     * SPI: unknown lease is rejected.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void spi_unknown_lease_is_rejected() throws Exception {
        TckHarness tck = tck();
        CoordinationBackend backend = tck.openBackend();
        long lease = backend.grantLease(spiTtl(tck));
        backend.revokeLease(lease);
        assertThatThrownBy(() -> backend.keepAlive(lease)).isInstanceOf(NoSuchLeaseException.class);
        assertThatThrownBy(() -> backend.createIfAbsent(spiKey("orphan"), bytes("v"), lease))
                .isInstanceOf(NoSuchLeaseException.class);
        backend.revokeLease(lease);
        tck.assertNoKeysLeft("after using a revoked lease");
    }

    /**
     * SPI: watch delivers changes in revision order from after revision.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void spi_watch_delivers_changes_in_revision_order_from_after_revision() throws Exception {
        TckHarness tck = tck();
        CoordinationBackend backend = tck.openBackend();
        long lease = backend.grantLease(spiTtl(tck));
        String prefix = spiPrefix() + "/watched";
        long start = backend.list(prefix).revision();
        EventLog live = new EventLog();
        Watch liveWatch = backend.watch(prefix, true, start, live);
        EventLog single = new EventLog();
        Watch singleWatch = backend.watch(prefix + "/k1", false, start, single);

        Entry k1 = backend.createIfAbsent(prefix + "/k1", bytes("1"), lease).orElseThrow();
        backend.createIfAbsent(prefix + "x", bytes("outside"), lease).orElseThrow();
        Entry k2 = backend.createIfAbsent(prefix + "/k2", bytes("2"), lease).orElseThrow();
        Entry k1b = backend.compareAndSet(k1.key(), k1.version(), bytes("1b"), lease)
                .orElseThrow();
        assertThat(backend.compareAndDelete(k2.key(), k2.version())).isTrue();
        Entry k3 = backend.createIfAbsent(prefix + "/sub/k3", bytes("3"), lease).orElseThrow();
        List<String> expected = List.of(
                "PUT " + k1.key(), "PUT " + k2.key(), "PUT " + k1b.key(), "DELETE " + k2.key(), "PUT " + k3.key());

        tck.await("the five changes under the prefix").until(() -> live.events.size() >= 5 || live.reset.get() != null);
        assertThat(live.reset.get()).as("reset of a live watch").isNull();
        assertThat(live.describe()).as("events of a prefix watch, in order").containsExactlyElementsOf(expected);
        assertThat(live.revisionsIncrease(start))
                .as("revisions of %s after %d", live.events, start)
                .isTrue();
        assertThat(live.events.get(2).entry())
                .as("entry of the compareAndSet event")
                .contains(k1b);
        tck.await("the two changes of k1").until(() -> single.events.size() >= 2 || single.reset.get() != null);
        List<String> k1Changes = List.of("PUT " + k1.key(), "PUT " + k1b.key());
        if (single.reset.get() == null) {
            assertThat(single.describe()).as("events of a key watch").containsExactlyElementsOf(k1Changes);
        } else {
            // A key watch may start after the first change (etcd's opens "from now", then checks the revisions it
            // did not cover and resets, as the SPI allows: the caller lists again). What it delivered before the reset
            // must still be true and in order.
            assertThat(single.subsequenceOf(k1Changes))
                    .as(
                            "events %s of a key watch before its reset (%s), in the order of %s",
                            single.describe(), single.reset.get(), k1Changes)
                    .isTrue();
        }

        // A watch opened after the changes, from the same revision, replays them in order (or says it cannot).
        EventLog replay = new EventLog();
        Watch replayWatch = backend.watch(prefix, true, start, replay);
        tck.await("the replayed changes").until(() -> replay.events.size() >= 5 || replay.reset.get() != null);
        if (replay.reset.get() == null) {
            assertThat(replay.describe()).as("replayed events").containsExactlyElementsOf(expected);
            assertThat(replay.revisionsIncrease(start)).isTrue();
        } else {
            assertThat(replay.events).as("events delivered before a reset").isEmpty();
        }
        long middle = live.events.get(2).revision();
        EventLog tail = new EventLog();
        Watch tailWatch = backend.watch(prefix, true, middle, tail);
        tck.await("the changes after revision " + middle)
                .until(() -> tail.events.size() >= 2 || tail.reset.get() != null);
        if (tail.reset.get() == null) {
            assertThat(tail.describe())
                    .as("events after revision %d", middle)
                    .containsExactlyElementsOf(expected.subList(3, 5));
        }
        for (Watch watch : List.of(liveWatch, singleWatch, replayWatch, tailWatch)) {
            watch.close();
        }
        backend.revokeLease(lease);
        tck.assertNoKeysLeft("after the lease was revoked");
        assertThat(live.events).as("events after the watch was closed").hasSize(5);
    }

    /**
     * SPI: keys that the shared key rule ({@link BackendChecks#requireKey}) refuses are refused by every key-taking
     * primitive ({@code createIfAbsent}, {@code get}, {@code list}, {@code watch} of a key and of a prefix) with an
     * {@link IllegalArgumentException}, and nothing is written; a key of the greatest length the rule accepts works.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void spi_keys_that_break_the_shared_key_rule_are_refused_and_nothing_written() throws Exception {
        TckHarness tck = tck();
        CoordinationBackend backend = tck.openBackend();
        long lease = backend.grantLease(spiTtl(tck));
        String longest =
                spiKey("x".repeat(BackendChecks.MAX_KEY_LENGTH - spiKey("").length()));
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("", "empty");
        refused.put("/" + spiKey("leading"), "leading '/'");
        refused.put(spiKey("trailing/"), "trailing '/'");
        refused.put(spiKey("a//b"), "'//'");
        refused.put(".", "'.' segment");
        refused.put("..", "'..' segment");
        refused.put(spiKey("./a"), "'.' segment");
        refused.put(spiKey("a/.."), "'..' segment");
        refused.put(spiKey("caf\u00e9"), "non-ASCII character");
        refused.put(spiKey("\u30ed\u30c3\u30af"), "non-ASCII characters");
        refused.put(spiKey("a\u0000b"), "control character NUL");
        refused.put(spiKey("a\nb"), "control character LF");
        refused.put(spiKey("a\u007fb"), "control character DEL");
        refused.put(spiKey("a b"), "space");
        refused.put(longest + "x", "over " + BackendChecks.MAX_KEY_LENGTH + " characters");
        long revision = backend.list(spiPrefix()).revision();
        EventLog events = new EventLog();
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            String key = bad.getKey();
            String shown = (key.length() > 40 ? key.length() + " chars" : "'" + TckHarness.printable(key) + "'") + " ("
                    + bad.getValue() + ")";
            assertThat(catchThrowable(() -> BackendChecks.requireKey("key", key)))
                    .as("the shared rule itself refuses %s", shown)
                    .isInstanceOf(IllegalArgumentException.class);
            List<Callable<?>> calls = List.of(
                    () -> backend.createIfAbsent(key, bytes("v"), lease),
                    () -> backend.get(key),
                    () -> backend.list(key),
                    () -> backend.watch(key, false, revision, events),
                    () -> backend.watch(key, true, revision, events));
            List<String> what = List.of("createIfAbsent", "get", "list", "watch of a key", "watch of a prefix");
            for (int i = 0; i < calls.size(); i++) {
                assertThat(catchThrowable(calls.get(i)::call))
                        .as("%s with the key %s", what.get(i), shown)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
        assertThat(tck.env().keysOnServer())
                .as("keys on the server after refused keys (the lease they would hang on is still live)")
                .isEmpty();
        assertThat(events.events)
                .as("events delivered to watches of refused keys")
                .isEmpty();
        Entry created = backend.createIfAbsent(longest, bytes("v"), lease)
                .orElseThrow(() -> new AssertionError("createIfAbsent of a key of " + BackendChecks.MAX_KEY_LENGTH
                        + " characters, the longest the rule accepts"));
        assertThat(backend.get(longest)).as("the longest key the rule accepts").contains(created);
        assertThat(backend.compareAndDelete(longest, created.version())).isTrue();
        backend.revokeLease(lease);
        tck.assertNoKeysLeft("after the refused keys and the longest accepted one");
    }

    private static String spiPrefix() {
        return "tck-spi";
    }

    private static String spiKey(String what) {
        return spiPrefix() + "/" + what;
    }

    private static Duration spiTtl(TckHarness tck) {
        CoordinationBackend probe = tck.openBackend();
        Duration ttl = Duration.ofMinutes(1);
        if (ttl.compareTo(probe.maximumTtl()) > 0) {
            ttl = probe.maximumTtl();
        }
        if (ttl.compareTo(probe.minimumTtl()) < 0) {
            ttl = probe.minimumTtl();
        }
        return ttl;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
