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
package dev.baton.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The subjects that the two-client benchmarks ({@link ContentionBenchmark}, {@link ManyLocksBenchmark}) compare: one
 * parameter, declared once so that both run over the same list. JMH reads {@link Param} fields of a state's
 * superclasses that are states of the same scope.
 */
@State(Scope.Benchmark)
public abstract class TwoClientSubjects {
    /** Clients the threads are spread over. */
    static final int CLIENTS = 2;

    /** The subject; see {@link Subjects}. */
    @Param({
        "baton-inmemory",
        "reentrantlock",
        "reentrantlock-fair",
        "baton-etcd",
        "jetcd-lock",
        "baton-zookeeper",
        "curator-mutex"
    })
    public String subject;

    /** Opens {@link #subject} with {@link #CLIENTS} clients; called from the subclass's trial setup. */
    LockSubject openSubject() {
        return Subjects.open(subject, CLIENTS);
    }
}
