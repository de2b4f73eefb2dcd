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

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the etcd cluster and the ZooKeeper ensemble share: three member processes on 127.0.0.1, each with a client
 * port, that the nemesis kills, restarts, stops and continues by signal, and whose data lives under one root directory
 * that {@link #close()} deletes.
 */
abstract class ThreeMemberEnsemble implements Servers {
    /** Each member's client port, chosen by the subclass's constructor. */
    protected final int[] clientPorts = new int[3];

    /** Each member's process, set by {@link #launch(int)}. */
    protected final Process[] processes = new Process[3];

    /** The directory that holds every member's data (and nothing else). */
    protected final Path root;

    ThreeMemberEnsemble(Path root) {
        this.root = root;
    }

    /** Starts member {@code i} (again, on its data after a kill) and stores its process in {@link #processes}. */
    protected abstract void launch(int i);

    /** Whether member {@code i} answers its client port now. */
    protected abstract boolean answers(int i);

    /** Whether the ensemble as a whole serves, once every member answers (a leader is known, a read goes through). */
    protected abstract boolean serving();

    @Override
    public final int size() {
        return 3;
    }

    @Override
    public final String clientAddress(int member) {
        return "127.0.0.1:" + clientPorts[member];
    }

    @Override
    public final boolean membersRestartable() {
        return true;
    }

    @Override
    public final void kill(int member) {
        Processes.kill(processes[member]);
    }

    @Override
    public final void restart(int member) {
        launch(member);
    }

    @Override
    public final void pause(int member) {
        Processes.signal(processes[member], "STOP");
    }

    @Override
    public final void resume(int member) {
        Processes.signal(processes[member], "CONT");
    }

    @Override
    public final boolean awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int i = 0; i < 3 && all; i++) {
                all = processes[i].isAlive() && answers(i);
            }
            if (all && serving()) {
                return true;
            }
            EtcdServers.pauseBriefly();
        }
        return false;
    }

    @Override
    public final void close() {
        for (Process p : processes) {
            if (p != null) {
                Processes.kill(p);
            }
        }
        Processes.deleteTree(root.toFile());
    }
}
