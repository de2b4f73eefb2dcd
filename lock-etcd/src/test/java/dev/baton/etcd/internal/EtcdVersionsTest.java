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
package dev.baton.etcd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which etcd versions let a stalled former leader revoke leases without checking that it still leads. */
class EtcdVersionsTest {
    @Test
    void releases_before_3_4_31_and_3_5_13_are_affected() {
        assertThat(EtcdVersions.revokesFromStaleLeader("3.3.27")).isTrue();
        assertThat(EtcdVersions.revokesFromStaleLeader("3.4.23")).isTrue();
        assertThat(EtcdVersions.revokesFromStaleLeader("3.4.30")).isTrue();
        assertThat(EtcdVersions.revokesFromStaleLeader("3.5.0")).isTrue();
        assertThat(EtcdVersions.revokesFromStaleLeader("3.5.12")).isTrue();
    }

    @Test
    void releases_with_the_leadership_check_are_not() {
        assertThat(EtcdVersions.revokesFromStaleLeader("3.4.31")).isFalse();
        assertThat(EtcdVersions.revokesFromStaleLeader("3.5.13")).isFalse();
        assertThat(EtcdVersions.revokesFromStaleLeader("3.5.16")).isFalse();
        assertThat(EtcdVersions.revokesFromStaleLeader("3.6.0")).isFalse();
    }

    @Test
    void unparseable_versions_are_not_reported() {
        assertThat(EtcdVersions.revokesFromStaleLeader(null)).isFalse();
        assertThat(EtcdVersions.revokesFromStaleLeader("")).isFalse();
        assertThat(EtcdVersions.revokesFromStaleLeader("3.5")).isFalse();
        assertThat(EtcdVersions.revokesFromStaleLeader("v3.x.y")).isFalse();
    }
}
