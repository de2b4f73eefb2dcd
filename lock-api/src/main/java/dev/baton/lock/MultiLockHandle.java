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

import java.time.Duration;
import java.util.List;
import java.util.SortedMap;

/**
 * Proof of holding every lock of a {@link DistributedMultiLock}. Losing any one of them is the loss of the whole:
 * the handle turns invalid, the listeners are told once (with the handle of the lock that was lost first), and the
 * other locks are released.
 *
 * <p>Threadsafe. {@link #close()} releases every lock and is idempotent.
 */
public interface MultiLockHandle extends AutoCloseable {
    /**
     * Returns the names of the locks held, in the order they were acquired.
     *
     * @return the names, sorted
     */
    List<String> names();

    /**
     * Returns each lock's fencing token, by name: each is the token of that lock's acquisition, with the rules of
     * {@link LockHandle#fencingToken()} for that name. Pass each resource the token of the lock that protects it.
     *
     * @return the tokens, sorted by name
     */
    SortedMap<String, Long> fencingTokens();

    /**
     * Returns the fencing token of one lock.
     *
     * @param name one of {@link #names()}
     * @return its token
     * @throws IllegalArgumentException if {@code name} is not one of the locks held
     * @throws NullPointerException if {@code name} is null
     */
    long fencingToken(String name);

    /**
     * Tells whether every lock is still held, judged locally as {@link LockHandle#isValid()} does.
     *
     * @return false once released, or once any of the locks was lost
     */
    boolean isValid();

    /**
     * Returns how long every lock stays valid at most without further renewal: the least of their times left.
     *
     * @return the time left, {@link Duration#ZERO} when no longer valid
     */
    Duration remaining();

    /**
     * Registers a listener told once, on the coordinator's callback executor, when the first of the locks is lost for
     * any reason other than this handle's release. Registering after that loss calls it at once.
     *
     * @param listener called with the handle of the lock lost first and why
     * @return a subscription that removes the listener
     * @throws NullPointerException if {@code listener} is null
     */
    Subscription onLost(LossListener listener);

    /** Releases every lock. Idempotent; never throws for an unreachable server. */
    @Override
    void close();
}
