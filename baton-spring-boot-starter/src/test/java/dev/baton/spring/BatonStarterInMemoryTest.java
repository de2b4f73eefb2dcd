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

import java.util.Map;

/** The starter's contract on the in-memory backend: each test's applications share an in-memory cluster. */
class BatonStarterInMemoryTest extends StarterContract {
    @Override
    protected Map<String, Object> connection() {
        return Map.of("baton.uri", "inmemory:" + unique);
    }
}
