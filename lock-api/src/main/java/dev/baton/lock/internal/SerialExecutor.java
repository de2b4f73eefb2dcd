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

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs user callbacks one at a time, in submission order, on an underlying executor, so that listeners see events in
 * the order they happened whatever executor the user supplied. A callback that throws is logged and skipped.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor delegate;
    private final Object lock = new Object();

    @GuardedBy("lock")
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();

    @GuardedBy("lock")
    private final List<Runnable> whenIdle = new ArrayList<>();

    @GuardedBy("lock")
    private boolean running;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (lock) {
            queue.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            delegate.execute(this::drain);
        } catch (RuntimeException rejected) {
            List<Runnable> idleActions;
            synchronized (lock) {
                running = false;
                queue.clear();
                idleActions = List.copyOf(whenIdle);
                whenIdle.clear();
            }
            idleActions.forEach(Runnable::run);
            log.warn("callback executor rejected a callback; dropping queued callbacks", rejected);
        }
    }

    /**
     * Runs {@code action} once every callback queued so far has run, and every callback those queued in turn: at once,
     * on the calling thread, when nothing is queued or running; otherwise on the thread that ran the last one.
     */
    void whenIdle(Runnable action) {
        synchronized (lock) {
            if (running) {
                whenIdle.add(action);
                return;
            }
        }
        action.run();
    }

    private void drain() {
        while (true) {
            Runnable next;
            List<Runnable> idleActions = List.of();
            synchronized (lock) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    if (!whenIdle.isEmpty()) {
                        idleActions = List.copyOf(whenIdle);
                        whenIdle.clear();
                    }
                }
            }
            if (next == null) {
                for (Runnable action : idleActions) {
                    try {
                        action.run();
                    } catch (RuntimeException | Error e) {
                        log.warn("an action after Baton's callbacks threw; ignoring it", e);
                    }
                }
                return;
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                log.warn("a Baton listener threw; ignoring it", e);
            }
        }
    }
}
