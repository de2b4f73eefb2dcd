package dev.baton.lock.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.TestAbortedException;

@Timeout(10)
class RequiredBackendsTest {
    @Test
    void a_required_backend_that_is_unavailable_fails_the_test() {
        RequiredBackends policy = RequiredBackends.parse(" etcd , ZooKeeper,");
        assertThat(policy.isRequired("etcd")).isTrue();
        assertThat(policy.isRequired("zookeeper")).isTrue();
        assertThatThrownBy(() -> policy.unavailable("etcd", "no etcd on the PATH"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("etcd server unavailable: no etcd on the PATH")
                .hasMessageContaining("BATON_REQUIRE_BACKENDS requires etcd");
    }

    @Test
    void an_unrequired_backend_that_is_unavailable_is_skipped_with_the_reason() {
        RequiredBackends policy = RequiredBackends.parse("etcd");
        assertThat(policy.isRequired("consul")).isFalse();
        assertThatThrownBy(() -> policy.unavailable("consul", "CONSUL_HTTP_ADDR unset"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("consul server unavailable: CONSUL_HTTP_ADDR unset");
    }

    @Test
    void an_empty_or_missing_list_requires_nothing() {
        assertThat(RequiredBackends.parse(null).isRequired("etcd")).isFalse();
        assertThat(RequiredBackends.parse("  ").isRequired("etcd")).isFalse();
    }
}
