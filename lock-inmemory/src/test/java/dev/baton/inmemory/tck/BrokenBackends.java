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
package dev.baton.inmemory.tck;

import dev.baton.lock.spi.CoordinationBackend;
import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Listing;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import dev.baton.lock.tck.ForwardingBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backends broken on purpose, each in one way a real backend could be: the conformance kit must fail against every
 * one of them ({@link BrokenBackendsAreCaughtTest}).
 */
final class BrokenBackends {
    private BrokenBackends() {}

    /** compareAndSet ignores the expected version: a stale writer overwrites a newer value. */
    static final class CasIgnoresVersion extends ForwardingBackend {
        CasIgnoresVersion(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
            Optional<Entry> current = delegate().get(key);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            return delegate().compareAndSet(key, current.get().version(), value, leaseId);
        }
    }

    /** Leases never expire: every lease is granted (and renewed) for the longest TTL the server allows. */
    static final class LeasesNeverExpire extends ForwardingBackend {
        LeasesNeverExpire(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public long grantLease(Duration ttl) {
            return delegate().grantLease(delegate().maximumTtl());
        }

        @Override
        public long grantDetachedLease(Duration ttl) {
            return delegate().grantDetachedLease(delegate().maximumTtl());
        }
    }

    /** Leases expire on the server after half their TTL: the server hands a lock over before the holder knows. */
    static final class LeasesExpireEarly extends ForwardingBackend {
        LeasesExpireEarly(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public long grantLease(Duration ttl) {
            return delegate().grantLease(ttl.dividedBy(2));
        }

        @Override
        public long grantDetachedLease(Duration ttl) {
            return delegate().grantDetachedLease(ttl.dividedBy(2));
        }
    }

    /** list returns entries newest first instead of in creation order. */
    static final class ListNewestFirst extends ForwardingBackend {
        ListNewestFirst(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public Listing list(String prefix) {
            Listing listing = delegate().list(prefix);
            List<Entry> reversed = new ArrayList<>(listing.entries());
            Collections.reverse(reversed);
            return new Listing(reversed, listing.revision());
        }
    }

    /** Creation sequences (the fencing tokens) run backwards: every entry reports a sequence below the last. */
    static final class SequenceRunsBackwards extends ForwardingBackend {
        private static final long CEILING = 1_000_000_000L;

        SequenceRunsBackwards(CoordinationBackend delegate) {
            super(delegate);
        }

        private static Entry flip(Entry e) {
            return new Entry(e.key(), e.value(), e.version(), CEILING - e.createSequence(), e.leaseId());
        }

        @Override
        public Optional<Entry> get(String key) {
            return delegate().get(key).map(SequenceRunsBackwards::flip);
        }

        @Override
        public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
            return delegate().createIfAbsent(key, value, leaseId).map(SequenceRunsBackwards::flip);
        }

        @Override
        public Optional<Entry> compareAndSet(String key, long expectedVersion, byte[] value, long leaseId) {
            return delegate()
                    .compareAndSet(key, expectedVersion, value, leaseId)
                    .map(SequenceRunsBackwards::flip);
        }

        @Override
        public Listing list(String prefix) {
            Listing listing = delegate().list(prefix);
            List<Entry> flipped = new ArrayList<>();
            for (Entry e : listing.entries()) {
                flipped.add(flip(e));
            }
            return new Listing(flipped, listing.revision());
        }

        @Override
        public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
            return delegate().watch(keyOrPrefix, prefix, afterRevision, new WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    listener.onEvent(
                            event.entry().isPresent()
                                    ? new WatchEvent(
                                            event.type(),
                                            event.key(),
                                            flip(event.entry().get()),
                                            event.revision())
                                    : event);
                }

                @Override
                public void onReset(String why) {
                    listener.onReset(why);
                }
            });
        }
    }

    /**
     * Listings show a read-write lock's write entries as read entries (their value's mode, after the owner's line, reads
     * {@code read}): every reader then ignores the writers ahead of it, as a recipe whose readers skipped the check
     * would, while writers still wait to be first.
     */
    static final class ListingsHideWriters extends ForwardingBackend {
        private static final Pattern WRITE_MODE = Pattern.compile("\\nwrite$");

        ListingsHideWriters(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public Listing list(String prefix) {
            return rewritten(delegate().list(prefix), WRITE_MODE, m -> "\nread");
        }
    }

    /**
     * Listings show every semaphore entry as taking 1 permit (its value's {@code <permits>/<limit>}, after the owner's
     * line, reads {@code 1/<limit>}): waiters then count the holders ahead of them instead of their permits, as a
     * recipe that forgot an acquisition may take several permits would.
     */
    static final class ListingsCountOnePermit extends ForwardingBackend {
        private static final Pattern COUNTED = Pattern.compile("\\n[0-9]+/([0-9]+)$");

        ListingsCountOnePermit(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public Listing list(String prefix) {
            return rewritten(delegate().list(prefix), COUNTED, m -> "\n1/" + m.group(1));
        }
    }

    /** A listing whose entry values have the match of {@code pattern} replaced by what {@code replacement} makes. */
    private static Listing rewritten(Listing listing, Pattern pattern, Function<Matcher, String> replacement) {
        List<Entry> shown = new ArrayList<>();
        for (Entry e : listing.entries()) {
            String value = new String(e.value(), StandardCharsets.UTF_8);
            Matcher m = pattern.matcher(value);
            if (m.find()) {
                byte[] changed =
                        (value.substring(0, m.start()) + replacement.apply(m)).getBytes(StandardCharsets.UTF_8);
                e = new Entry(e.key(), changed, e.version(), e.createSequence(), e.leaseId());
            }
            shown.add(e);
        }
        return new Listing(shown, listing.revision());
    }

    /** Watches silently drop DELETE events, so nobody learns that a lock was released or expired. */
    static final class WatchesDropDeletes extends ForwardingBackend {
        WatchesDropDeletes(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
            return delegate().watch(keyOrPrefix, prefix, afterRevision, new WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    if (event.type() != WatchEvent.Type.DELETE) {
                        listener.onEvent(event);
                    }
                }

                @Override
                public void onReset(String why) {
                    listener.onReset(why);
                }
            });
        }
    }

    /**
     * Key watches are coarse: they watch the key's parent and reset on any change of a sibling (as a child watch on a
     * parent node would), so every waiter re-checks on every release: a herd, though no rule of correctness breaks.
     */
    static final class KeyWatchesFireOnSiblings extends ForwardingBackend {
        KeyWatchesFireOnSiblings(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
            int slash = keyOrPrefix.lastIndexOf('/');
            if (prefix || slash < 0) {
                return delegate().watch(keyOrPrefix, prefix, afterRevision, listener);
            }
            AtomicBoolean reset = new AtomicBoolean();
            return delegate().watch(keyOrPrefix.substring(0, slash), true, afterRevision, new WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    if (reset.get()) {
                        return;
                    }
                    if (event.key().equals(keyOrPrefix)) {
                        listener.onEvent(event);
                    } else if (reset.compareAndSet(false, true)) {
                        listener.onReset("a sibling of " + keyOrPrefix + " changed");
                    }
                }

                @Override
                public void onReset(String why) {
                    if (reset.compareAndSet(false, true)) {
                        listener.onReset(why);
                    }
                }
            });
        }
    }

    /** compareAndDelete reports success when the version matches, but leaves the key in place. */
    static final class DeleteKeepsKey extends ForwardingBackend {
        DeleteKeepsKey(CoordinationBackend delegate) {
            super(delegate);
        }

        @Override
        public boolean compareAndDelete(String key, long expectedVersion) {
            return delegate().get(key).map(e -> e.version() == expectedVersion).orElse(false);
        }
    }

    /**
     * Checks keys for slashes only (empty, leading or trailing {@code /}, {@code //}), as the etcd and Consul backends
     * once did, and stores any other key with the characters the shared key rule refuses, and {@code .}, escaped: so
     * {@code .} and {@code ..} segments, non-ASCII and control characters are written instead of refused.
     */
    static final class KeysCheckedForSlashesOnly extends ForwardingBackend {
        KeysCheckedForSlashesOnly(CoordinationBackend delegate) {
            super(delegate);
        }

        private static String escaped(String key) {
            if (key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
                return key; // refused by the server's check, as by the backend's own slash check
            }
            StringBuilder out = new StringBuilder();
            for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                boolean plain =
                        c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '~' || c == '-' || c == '/');
                out.append(plain ? String.valueOf(c) : String.format(Locale.ROOT, "%%%02X", b & 0xff));
            }
            return out.toString();
        }

        @Override
        public Optional<Entry> get(String key) {
            return delegate().get(escaped(key));
        }

        @Override
        public Optional<Entry> createIfAbsent(String key, byte[] value, long leaseId) {
            return delegate().createIfAbsent(escaped(key), value, leaseId);
        }

        @Override
        public Listing list(String prefix) {
            return delegate().list(escaped(prefix));
        }

        @Override
        public Watch watch(String keyOrPrefix, boolean prefix, long afterRevision, WatchListener listener) {
            return delegate().watch(escaped(keyOrPrefix), prefix, afterRevision, listener);
        }
    }
}
