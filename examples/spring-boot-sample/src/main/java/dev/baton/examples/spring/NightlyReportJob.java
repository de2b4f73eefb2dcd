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
package dev.baton.examples.spring;

import dev.baton.shedlock.BatonLockProvider;
import dev.baton.shedlock.BatonSimpleLock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.javacrumbs.shedlock.core.LockAssert;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job that must run on one instance at a time, under ShedLock's {@code @SchedulerLock}: the starter's
 * {@link BatonLockProvider} takes the Baton TTL lock {@code reports/nightly} for each run ({@code lockAtMostFor} is
 * its TTL, {@code lockAtLeastFor} its minimum hold), and ShedLock skips the run when another instance holds it. The
 * run reads the lock's fencing token from the provider and passes it to what it writes. Threadsafe.
 */
@Component
public class NightlyReportJob {
    /** The job's lock name. */
    public static final String LOCK = "reports/nightly";

    private static final Logger log = LoggerFactory.getLogger(NightlyReportJob.class);

    private final BatonLockProvider locks;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicLong lastToken = new AtomicLong();

    /**
     * Creates the job.
     *
     * @param locks the starter's ShedLock provider
     */
    public NightlyReportJob(BatonLockProvider locks) {
        this.locks = locks;
    }

    /** One run, every {@code sample.job.interval} (default 1 s), on the instance that holds the lock. */
    @Scheduled(fixedDelayString = "${sample.job.interval:1s}")
    @SchedulerLock(name = LOCK, lockAtMostFor = "PT30S", lockAtLeastFor = "PT0.5S")
    public void run() {
        LockAssert.assertLocked();
        long token = locks.heldLock(LOCK)
                .map(BatonSimpleLock::fencingToken)
                .orElseThrow(() -> new IllegalStateException(LOCK + " is not held by this instance"));
        lastToken.set(token);
        runs.incrementAndGet();
        log.info("nightly report written with fencing token {}", token);
    }

    /**
     * Returns how many runs held the lock.
     *
     * @return the count
     */
    public int runs() {
        return runs.get();
    }

    /**
     * Returns the fencing token of the last run.
     *
     * @return the token, 0 before the first
     */
    public long lastToken() {
        return lastToken.get();
    }
}
