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
package dev.baton.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The jar is a named module that lets users reach the API and the SPI, and nothing else (issue 12). */
class ModuleTest {
    @Test
    void module_exports_only_the_api_and_the_spi() {
        Module module = Coordinator.class.getModule();
        assertThat(module.isNamed())
                .as("the API's module (the tests run on the module path)")
                .isTrue();
        assertThat(module.getName()).isEqualTo("dev.baton.lock");
        assertThat(module.getDescriptor().exports().stream()
                        .filter(e -> !e.isQualified())
                        .map(ModuleDescriptor.Exports::source)
                        .collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("dev.baton.lock", "dev.baton.lock.spi");
        assertThat(module.getDescriptor().packages()).contains("dev.baton.lock.internal");
    }
}
