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

import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.ElectionListener;
import dev.baton.lock.LeaderElection;
import dev.baton.lock.LeaderInfo;
import dev.baton.lock.Leadership;
import dev.baton.lock.LockLostException;
import dev.baton.lock.LossReason;
import dev.baton.lock.Participant;
import dev.baton.lock.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The leader-election rules: exactly one leader, leader information as proclaimed, observers that see the
 * changes in order, hand-over in campaign order, participants listed in campaign order, and a listener told of each
 * term's start and end.
 *
 * <p>Run by {@link CoordinatorConformanceSuite}, or on its own by a {@link TckSuite} that implements it.
 */
public interface ElectionRules extends TckRules {
    /**
     * Election: has exactly one leader among candidates.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void election_has_exactly_one_leader_among_candidates() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("one-leader");
        int candidates = 4;
        List<LeaderElection> elections = new ArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        Map<String, Leadership> terms = new ConcurrentHashMap<>();
        for (int i = 0; i < candidates; i++) {
            LeaderElection election = tck.newClient("c" + i).coordinator().election(name, "c" + i);
            String id = "c" + i;
            election.listen(new ElectionListener() {
                @Override
                public void onElected(Leadership leadership) {
                    // Callbacks of different coordinators may run late and in any order, so "another term is valid
                    // now" alone is no violation: this term may have ended already. A term never becomes valid
                    // again, so another term valid now and this one still valid after that were valid together.
                    terms.forEach((other, term) -> {
                        if (term.isValid() && leadership.isValid()) {
                            violations.add(id + " elected while " + other + " still held a valid term");
                        }
                    });
                    terms.put(id, leadership);
                }

                @Override
                public void onRevoked(Leadership leadership, LossReason reason) {}
            });
            elections.add(election);
        }
        List<CompletableFuture<Leadership>> campaigns = new ArrayList<>();
        for (LeaderElection election : elections) {
            campaigns.add(election.campaignAsync());
        }
        List<Integer> leaders = new ArrayList<>();
        long lastToken = 0;
        for (int round = 0; round < candidates; round++) {
            tck.await("a leader to be elected").until(() -> campaigns.stream().anyMatch(CompletableFuture::isDone));
            List<Integer> done = new ArrayList<>();
            for (int i = 0; i < candidates; i++) {
                if (campaigns.get(i).isDone() && !leaders.contains(i)) {
                    done.add(i);
                }
            }
            assertThat(done).as("round %d: candidates elected at once", round).hasSize(1);
            int leader = done.get(0);
            Leadership term = campaigns.get(leader).join();
            assertThat(term.fencingToken()).as("token of term %d", round).isGreaterThan(lastToken);
            lastToken = term.fencingToken();
            for (LeaderElection election : elections) {
                Optional<LeaderInfo> seen = election.leader();
                assertThat(seen).as("leader seen by %s", election.candidateId()).isPresent();
                assertThat(seen.get().candidateId()).isEqualTo("c" + leader);
                assertThat(seen.get().fencingToken()).isEqualTo(term.fencingToken());
            }
            leaders.add(leader);
            campaigns.set(leader, new CompletableFuture<>());
            elections.get(leader).resign();
            assertThat(term.isValid()).as("term after resign").isFalse();
        }
        assertThat(violations).as("moments with two valid terms").isEmpty();
        assertThat(leaders).as("every candidate led once").containsExactlyInAnyOrder(0, 1, 2, 3);
        tck.assertNoKeysLeft("after every candidate resigned");
    }

    /**
     * Election: leader reports id token and proclaimed value.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void election_leader_reports_id_token_and_proclaimed_value() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("leader-info");
        LeaderElection leader = tck.newClient("a").coordinator().election(name, "leader-a");
        LeaderElection observer = tck.newClient("b").coordinator().election(name, "observer-b");
        assertThat(observer.leader()).as("leader before any campaign").isEmpty();
        Leadership term = leader.campaign(tck.awaitTimeout());
        assertThat(term.electionName()).isEqualTo(name);
        assertThat(term.candidateId()).isEqualTo("leader-a");
        assertThat(term.isValid()).isTrue();
        assertThat(observer.leader()).contains(new LeaderInfo("leader-a", term.fencingToken(), ""));
        term.proclaim("10.0.0.7:8080");
        assertThat(observer.leader()).contains(new LeaderInfo("leader-a", term.fencingToken(), "10.0.0.7:8080"));
        term.close();
        tck.await("no leader after resign").until(() -> observer.leader().isEmpty());
        tck.assertNoKeysLeft("after resign");
    }

    /**
     * Election: observer sees changes in order starting with current leader.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void election_observer_sees_changes_in_order_starting_with_current_leader() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("observe");
        LeaderElection a = tck.newClient("a").coordinator().election(name, "a");
        LeaderElection b = tck.newClient("b").coordinator().election(name, "b");
        LeaderElection watcher = tck.newClient("w").coordinator().election(name, "w");
        Leadership termA = a.campaign(tck.awaitTimeout());
        List<Optional<LeaderInfo>> seen = new CopyOnWriteArrayList<>();
        watcher.observe(seen::add);
        tck.await("the observer's first call").until(() -> !seen.isEmpty());
        assertThat(seen.get(0)).as("first call").contains(new LeaderInfo("a", termA.fencingToken(), ""));

        termA.proclaim("v1");
        LeaderInfo proclaimed = new LeaderInfo("a", termA.fencingToken(), "v1");
        tck.await("the proclaimed value observed").until(() -> last(seen).equals(Optional.of(proclaimed)));

        CompletableFuture<Leadership> campaignB = b.campaignAsync();
        tck.awaitKeyCount(2, "b's campaign queued");
        a.resign();
        Leadership termB = tck.awaitDone(campaignB, "b elected after a resigned");
        LeaderInfo second = new LeaderInfo("b", termB.fencingToken(), "");
        tck.await("b observed as leader").until(() -> last(seen).equals(Optional.of(second)));

        b.resign();
        tck.await("no leader observed").until(() -> last(seen).isEmpty());

        List<LeaderInfo> leaders = new ArrayList<>();
        for (Optional<LeaderInfo> change : seen) {
            change.ifPresent(info -> {
                if (leaders.isEmpty() || !last(leaders).equals(info)) {
                    leaders.add(info);
                }
            });
        }
        assertThat(leaders)
                .as("leaders observed, in order (all calls: %s)", seen)
                .containsExactly(new LeaderInfo("a", termA.fencingToken(), ""), proclaimed, second);
    }

    /**
     * Election: can be observed without campaigning.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void election_can_be_observed_without_campaigning() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("observe-only");
        TckClient observerClient = tck.newClient("observer");
        LeaderElection a = tck.newClient("a").coordinator().election(name, "a");
        assertThat(observerClient.coordinator().leader(name))
                .as("leader before anyone campaigned")
                .isEmpty();
        List<Optional<LeaderInfo>> seen = new CopyOnWriteArrayList<>();
        Subscription subscription = observerClient.coordinator().observe(name, seen::add);
        tck.await("the observer's first call").until(() -> !seen.isEmpty());
        assertThat(seen.get(0)).as("first call, nobody leads").isEmpty();

        Leadership term = a.campaign(tck.awaitTimeout());
        term.proclaim("host-a:8080");
        LeaderInfo expected = new LeaderInfo("a", term.fencingToken(), "host-a:8080");
        tck.await("the leader and its value observed").until(() -> last(seen).equals(Optional.of(expected)));
        assertThat(observerClient.coordinator().leader(name)).contains(expected);
        tck.assertKeyCount(1, "the observer wrote nothing: only the candidate's entry exists");

        subscription.close();
        int callsAtClose = seen.size();
        term.close();
        assertThat(observerClient.coordinator().leader(name))
                .as("leader after resignation")
                .isEmpty();
        assertThat(seen).as("calls after the subscription was closed").hasSize(callsAtClose);
    }

    /**
     * Election: campaign that failed can be retried.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void election_campaign_that_failed_can_be_retried() throws Exception {
        TckHarness tck = tck();
        // Regression: a blocking campaign that failed (server unreachable) left the candidate marked as campaigning,
        // so every later campaign threw IllegalStateException.
        String name = tck.name("retry-campaign");
        TckClient client = tck.newClient("a");
        LeaderElection election = client.coordinator().election(name, "a");
        client.backend().partition();
        assertThatThrownBy(() -> election.campaign(tck.awaitTimeout()))
                .as("campaign while the server is unreachable")
                .isInstanceOf(BackendUnavailableException.class);
        client.backend().heal();
        Leadership term = election.campaign(tck.awaitTimeout());
        assertThat(term.isValid()).as("the retried campaign's term").isTrue();
        term.close();
    }

    /**
     * Election: resign hands over to the next candidate in campaign order.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void election_resign_hands_over_to_the_next_candidate_in_campaign_order() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("resign");
        LeaderElection a = tck.newClient("a").coordinator().election(name, "a");
        LeaderElection b = tck.newClient("b").coordinator().election(name, "b");
        LeaderElection c = tck.newClient("c").coordinator().election(name, "c");
        Leadership termA = a.campaign(tck.awaitTimeout());
        CompletableFuture<Leadership> campaignB = b.campaignAsync();
        tck.awaitKeyCount(2, "b's campaign queued");
        CompletableFuture<Leadership> campaignC = c.campaignAsync();
        tck.awaitKeyCount(3, "c's campaign queued");
        a.resign();
        Leadership termB = tck.awaitDone(campaignB, "b, the next in line, elected after a resigned");
        assertThat(campaignC).as("c's campaign after a resigned").isNotDone();
        assertThat(termB.fencingToken()).isGreaterThan(termA.fencingToken());
        termB.close();
        Leadership termC = tck.awaitDone(campaignC, "c elected after b resigned");
        assertThat(termC.fencingToken()).as("token of the third term").isGreaterThan(termB.fencingToken());
        CompletableFuture<Leadership> campaignA = a.campaignAsync();
        tck.awaitKeyCount(2, "a's new campaign queued behind c");
        assertThat(campaignA).as("a's new campaign while c leads").isNotDone();
        termC.close();
        Leadership again = tck.awaitDone(campaignA, "a elected again after c resigned");
        assertThat(again.fencingToken()).as("token of the fourth term").isGreaterThan(termC.fencingToken());
        again.close();
        tck.assertNoKeysLeft("after every candidate resigned");
    }

    /**
     * Election: participants are listed in campaign order, leader first; one that resigns or closes disappears.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void election_participants_are_listed_in_campaign_order_leader_first() throws Exception {
        TckHarness tck = tck();
        String name = tck.name("participants");
        LeaderElection a = tck.newClient("a").coordinator().election(name, "a");
        LeaderElection b = tck.newClient("b").coordinator().election(name, "b");
        LeaderElection c = tck.newClient("c").coordinator().election(name, "c");
        LeaderElection watcher = tck.newClient("watcher").coordinator().election(name, "watcher");
        assertThat(watcher.participants())
                .as("participants before anyone campaigned")
                .isEmpty();
        Leadership termA = a.campaign(tck.awaitTimeout());
        CompletableFuture<Leadership> campaignC = c.campaignAsync();
        tck.awaitKeyCount(2, "c's campaign queued");
        CompletableFuture<Leadership> campaignB = b.campaignAsync();
        tck.awaitKeyCount(3, "b's campaign queued");

        List<Participant> all =
                List.of(new Participant("a", true), new Participant("c", false), new Participant("b", false));
        for (LeaderElection e : List.of(a, b, c, watcher)) {
            assertThat(e.participants())
                    .as("participants seen by %s", e.candidateId())
                    .isEqualTo(all);
        }
        tck.assertKeyCount(3, "after a candidate that never campaigned read the participants");
        List<Participant> read = watcher.participants();
        assertThatThrownBy(() -> read.remove(0)).isInstanceOf(UnsupportedOperationException.class);

        c.resign();
        tck.await("c to disappear once it withdrew its campaign").until(() -> watcher.participants()
                .equals(List.of(new Participant("a", true), new Participant("b", false))));
        a.close();
        assertThat(termA.isValid()).isFalse();
        Leadership termB = tck.awaitDone(campaignB, "b elected after the leader's election was closed");
        tck.await("the closed leader to disappear")
                .until(() -> watcher.participants().equals(List.of(new Participant("b", true))));
        assertThat(watcher.leader().map(LeaderInfo::candidateId))
                .as("the leader, first of the list")
                .hasValue("b");
        termB.close();
        tck.await("nobody listed once the last candidate resigned")
                .until(() -> watcher.participants().isEmpty());
        watcher.close();
        assertThatThrownBy(watcher::participants)
                .as("participants of a closed election")
                .isInstanceOf(IllegalStateException.class);
        tck.assertNoKeysLeft("after every candidate resigned");
    }

    /**
     * Election: proclaim after resign throws lock lost exception.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void election_proclaim_after_resign_throws_lock_lost_exception() throws Exception {
        TckHarness tck = tck();
        LeaderElection a = tck.newClient("a").coordinator().election(tck.name("proclaim"), "a");
        Leadership term = a.campaign(tck.awaitTimeout());
        term.proclaim("before");
        a.resign();
        assertThatThrownBy(() -> term.proclaim("after")).isInstanceOf(LockLostException.class);
        tck.assertNoKeysLeft("after resign");
    }

    /**
     * Election: listener gets elected then revoked for each term.
     *
     * @throws Exception if the backend breaks the rule or fails
     */
    @Test
    default void election_listener_gets_elected_then_revoked_for_each_term() throws Exception {
        TckHarness tck = tck();
        LeaderElection a = tck.newClient("a").coordinator().election(tck.name("listener"), "a");
        List<String> events = new CopyOnWriteArrayList<>();
        a.listen(new ElectionListener() {
            @Override
            public void onElected(Leadership leadership) {
                events.add("elected:" + leadership.fencingToken());
            }

            @Override
            public void onRevoked(Leadership leadership, LossReason reason) {
                events.add("revoked:" + leadership.fencingToken() + ":" + reason);
            }
        });
        Leadership first = a.campaign(tck.awaitTimeout());
        tck.await("onElected of the first term").until(() -> events.size() == 1);
        a.resign();
        tck.await("onRevoked of the first term").until(() -> events.size() == 2);
        Leadership second = a.campaign(tck.awaitTimeout());
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        second.close();
        tck.await("onRevoked of the second term").until(() -> events.size() == 4);
        assertThat(events)
                .containsExactly(
                        "elected:" + first.fencingToken(),
                        "revoked:" + first.fencingToken() + ":" + LossReason.RELEASED,
                        "elected:" + second.fencingToken(),
                        "revoked:" + second.fencingToken() + ":" + LossReason.RELEASED);
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
