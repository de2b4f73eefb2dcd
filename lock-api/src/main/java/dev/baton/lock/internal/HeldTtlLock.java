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
package dev.baton.lock.internal;

import dev.baton.lock.LossReason;
import java.util.function.BiConsumer;

/**
 * A TTL lock's handle: on a lease of its own that is never renewed, so it is held at most its TTL on the server and
 * turns invalid a safety margin earlier here.
 */
final class HeldTtlLock extends OwnLeaseLock {
    HeldTtlLock(Services services, String name, Grant grant, BiConsumer<HeldLock, LossReason> onEnd) {
        super(services, name, grant, onEnd);
    }

    @Override
    String kind() {
        return "FIXED_TTL";
    }
}
