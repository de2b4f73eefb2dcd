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
package dev.baton.etcd;

import dev.baton.lock.tck.CoordinatorConformanceSuite;
import dev.baton.lock.tck.TckEnvironment;
import dev.baton.lock.tck.TckTimeouts;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole conformance kit against a local 3-member etcd cluster (or the cluster {@code ETCD_ENDPOINTS} names), each
 * client spreading its requests over all three members.
 */
class EtcdThreeNodeConformanceIT extends CoordinatorConformanceSuite {
    private static EtcdConformance etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdConformance.start(3);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected TckEnvironment newEnvironment() {
        return etcd.newEnvironment();
    }

    /**
     * Half the session TTL (the default) plus one election timeout (the fixture's 500 ms, or etcd's default 1 s for
     * an outside cluster). On a 3-member cluster a leader change, which a loaded host can cause at a short election
     * timeout, makes the new leader extend every lease by its
     * election timeout (etcd resets lease expiry on promotion, etcd issue 9395), on top of the lessor's 500 ms expiry
     * scan that the default slack already covers.
     */
    @Override
    protected Duration livenessSlack() {
        return TckTimeouts.scaled(environment().sessionTtl().dividedBy(2).plus(etcd.electionTimeout));
    }
}
