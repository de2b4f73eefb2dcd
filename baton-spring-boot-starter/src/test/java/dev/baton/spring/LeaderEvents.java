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

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;

/** Records the leadership events an application context publishes, in order. Threadsafe. */
class LeaderEvents {
    private final List<OnGrantedEvent> granted = new CopyOnWriteArrayList<>();
    private final List<OnRevokedEvent> revoked = new CopyOnWriteArrayList<>();

    @EventListener
    void onGranted(OnGrantedEvent event) {
        granted.add(event);
    }

    @EventListener
    void onRevoked(OnRevokedEvent event) {
        revoked.add(event);
    }

    List<OnGrantedEvent> granted() {
        return granted;
    }

    List<OnRevokedEvent> revoked() {
        return revoked;
    }
}
