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
