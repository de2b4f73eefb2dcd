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

import dev.baton.spring.BatonLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job that must run on one instance at a time: each run takes the Baton lock {@code reports/nightly}
 * through the starter's {@link LockRegistry}, or skips when another instance holds it, and passes the lock's fencing
 * token to what it writes. Threadsafe.
 */
@Component
public class NightlyReportJob {
    private static final Logger log = LoggerFactory.getLogger(NightlyReportJob.class);

    private final LockRegistry<?> locks;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicLong lastToken = new AtomicLong();

    /**
     * Creates the job.
     *
     * @param locks the starter's lock registry
     */
    public NightlyReportJob(LockRegistry<?> locks) {
        this.locks = locks;
    }

    /**
     * One run, every {@code sample.job.interval} (default 1 s).
     *
     * @throws InterruptedException if the scheduler stops while the run waits for the lock
     */
    @Scheduled(fixedDelayString = "${sample.job.interval:1s}")
    public void run() throws InterruptedException {
        Lock lock = locks.obtain("reports/nightly");
        if (!lock.tryLock(100, TimeUnit.MILLISECONDS)) {
            log.info("reports/nightly runs elsewhere; skipped");
            return;
        }
        try {
            long token = ((BatonLock) lock).fencingToken();
            lastToken.set(token);
            runs.incrementAndGet();
            log.info("nightly report written with fencing token {}", token);
        } finally {
            lock.unlock();
        }
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
     * Returns the fencing token of the last run that held the lock.
     *
     * @return the token, 0 before the first
     */
    public long lastToken() {
        return lastToken.get();
    }
}
