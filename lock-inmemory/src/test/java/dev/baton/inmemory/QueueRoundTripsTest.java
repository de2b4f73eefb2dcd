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
package dev.baton.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.lock.Coordinator;
import dev.baton.lock.DistributedLock;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.Leadership;
import dev.baton.lock.LockHandle;
import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import dev.baton.lock.tck.FaultInjectingBackend;
import dev.baton.lock.tck.FaultInjectingBackend.Call;
import dev.baton.lock.tck.ForwardingBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The round trips of the queue, counted at the SPI: what an uncontended acquire sends, what a hand-off sends, and
 * which key an entry takes. These are the costs the benchmarks measure; each test pins one of them.
 */
@Timeout(60)
class QueueRoundTripsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final CountedCoordinators coordinators = new CountedCoordinators();

    private final InMemoryCluster cluster = coordinators.cluster;

    private FaultInjectingBackend counted() {
        return coordinators.counted();
    }

    private Coordinator last() {
        return coordinators.last();
    }

    @Test
    void an_uncontended_acquire_is_one_create_and_list_call_and_no_watch() throws Exception {
        FaultInjectingBackend a = counted();
        try (LockHandle held = last().lock("jobs").acquire(WAIT)) {
            assertThat(held.isValid()).isTrue();
        }
        assertThat(a.calls(Call.CREATE_IF_ABSENT)).as("creates").isEqualTo(1);
        assertThat(a.calls(Call.LIST))
                .as("lists (the one that came with the create)")
                .isEqualTo(1);
        assertThat(a.calls(Call.COMPARE_AND_DELETE)).as("the release").isEqualTo(1);
        assertThat(a.calls(Call.WATCH, Call.GET, Call.COMPARE_AND_SET, Call.REVOKE_LEASE))
                .as("any other call")
                .isZero();
    }

    @Test
    void the_waiter_behind_the_head_acquires_on_the_delete_event_without_listing_again() throws Exception {
        FaultInjectingBackend a = counted();
        Coordinator holder = last();
        FaultInjectingBackend b = counted();
        Coordinator waiter = last();
        LockHandle first = holder.lock("jobs").acquire(WAIT);
        CompletableFuture<LockHandle> next = waiter.lock("jobs").acquireAsync();
        await().atMost(WAIT).until(() -> b.calls(Call.WATCH) == 1);
        long listsBefore = b.calls(Call.LIST);

        first.close();
        LockHandle second = next.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(b.calls(Call.LIST) - listsBefore)
                .as("lists by the waiter between the holder's release and its own acquisition")
                .isZero();
        assertThat(a.calls(Call.COMPARE_AND_DELETE)).as("the holder's release").isEqualTo(1);
        second.close();
    }

    @Test
    void a_waiter_whose_predecessor_was_not_the_head_lists_again_and_keeps_waiting() throws Exception {
        counted();
        Coordinator holder = last();
        counted();
        Coordinator middle = last();
        FaultInjectingBackend c = counted();
        Coordinator back = last();
        LockHandle first = holder.lock("jobs").acquire(WAIT);
        CompletableFuture<LockHandle> second = middle.lock("jobs").acquireAsync();
        await().atMost(WAIT).until(() -> cluster.keys().size() == 2);
        CompletableFuture<LockHandle> third = back.lock("jobs").acquireAsync();
        await().atMost(WAIT).until(() -> c.calls(Call.WATCH) == 1);
        long listsBefore = c.calls(Call.LIST);

        second.cancel(true); // the middle waiter leaves; its entry is deleted, but it was not the head

        await().atMost(WAIT).until(() -> c.calls(Call.WATCH) == 2);
        assertThat(c.calls(Call.LIST) - listsBefore)
                .as("the back waiter listed again")
                .isEqualTo(1);
        assertThat(third).as("the back waiter while the holder still holds").isNotDone();
        first.close();
        LockHandle handle = third.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(handle.fencingToken()).isGreaterThan(first.fencingToken());
        handle.close();
    }

    /** A watch that reports a key's new value but not its deletion, as a polling watch may between two answers. */
    private static final class DeletesUnseen extends ForwardingBackend {
        DeletesUnseen(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
            return super.watch(keyOrPrefix, prefix, afterRevision, new WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    if (event.type() == WatchEvent.Type.PUT) {
                        listener.onEvent(event);
                    }
                }

                @Override
                public void onReset(String why) {
                    listener.onReset(why);
                }
            });
        }
    }

    @Test
    void a_waiter_whose_predecessor_key_is_created_again_looks_again_even_if_it_never_saw_the_deletion()
            throws Exception {
        counted();
        DistributedLock holderLock = last().lock("jobs");
        Coordinator waiter = coordinators.over(DeletesUnseen::new);
        LockHandle first = holderLock.acquire(WAIT);
        CompletableFuture<LockHandle> next = waiter.lock("jobs").acquireAsync();
        await().atMost(WAIT).until(() -> cluster.keys().size() == 2);

        first.close();
        // The holder queues again on its freed key, behind the waiter; the waiter sees only that key's new PUT.
        CompletableFuture<LockHandle> again = holderLock.acquireAsync();

        LockHandle second = next.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        second.close();
        LockHandle third = again.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(third.fencingToken()).isGreaterThan(second.fencingToken());
        third.close();
    }

    /** Fails the first listing, as a connection that drops between a create and the list after it. */
    private static final class FirstListFails extends ForwardingBackend {
        private final java.util.concurrent.atomic.AtomicBoolean armed =
                new java.util.concurrent.atomic.AtomicBoolean(true);

        FirstListFails(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public dev.baton.lock.spi.Listing list(String prefix) {
            if (armed.compareAndSet(true, false)) {
                throw new dev.baton.lock.BackendUnavailableException(null, "connection dropped (the test)", null);
            }
            return super.list(prefix);
        }
    }

    @Test
    void a_listing_that_fails_after_the_create_took_effect_is_retried_not_the_acquire_failed() throws Exception {
        Coordinator c = coordinators.over(FirstListFails::new);

        LockHandle handle = c.lock("jobs").acquire(WAIT);

        assertThat(handle.isValid()).isTrue();
        assertThat(cluster.keys()).as("entries while held").hasSize(1);
        handle.close();
        assertThat(cluster.keys()).isEmpty();
    }

    @Test
    void a_released_key_is_created_again_by_the_next_acquire_with_a_larger_token() throws Exception {
        counted();
        DistributedLock lock = last().lock("jobs");
        coordinators.assertReleasedKeyTakenAgain(() -> lock.acquire(WAIT), LockHandle::fencingToken);
    }

    @Test
    void a_candidate_campaigns_again_on_the_key_its_resignation_deleted_with_a_larger_token() throws Exception {
        counted();
        LeaderElection election = last().election("leader", "candidate-1");
        coordinators.assertReleasedKeyTakenAgain(election::campaign, Leadership::fencingToken);
    }

    @Test
    void a_key_whose_release_answer_was_lost_is_not_created_again() throws Exception {
        FaultInjectingBackend a = counted();
        DistributedLock lock = last().lock("jobs");
        LockHandle first = lock.acquire(WAIT);
        List<String> keysFirst = cluster.keys();
        a.failNextDeleteAfterWrite();
        first.close(); // deleted on the server, but the answer is lost: the janitor may still be at that key
        LockHandle second = lock.acquire(WAIT);
        List<String> keysSecond = cluster.keys();
        second.close();

        assertThat(keysSecond).hasSize(1);
        assertThat(keysSecond).as("the entry's key after a lost release answer").doesNotContainAnyElementsOf(keysFirst);
    }
}
