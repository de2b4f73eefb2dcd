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

import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Collects the events of a watch. */
final class EventLog implements WatchListener {
    final List<WatchEvent> events = new CopyOnWriteArrayList<>();
    final AtomicReference<String> reset = new AtomicReference<>();

    @Override
    public void onEvent(WatchEvent event) {
        events.add(event);
    }

    @Override
    public void onReset(String why) {
        reset.compareAndSet(null, why);
    }

    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (WatchEvent event : events) {
            out.add(event.type() + " " + event.key());
        }
        return out;
    }

    /** Whether the events delivered, described as {@link #describe()} does, appear in {@code expected} in order. */
    boolean subsequenceOf(List<String> expected) {
        int at = 0;
        for (String event : describe()) {
            while (at < expected.size() && !expected.get(at).equals(event)) {
                at++;
            }
            if (at == expected.size()) {
                return false;
            }
            at++;
        }
        return true;
    }

    boolean revisionsIncrease(long after) {
        long last = after;
        for (WatchEvent event : events) {
            if (event.revision() <= last) {
                return false;
            }
            last = event.revision();
        }
        return true;
    }
}
