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
package dev.baton.consul.emulator;

import com.google.gson.JsonObject;
import java.util.Base64;

/** One stored key, as Consul's {@code structs.DirEntry}. Mutable; guarded by the emulator's monitor. */
final class Kv {
    final String key;
    final byte[] value;
    final long flags;
    long createIndex;
    long modifyIndex;
    long lockIndex;
    String session;

    Kv(String key, byte[] value, long flags) {
        this.key = key;
        this.value = value;
        this.flags = flags;
    }

    Kv copy() {
        Kv c = new Kv(key, value, flags);
        c.createIndex = createIndex;
        c.modifyIndex = modifyIndex;
        c.lockIndex = lockIndex;
        c.session = session;
        return c;
    }

    JsonObject json(boolean withValue) {
        JsonObject o = new JsonObject();
        o.addProperty("LockIndex", lockIndex);
        o.addProperty("Key", key);
        o.addProperty("Flags", flags);
        if (withValue && value.length > 0) {
            o.addProperty("Value", Base64.getEncoder().encodeToString(value));
        } else {
            o.add("Value", null);
        }
        if (session != null) {
            o.addProperty("Session", session);
        }
        o.addProperty("CreateIndex", createIndex);
        o.addProperty("ModifyIndex", modifyIndex);
        return o;
    }
}
