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
package dev.baton.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.lock.Coordinator;
import dev.baton.lock.LockHandle;
import dev.baton.lock.tck.ForwardingBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A release returns after a short wait for its delete and lets the delete go on in the background; a coordinator
 * closed right after must still let that delete reach the backend before it closes the backend. On ZooKeeper, a delete
 * that came after the close left the emptied structure nodes of the lock behind (seen on a busy machine): the
 * backend's close had pruned the tree while the entry was still there.
 */
@Timeout(60)
class ReleaseBeforeCloseTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** Longer than the release's own wait for its first delete (250 ms). */
    private static final long DELETE_STALL_MILLIS = 1_000;

    private final InMemoryCluster cluster = new InMemoryCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Records the order of deletes and the close; the first delete stalls until {@code stall} opens. */
    private static final class SlowDelete extends ForwardingBackend {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch deleting = new CountDownLatch(1);

        SlowDelete(InMemoryBackend delegate) {
            super(delegate);
        }

        @Override
        public boolean compareAndDelete(String key, long expectedVersion) {
            deleting.countDown();
            try {
                Thread.sleep(DELETE_STALL_MILLIS); // a slow server, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                calls.add("delete interrupted");
                throw new IllegalStateException(e);
            }
            boolean deleted = super.compareAndDelete(key, expectedVersion);
            calls.add(deleted ? "delete " + key : "delete missed " + key);
            return deleted;
        }

        @Override
        public void close() {
            calls.add("close");
            super.close();
        }
    }

    @Test
    void a_coordinator_closed_right_after_a_release_lets_the_release_delete_first() throws Exception {
        SlowDelete backend =
                new SlowDelete(InMemoryBackend.builder().cluster(cluster).build());
        Coordinator coordinator = Coordinator.builder(backend)
                .sessionTtl(Duration.ofSeconds(30))
                .closeBackendOnClose(true)
                .build();
        LockHandle held = coordinator.lock("jobs").acquire(PROMPTLY);
        long started = System.nanoTime();
        held.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                .as("the release returned before its delete ended (ms)")
                .isLessThan(DELETE_STALL_MILLIS);
        assertThat(backend.deleting.await(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                .as("the delete started")
                .isTrue();
        coordinator.close();

        assertThat(backend.calls).as("backend calls in order").hasSize(2);
        // The delete may find the entry gone already: the close revokes the session's lease, which takes the entry.
        assertThat(backend.calls.get(0))
                .as("first: the release's delete, run to its end")
                .matches("delete (missed )?locks/jobs/.*");
        assertThat(backend.calls.get(1)).as("then the backend's close").isEqualTo("close");
    }
}
