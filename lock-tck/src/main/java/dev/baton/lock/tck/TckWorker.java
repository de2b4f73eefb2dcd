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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A thread started by {@link TckHarness#startWorker(String, java.util.concurrent.Callable)}, and what it returned or
 * threw. The harness interrupts and joins it when the test ends.
 *
 * <p>Threadsafe.
 *
 * @param <T> what the worker's body returns
 */
public final class TckWorker<T> {
    private final Thread thread;
    private final CompletableFuture<T> result;

    TckWorker(Thread thread, CompletableFuture<T> result) {
        this.thread = thread;
        this.result = result;
    }

    /**
     * Returns the worker's thread, for a test that interrupts it or looks at its state.
     *
     * @return the thread
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Returns the outcome of the worker's body: completed with its value, or exceptionally with what it threw.
     *
     * @return the outcome, not done while the body runs
     */
    public CompletableFuture<T> result() {
        return result;
    }

    /**
     * Waits for the body's value.
     *
     * @param timeout how long to wait
     * @return what the body returned
     * @throws Exception what the body threw, as it threw it
     * @throws AssertionError if the body did not finish within {@code timeout}, with the worker's stack trace
     */
    public T get(Duration timeout) throws Exception {
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        } catch (TimeoutException e) {
            AssertionError stuck = new AssertionError(thread.getName() + " did not finish within " + timeout);
            stuck.setStackTrace(thread.getStackTrace());
            throw stuck;
        }
    }

    /**
     * Returns what the finished body threw.
     *
     * @return the exception, or null if the body returned normally
     * @throws AssertionError if the body still runs
     */
    public Throwable failure() {
        return TckHarness.failureOf(result);
    }
}
