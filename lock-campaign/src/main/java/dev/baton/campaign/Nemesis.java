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
package dev.baton.campaign;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The seeded fault schedule. One fault at a time, then a quiet spell: which fault, how long, and the quiet spells come
 * from the seed; which client is the holder at that moment comes from the run (the holder is preferred when the fenced
 * resource saw it write within the last 200 ms). So a seed replays the same schedule of faults, while the interleaving
 * of real processes around it differs from run to run.
 */
final class Nemesis {
    /** The kinds of fault. */
    enum Kind {
        CLIENT_KILL,
        CLIENT_PAUSE_SHORT,
        CLIENT_PAUSE_LONG,
        CLIENT_CUT,
        MEMBER_KILL,
        LEADER_PAUSE,
        ENSEMBLE_PAUSE
    }

    /** One fault as applied: its kind, its target, and when it began and was undone, on the orchestrator's clock. */
    record Fault(Kind kind, String target, long startNanos, long endNanos) {
        boolean serverSide() {
            return kind == Kind.MEMBER_KILL || kind == Kind.LEADER_PAUSE || kind == Kind.ENSEMBLE_PAUSE;
        }
    }

    private final Random random;
    private final Servers servers;
    private final List<ClientProcess> clients;
    private final FencedResource resource;
    private final Duration ttl;
    private final Duration quietMin;
    private final Duration quietMax;
    private final List<Fault> faults = new ArrayList<>();

    Nemesis(
            long seed,
            Servers servers,
            List<ClientProcess> clients,
            FencedResource resource,
            Duration ttl,
            Duration quietMin,
            Duration quietMax) {
        this.random = new Random(seed);
        this.servers = servers;
        this.clients = clients;
        this.resource = resource;
        this.ttl = ttl;
        this.quietMin = quietMin;
        this.quietMax = quietMax;
    }

    /** Applies faults until {@code endNanos}; every fault is undone before it returns. */
    void run(long endNanos) throws InterruptedException {
        while (System.nanoTime() < endNanos) {
            Thread.sleep(between(quietMin.toMillis(), quietMax.toMillis()));
            if (System.nanoTime() >= endNanos) {
                break;
            }
            apply(pick());
        }
    }

    List<Fault> faults() {
        return List.copyOf(faults);
    }

    private Kind pick() {
        List<Kind> kinds = new ArrayList<>();
        // weights: client faults twice as often as server faults, holders above all (see target())
        for (int i = 0; i < 2; i++) {
            kinds.addAll(List.of(Kind.CLIENT_KILL, Kind.CLIENT_PAUSE_SHORT, Kind.CLIENT_PAUSE_LONG, Kind.CLIENT_CUT));
        }
        if (servers.membersRestartable()) {
            kinds.add(Kind.MEMBER_KILL);
            kinds.add(Kind.LEADER_PAUSE);
            kinds.add(Kind.LEADER_PAUSE);
        }
        kinds.add(Kind.ENSEMBLE_PAUSE);
        return kinds.get(random.nextInt(kinds.size()));
    }

    private void apply(Kind kind) throws InterruptedException {
        // Draw every number from the seed before looking at the run, so that the schedule does not depend on it.
        long ttlMillis = ttl.toMillis();
        boolean preferHolder = random.nextInt(10) < 7;
        int anyClient = random.nextInt(clients.size());
        int anyMember = random.nextInt(servers.size());
        double fraction = random.nextDouble();
        boolean reset = random.nextInt(5) == 0;
        long start = System.nanoTime();
        String target;
        switch (kind) {
            case CLIENT_KILL: {
                ClientProcess c = target(preferHolder, anyClient);
                target = c.name();
                c.kill();
                long end = System.nanoTime();
                Thread.sleep(200 + (long) (fraction * 800));
                c.start();
                faults.add(new Fault(kind, target, start, end));
                return;
            }
            case CLIENT_PAUSE_SHORT:
            case CLIENT_PAUSE_LONG: {
                ClientProcess c = target(preferHolder, anyClient);
                target = c.name();
                long millis = kind == Kind.CLIENT_PAUSE_SHORT
                        ? (long) (ttlMillis * (0.1 + 0.7 * fraction))
                        : (long) (ttlMillis * (1.2 + 1.3 * fraction));
                c.pause();
                Thread.sleep(millis);
                c.resume();
                break;
            }
            case CLIENT_CUT: {
                ClientProcess c = target(preferHolder, anyClient);
                target = c.name() + (reset ? " (reset)" : " (blackhole)");
                c.cut(reset);
                Thread.sleep((long) (ttlMillis * (0.3 + 1.7 * fraction)));
                c.heal();
                break;
            }
            case MEMBER_KILL: {
                target = "member " + anyMember;
                servers.kill(anyMember);
                Thread.sleep(1000 + (long) (fraction * 3000));
                servers.restart(anyMember);
                break;
            }
            case LEADER_PAUSE: {
                int leader = servers.leader();
                int member = leader >= 0 ? leader : anyMember;
                target = (leader >= 0 ? "leader " : "member ") + member;
                servers.pause(member);
                Thread.sleep(1000 + (long) (fraction * 5000));
                servers.resume(member);
                break;
            }
            case ENSEMBLE_PAUSE: {
                target = "all " + servers.size() + " members";
                for (int m = 0; m < servers.size(); m++) {
                    servers.pause(m);
                }
                Thread.sleep(500 + (long) (fraction * 3500));
                for (int m = 0; m < servers.size(); m++) {
                    servers.resume(m);
                }
                break;
            }
            default:
                throw new IllegalStateException("unknown fault " + kind);
        }
        long end = System.nanoTime();
        faults.add(new Fault(kind, target, start, end));
        if (kind == Kind.MEMBER_KILL && !servers.awaitHealthy(Duration.ofSeconds(30))) {
            System.err.println("warning: the " + servers.backend() + " members were not all healthy 30 s after "
                    + "restarting member " + target);
        }
    }

    private ClientProcess target(boolean preferHolder, int anyClient) {
        if (preferHolder) {
            String holder = resource.recentWriter(Duration.ofMillis(200).toNanos());
            for (ClientProcess c : clients) {
                if (holder != null && holder.equals(c.name()) && c.alive()) {
                    return c;
                }
            }
        }
        return clients.get(anyClient);
    }

    private long between(long min, long max) {
        return min + (max > min ? (long) (random.nextDouble() * (max - min)) : 0);
    }
}
