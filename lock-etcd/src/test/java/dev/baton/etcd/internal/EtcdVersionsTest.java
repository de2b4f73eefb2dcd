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
