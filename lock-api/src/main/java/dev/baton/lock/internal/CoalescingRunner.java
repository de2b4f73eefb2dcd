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
package dev.baton.lock.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an idempotent task on an executor, never twice at once: requests made while it runs are coalesced into one
 * more run. This keeps a watch that delivers an event while it is being registered (or a direct executor that runs
 * the task inline) from re-entering the task.
 */
final class CoalescingRunner {
    private final Executor executor;
    private final Runnable task;
    private final AtomicInteger wip = new AtomicInteger();

    CoalescingRunner(Executor executor, Runnable task) {
        this.executor = executor;
        this.task = task;
    }

    void request() {
        if (wip.getAndIncrement() == 0) {
            executor.execute(this::drain);
        }
    }

    /**
     * Runs the task on the calling thread if it is not running; otherwise coalesces, like {@link #request()}. The
     * caller then also runs any runs requested meanwhile.
     */
    void runHere() {
        if (wip.getAndIncrement() == 0) {
            drain();
        }
    }

    private void drain() {
        int missed = 1;
        do {
            task.run();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
