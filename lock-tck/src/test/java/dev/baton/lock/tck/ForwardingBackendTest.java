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

import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A decorator passes the combined create-and-list on in one call only when it changes neither of its parts; otherwise
 * its own create or list must run, or a fault it injects there would be bypassed.
 */
class ForwardingBackendTest {
    private final List<String> delegateCalls = new CopyOnWriteArrayList<>();

    private final CoordinationBackend delegate = (CoordinationBackend) Proxy.newProxyInstance(
            CoordinationBackend.class.getClassLoader(), new Class<?>[] {CoordinationBackend.class}, (p, m, args) -> {
                delegateCalls.add(m.getName());
                switch (m.getName()) {
                    case "createIfAbsent":
                        return Optional.of(new Entry((String) args[0], (byte[]) args[1], 7, 7, (Long) args[2]));
                    case "list":
                        return new Listing(List.of(), 7);
                    case "createIfAbsentAndList":
                        return Optional.of(new Listing(List.of(), 7));
                    default:
                        return null;
                }
            });

    @Test
    void a_decorator_that_changes_neither_part_passes_the_combined_call_on() {
        ForwardingBackend plain = new ForwardingBackend(delegate) {};

        assertThat(plain.createIfAbsentAndList("q/a", new byte[0], 1, "q")).isPresent();

        assertThat(delegateCalls).containsExactly("createIfAbsentAndList");
    }

    @Test
    void a_decorator_that_changes_the_create_makes_both_calls_through_itself() {
        List<String> ownCalls = new CopyOnWriteArrayList<>();
        ForwardingBackend changed = new ForwardingBackend(delegate) {
            @Override
            public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
                ownCalls.add("createIfAbsent");
                return super.createIfAbsent(key, value, leaseId);
            }
        };

        assertThat(changed.createIfAbsentAndList("q/a", new byte[0], 1, "q")).isPresent();

        assertThat(ownCalls).containsExactly("createIfAbsent");
        assertThat(delegateCalls).containsExactly("createIfAbsent", "list");
    }

    @Test
    void a_decorator_that_changes_the_listing_makes_both_calls_through_itself() {
        ForwardingBackend changed = new ForwardingBackend(delegate) {
            @Override
            public Listing list(String prefix) {
                return new Listing(List.of(), 42);
            }
        };

        Optional<Listing> listing = changed.createIfAbsentAndList("q/a", new byte[0], 1, "q");

        assertThat(listing).map(Listing::revision).contains(42L);
        assertThat(delegateCalls).containsExactly("createIfAbsent");
    }
}
