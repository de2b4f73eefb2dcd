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

import dev.baton.spring.BatonLeaderContext;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;
import org.springframework.stereotype.Component;

/**
 * The elected singleton's duties: the starter's {@code BatonLeaderInitiator} (set up by {@code baton.leader.role})
 * publishes Spring Integration's leadership events, and this listener reads the term's fencing token from them.
 * Threadsafe.
 */
@Component
public class LeaderDuties {
    private static final Logger log = LoggerFactory.getLogger(LeaderDuties.class);

    private final AtomicInteger grants = new AtomicInteger();
    private final AtomicLong token = new AtomicLong();

    /**
     * Called when this instance was elected.
     *
     * @param event the event; its context is a {@link BatonLeaderContext}
     */
    @EventListener
    public void granted(OnGrantedEvent event) {
        long termToken = ((BatonLeaderContext) event.getContext()).fencingToken();
        token.set(termToken);
        grants.incrementAndGet();
        log.info("elected {} with fencing token {}", event.getRole(), termToken);
    }

    /**
     * Called when this instance's term ended.
     *
     * @param event the event
     */
    @EventListener
    public void revoked(OnRevokedEvent event) {
        token.set(0);
        log.info("no longer {}", event.getRole());
    }

    /**
     * Returns how many terms this instance was granted.
     *
     * @return the count
     */
    public int grants() {
        return grants.get();
    }

    /**
     * Returns the current term's fencing token.
     *
     * @return the token, 0 while not leading
     */
    public long token() {
        return token.get();
    }
}
