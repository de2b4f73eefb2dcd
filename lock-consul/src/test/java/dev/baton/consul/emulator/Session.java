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

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/** One session, as Consul's {@code structs.Session}, with its TTL timer. Mutable; guarded by the emulator's monitor. */
final class Session {
    String id;
    String name;
    String node;
    List<String> nodeChecks = List.of();
    List<String> legacyChecks = List.of();
    List<String> serviceChecks = List.of();
    String behavior;
    Duration lockDelay;
    Duration ttl;
    String ttlText = "";
    long createIndex;
    long modifyIndex;
    ScheduledFuture<?> timer;

    /** A copy without the timer (for a snapshot). */
    Session copy() {
        Session c = new Session();
        c.id = id;
        c.name = name;
        c.node = node;
        c.nodeChecks = nodeChecks;
        c.legacyChecks = legacyChecks;
        c.serviceChecks = serviceChecks;
        c.behavior = behavior;
        c.lockDelay = lockDelay;
        c.ttl = ttl;
        c.ttlText = ttlText;
        c.createIndex = createIndex;
        c.modifyIndex = modifyIndex;
        return c;
    }

    /** Every check the session is tied to: {@code NodeChecks}, {@code ServiceChecks} and the deprecated {@code Checks}. */
    List<String> checks() {
        List<String> all = new ArrayList<>(nodeChecks);
        all.addAll(serviceChecks);
        legacyChecks.stream().filter(c -> !all.contains(c)).forEach(all::add);
        return all;
    }

    private static JsonArray array(List<String> ids) {
        JsonArray a = new JsonArray();
        ids.forEach(a::add);
        return a;
    }

    JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("ID", id);
        o.addProperty("Name", name);
        o.addProperty("Node", node);
        o.addProperty("LockDelay", lockDelay.toNanos());
        o.addProperty("Behavior", behavior);
        o.addProperty("TTL", ttlText);
        o.add("NodeChecks", array(nodeChecks));
        o.add("ServiceChecks", array(serviceChecks));
        o.add("Checks", array(legacyChecks));
        o.addProperty("CreateIndex", createIndex);
        o.addProperty("ModifyIndex", modifyIndex);
        return o;
    }
}
