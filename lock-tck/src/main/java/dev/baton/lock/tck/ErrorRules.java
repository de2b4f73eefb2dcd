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
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.lock.Coordinator;
import dev.baton.lock.CoordinatorBuilder;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.LeaderInfo;
import dev.baton.lock.Leadership;
import dev.baton.lock.LeaseOptions;
import dev.baton.lock.LockHandle;
import dev.baton.lock.LockOptions;
import dev.baton.lock.SessionState;
import dev.baton.lock.SingletonRunner;
import dev.baton.lock.SingletonTask;
import dev.baton.lock.spi.CoordinationBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The error rules of the public API: invalid names, null arguments and bad durations are refused with a
 * specific exception and nothing written; unusual but valid names work and names that share a prefix are independent;
 * every method after {@code close()} throws {@link IllegalStateException}; closing twice is harmless.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface ErrorRules extends TckRules {
    /**
     * Errors: invalid names are rejected with the rule and nothing written.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void errors_invalid_names_are_rejected_with_the_rule_and_nothing_written() throws Exception {
        TckHarness tck = tck();
        Coordinator c = tck.newClient("a").coordinator();
        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("", "empty");
        invalid.put("é".repeat(128) + "a", "256");
        invalid.put("a".repeat(257), "256");
        invalid.put("a\u0000b", "control");
        invalid.put("a\nb", "control");
        invalid.put("\tab", "control");
        invalid.put("a\u001bb", "control");
        invalid.put("a\u007f", "control");
        invalid.put("a\ud800b", "surrogate");
        SingletonTask task = leadership -> {};
        for (Map.Entry<String, String> bad : invalid.entrySet()) {
            String name = bad.getKey();
            String rule = bad.getValue();
            String shown = name.length() > 20 ? name.length() + " chars" : TckHarness.printable(name);
            List<Callable<?>> calls = List.of(
                    () -> c.lock(name),
                    () -> c.lock(name, LockOptions.ttl(tck.env().shortTtl())),
                    () -> c.lease(name, tck.env().shortTtl()),
                    () -> c.election(name, "id"),
                    () -> c.election("valid", name),
                    () -> c.singleton(name, "id", task));
            for (int i = 0; i < calls.size(); i++) {
                Callable<?> call = calls.get(i);
                assertThatThrownBy(call::call)
                        .as("call %d with name '%s'", i, shown)
                        .isInstanceOf(IllegalArgumentException.class)
                        .satisfies(e -> assertThat(e.getMessage().toLowerCase(Locale.ROOT))
                                .as("message of the rejection of '%s' names the rule", shown)
                                .contains(rule));
            }
        }
        assertThat(tck.env().keysOnServer()).as("keys after rejected names").isEmpty();
    }

    /**
     * Errors: null arguments throw null pointer exception.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void errors_null_arguments_throw_null_pointer_exception() throws Exception {
        TckHarness tck = tck();
        Coordinator c = tck.newClient("a").coordinator();
        DistributedLock lock = c.lock(tck.name("null"));
        LeaderElection election = c.election(tck.name("null-election"), "a");
        assertThatNullPointerException().isThrownBy(() -> c.lock(null));
        assertThatNullPointerException().isThrownBy(() -> c.lock("x", null));
        assertThatNullPointerException().isThrownBy(() -> c.lock(null, LockOptions.defaults()));
        assertThatNullPointerException()
                .isThrownBy(() -> c.lease(null, tck.env().shortTtl()));
        assertThatNullPointerException().isThrownBy(() -> c.lease("x", (Duration) null));
        assertThatNullPointerException().isThrownBy(() -> c.lease("x", (LeaseOptions) null));
        assertThatNullPointerException().isThrownBy(() -> c.election(null, "a"));
        assertThatNullPointerException().isThrownBy(() -> c.election("x", null));
        assertThatNullPointerException().isThrownBy(() -> c.singleton(null, "a", l -> {}));
        assertThatNullPointerException().isThrownBy(() -> c.singleton("x", null, l -> {}));
        assertThatNullPointerException().isThrownBy(() -> c.singleton("x", "a", null));
        assertThatNullPointerException().isThrownBy(() -> c.onSessionStateChange(null));
        assertThatNullPointerException().isThrownBy(() -> lock.acquire(null));
        assertThatNullPointerException().isThrownBy(() -> lock.tryAcquire(null));
        assertThatNullPointerException().isThrownBy(() -> election.campaign(null));
        assertThatNullPointerException().isThrownBy(() -> election.observe(null));
        assertThatNullPointerException().isThrownBy(() -> election.listen(null));
        LockHandle handle = lock.acquire(tck.awaitTimeout());
        assertThatNullPointerException().isThrownBy(() -> handle.onLost(null));
        handle.close();
        Leadership term = election.campaign(tck.awaitTimeout());
        assertThatNullPointerException().isThrownBy(() -> term.proclaim(null));
        term.close();
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Errors: unusual but valid names work.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void errors_unusual_but_valid_names_work() throws Exception {
        TckHarness tck = tck();
        Coordinator c = tck.newClient("a").coordinator();
        List<String> names = List.of(
                "x".repeat(256),
                "é".repeat(128),
                "a/b",
                "..",
                ".",
                "/",
                "a//b",
                "/leading",
                "trailing/",
                "%2F",
                "%",
                "a b",
                "ロック/🔒",
                "*?[]{}",
                "\\",
                "-_~");
        for (String name : names) {
            DistributedLock lock = c.lock(name);
            assertThat(lock.name()).isEqualTo(name);
            LockHandle handle = lock.tryAcquire()
                    .orElseThrow(() -> new AssertionError("free lock '" + name + "' could not be acquired"));
            assertThat(handle.name()).isEqualTo(name);
            assertThat(handle.fencingToken()).isPositive();
            handle.close();
            LeaderElection election = c.election(name, name);
            Leadership term = election.campaign(tck.awaitTimeout());
            assertThat(election.leader().map(LeaderInfo::candidateId)).contains(name);
            term.close();
        }
        assertThat(names.get(0).getBytes(StandardCharsets.UTF_8)).hasSize(256);
        assertThat(names.get(1).getBytes(StandardCharsets.UTF_8)).hasSize(256);
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Errors: names that share a prefix are independent locks.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void errors_names_that_share_a_prefix_are_independent_locks() throws Exception {
        TckHarness tck = tck();
        Coordinator a = tck.newClient("a").coordinator();
        Coordinator b = tck.newClient("b").coordinator();
        List<String> names = List.of("a", "a/b", "ab", "a/", "a%2Fb", "A", "a.b");
        for (String held : names) {
            LockHandle handle = a.lock(held).tryAcquire().orElseThrow(() -> new AssertionError(held + " is free"));
            for (String other : names) {
                if (other.equals(held)) {
                    assertThat(b.lock(other).tryAcquire())
                            .as("'%s' while held", other)
                            .isEmpty();
                    continue;
                }
                Optional<LockHandle> got = b.lock(other).tryAcquire();
                assertThat(got).as("'%s' while only '%s' is held", other, held).isPresent();
                got.get().close();
            }
            handle.close();
        }
        tck.assertNoKeysLeft("after release");
    }

    /**
     * Errors: bad durations are rejected and nothing written.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void errors_bad_durations_are_rejected_and_nothing_written() throws Exception {
        TckHarness tck = tck();
        TckClient client = tck.newClient("a");
        Coordinator c = client.coordinator();
        DistributedLock lock = c.lock(tck.name("durations"));
        LeaderElection election = c.election(tck.name("durations-election"), "a");
        Duration negative = Duration.ofMillis(-1);
        assertThatThrownBy(() -> lock.acquire(negative)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lock.tryAcquire(negative)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> election.campaign(negative)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockOptions.ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockOptions.ttl(negative)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.lease("x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.lease("x", negative)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeaseOptions.builder(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        Duration minimum = client.backend().minimumTtl();
        Duration belowMinimum = minimum.minusNanos(1);
        if (belowMinimum.isNegative() || belowMinimum.isZero()) {
            belowMinimum = null;
        }
        if (belowMinimum != null) {
            Duration below = belowMinimum;
            assertThatThrownBy(() -> c.lock("x", LockOptions.ttl(below)))
                    .as("TTL lock below the backend's minimum TTL %s", minimum)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.lease("x", below))
                    .as("lease below the backend's minimum TTL %s", minimum)
                    .isInstanceOf(IllegalArgumentException.class);
            CoordinationBackend raw = tck.env().newBackend();
            try {
                CoordinatorBuilder builder = Coordinator.builder(raw)
                        .sessionTtl(below)
                        .safetyMargin(below.dividedBy(4).isZero() ? Duration.ofNanos(1) : below.dividedBy(4))
                        .timeSource(tck.env().timeSource());
                assertThatThrownBy(builder::build)
                        .as("session TTL below the backend's minimum TTL %s", minimum)
                        .isInstanceOf(IllegalArgumentException.class);
            } finally {
                raw.close();
            }
        }
        Duration maximum = client.backend().maximumTtl();
        if (maximum.compareTo(Duration.ofDays(365 * 100)) < 0) {
            Duration above = maximum.plusSeconds(1);
            assertThatThrownBy(() -> c.lock("x", LockOptions.ttl(above)))
                    .as("TTL lock above the backend's maximum TTL %s", maximum)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.lease("x", above))
                    .as("lease above the backend's maximum TTL %s", maximum)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(tck.env().keysOnServer()).as("keys after rejected durations").isEmpty();
        tck.assertLiveLeases(1, "after rejected durations, with one coordinator open (its session's lease only)");
    }

    /**
     * Errors: every method after close throws illegal state.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void errors_every_method_after_close_throws_illegal_state() throws Exception {
        TckHarness tck = tck();
        TckClient client = tck.newClient("a");
        Coordinator c = client.coordinator();
        DistributedLock lock = c.lock(tck.name("closed"));
        LeaderElection election = c.election(tck.name("closed-election"), "a");
        c.close();
        assertThat(c.sessionState()).isEqualTo(SessionState.CLOSED);
        List<Callable<?>> calls = List.of(
                () -> c.lock("x"),
                () -> c.lock("x", LockOptions.defaults()),
                () -> c.lock("x", LockOptions.ttl(tck.env().shortTtl())),
                () -> c.lease("x", tck.env().shortTtl()),
                () -> c.lease("x", LeaseOptions.of(tck.env().shortTtl())),
                () -> c.election("x", "a"),
                () -> c.singleton("x", "a", l -> {}),
                lock::acquire,
                () -> lock.acquire(Duration.ofSeconds(1)),
                lock::tryAcquire,
                () -> lock.tryAcquire(Duration.ofSeconds(1)),
                lock::acquireAsync,
                election::campaign,
                () -> election.campaign(Duration.ofSeconds(1)),
                election::campaignAsync,
                election::leader,
                () -> election.observe(leader -> {}),
                () -> c.leader("x"),
                () -> c.observe("x", leader -> {}));
        for (int i = 0; i < calls.size(); i++) {
            Callable<?> call = calls.get(i);
            assertThatThrownBy(call::call)
                    .as("call %d after the coordinator was closed", i)
                    .isInstanceOf(IllegalStateException.class);
        }
        c.close();
        tck.assertNoKeysLeft("after close");
        tck.assertLiveLeases(0, "after close");
    }

    /**
     * Errors: closing twice is harmless.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void errors_closing_twice_is_harmless() throws Exception {
        TckHarness tck = tck();
        Coordinator c = tck.newClient("a").coordinator();
        LockHandle handle = c.lock(tck.name("twice")).acquire(tck.awaitTimeout());
        handle.close();
        handle.close();
        LeaderElection election = c.election(tck.name("twice-election"), "a");
        Leadership term = election.campaign(tck.awaitTimeout());
        term.close();
        term.close();
        election.close();
        election.close();
        SingletonRunner runner = c.singleton(tck.name("twice-singleton"), "a", l -> {});
        runner.close();
        runner.close();
        c.close();
        c.close();
        assertThat(c.sessionState()).isEqualTo(SessionState.CLOSED);
        tck.assertNoKeysLeft("after close");
    }
}
