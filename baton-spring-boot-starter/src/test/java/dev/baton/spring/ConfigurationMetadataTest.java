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
package dev.baton.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata that IDEs complete {@code baton.*} properties from lists every property of {@link
 * BatonProperties}, each with a description.
 */
class ConfigurationMetadataTest {
    @Test
    void metadata_lists_every_property_with_a_description() throws Exception {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in)
                    .as("META-INF/spring-configuration-metadata.json on the class path")
                    .isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> listed = JsonPath.read(json, "$.properties[*].name");
        Set<String> expected = new TreeSet<>();
        collect("baton", BatonProperties.class, expected);
        assertThat(expected).contains("baton.uri", "baton.password", "baton.leader.role");
        assertThat(new TreeSet<>(listed)).isEqualTo(expected);
        List<String> undocumented = JsonPath.read(json, "$.properties[?(!@.description)].name");
        assertThat(undocumented).as("properties without a description").isEmpty();
    }

    /** The bindable properties of {@code type}: those with a setter, and the nested groups of those without. */
    private static void collect(String prefix, Class<?> type, Set<String> into) throws Exception {
        for (PropertyDescriptor d : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
            String name = prefix + "." + kebab(d.getName());
            if (d.getWriteMethod() != null) {
                into.add(name);
            } else if (d.getReadMethod() != null && d.getPropertyType().getEnclosingClass() == BatonProperties.class) {
                collect(name, d.getPropertyType(), into);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
