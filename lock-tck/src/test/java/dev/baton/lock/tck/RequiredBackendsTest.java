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
