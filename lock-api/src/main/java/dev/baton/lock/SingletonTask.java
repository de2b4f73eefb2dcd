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
package dev.baton.lock;

/**
 * Work that must run on exactly one process of a fleet at a time: see {@link Coordinator#singleton(String, String,
 * SingletonTask)}.
 *
 * <p>The task runs on a thread of its own while its candidate leads. When leadership is lost the thread is
 * interrupted: the task must stop promptly when interrupted, and should pass {@link Leadership#fencingToken()} to
 * every resource it writes, because an interrupt cannot stop a process that is paused.
 */
@FunctionalInterface
public interface SingletonTask {
    /**
     * Runs the task for one term. Returning ends the task's part of the term: by default the runner keeps the term,
     * idle, until it is lost or the runner closed (see {@link SingletonOptions.WhenTaskReturns}).
     *
     * @param leadership the current term; closing it resigns, and the runner then stops campaigning
     * @throws Exception any failure while the term is held: it is logged at WARN (with its stack trace the first time
     *     in a row, in one line afterwards), the term is resigned, and the runner waits {@link
     *     SingletonOptions#failureBackoff()}, doubled after each failure in a row, before campaigning again
     */
    void run(Leadership leadership) throws Exception;
}
