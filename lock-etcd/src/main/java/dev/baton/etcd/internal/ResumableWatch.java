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
package dev.baton.etcd.internal;

import dev.baton.lock.spi.Entry;
import dev.baton.lock.spi.Watch;
import dev.baton.lock.spi.WatchEvent;
import dev.baton.lock.spi.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SPI watch over jetcd, resumed by this class (not by jetcd) from the last revision it delivered.
 *
 * <p>Why not jetcd's own resumption: after a reconnect jetcd restarts the stream from the revision in the last
 * "created" answer's header, which can lie past events it has not delivered yet, so a stream that breaks twice could
 * skip a deletion. Here every jetcd watcher is single-use: on its first error it is closed (which stops jetcd's
 * rescheduling) and, unless the history was compacted, a new one starts from {@code lastDelivered + 1}. Events at or
 * below {@code lastDelivered} are dropped, so a replay after a resumption delivers nothing twice. etcd sends all events
 * of one revision in one response, so {@code lastDelivered} only ever advances past complete revisions.
 *
 * <p>A key watch (not a prefix watch) first opens "from now" rather than from {@code afterRevision + 1}: etcd serves a
 * watch that starts at a past revision from its "unsynced" group, which it catches up only every 100 ms, so a waiter
 * whose predecessor is released within that time would hear of it up to 100 ms late (and so would every waiter in a
 * busy queue, since the revision moves between its listing and its watch). From now, the watch is synced at once. The
 * revisions between {@code afterRevision} and the watch's start (the "created" answer's header) are then checked with
 * one read of the key at that start revision: if the key was deleted or written in between, the watch is reset, and
 * the caller re-lists. Only a watch whose revision moved pays that read. Resumptions after a broken stream start from
 * {@code lastDelivered + 1} as before.
 *
 * <p>A stream can also go silent without an error: gRPC spreads streams over the endpoints, and a member that is
 * stopped (SIGSTOP, a hung process) keeps its sockets open and answers nothing, so a stream opened on it, or open on it
 * when it stopped, would never deliver the deletion a waiter is waiting for. So each stream is probed: once nothing has
 * come on it for {@code probeAfter}, a progress request is sent on it, and a stream that still answers nothing
 * {@code probeAfter} later is taken as broken and resumed from {@code lastDelivered + 1} on a new stream, which the
 * client places on the next endpoint. A quiet but live stream costs one progress request per {@code probeAfter}.
 *
 * <p>{@link WatchListener#onReset(String)} is called once, and nothing is delivered afterwards, when the history
 * needed to resume was compacted, when the server rejects the watch for good, or when resumption has failed for
 * longer than the give-up period; the recipes then re-list. Watches are created with {@code requireLeader}, so a
 * member cut off from its cluster's quorum ends the stream instead of leaving it silent.
 *
 * <p>Threadsafe. Listener calls are serialised under this object's lock and filtered by the stream generation, so a
 * late answer of a replaced stream is never delivered.
 */
public final class ResumableWatch implements Watch {
    private static final Logger log = LoggerFactory.getLogger(ResumableWatch.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(1);

    private final io.etcd.jetcd.Watch client;
    private final io.etcd.jetcd.KV kv;
    private final long afterRevision;
    private final EtcdKeys keys;
    private final ByteSequence key;
    private final ByteSequence rangeEnd;
    private final String describedKey;
    private final WatchListener listener;
    private final ScheduledExecutorService scheduler;
    private final Duration giveUpAfter;
    private final Duration probeAfter;

    private long lastDelivered;
    private volatile boolean checked;
    private long generation;
    private io.etcd.jetcd.Watch.Watcher current;
    private boolean finished;
    private long failedGeneration;
    private long failingSinceNanos;
    private Duration retryDelay = FIRST_RETRY;
    /** When the current stream last answered (or was opened). */
    private long heardNanos;
    /** When a progress request was sent on the current stream and not answered yet; 0 if none is pending. */
    private long probedNanos;

    private ScheduledFuture<?> prober;

    /**
     * Creates a watch; {@link #start()} opens it.
     *
     * @param client the jetcd watch client
     * @param kv the jetcd KV client, for the check of a key watch's first stream
     * @param keys the namespace mapping
     * @param keyOrPrefix the SPI key or prefix
     * @param prefix whether {@code keyOrPrefix} is a prefix
     * @param afterRevision deliver changes after this revision
     * @param listener the listener
     * @param scheduler runs delayed resumptions
     * @param giveUpAfter how long resumption may keep failing before the watch is reset
     * @param probeAfter how long a stream may stay silent before it is probed, and then how long the probe may go
     *     unanswered before the stream is taken as broken
     */
    public ResumableWatch(
            io.etcd.jetcd.Watch client,
            io.etcd.jetcd.KV kv,
            EtcdKeys keys,
            String keyOrPrefix,
            boolean prefix,
            long afterRevision,
            WatchListener listener,
            ScheduledExecutorService scheduler,
            Duration giveUpAfter,
            Duration probeAfter) {
        this.client = client;
        this.kv = kv;
        this.afterRevision = afterRevision;
        this.keys = keys;
        this.key = prefix ? keys.rangeStart(keyOrPrefix) : keys.key(keyOrPrefix);
        this.rangeEnd = prefix ? keys.rangeEnd(keyOrPrefix) : null;
        this.describedKey = prefix ? keyOrPrefix + "/*" : keyOrPrefix;
        this.listener = listener;
        this.scheduler = scheduler;
        this.giveUpAfter = giveUpAfter;
        this.probeAfter = probeAfter;
        this.lastDelivered = afterRevision;
    }

    /** Opens the first stream; events may be delivered before this returns. */
    public void start() {
        synchronized (this) {
            open();
            if (!finished) {
                long period = Math.max(1, probeAfter.toNanos() / 2);
                prober = scheduler.scheduleWithFixedDelay(this::probe, period, period, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Probes a silent stream with a progress request, and takes a stream that left its probe unanswered for {@code
     * probeAfter} as broken: a stopped member keeps the stream open and answers nothing, not even an error.
     */
    private synchronized void probe() {
        io.etcd.jetcd.Watch.Watcher w = current;
        if (finished || w == null) {
            return;
        }
        long now = System.nanoTime();
        if (probedNanos != 0) {
            if (now - probedNanos >= probeAfter.toNanos()) {
                failed(
                        generation,
                        new TimeoutException("no answer on the watch stream within " + probeAfter
                                + " of a progress request (its member may be stopped)"));
            }
        } else if (now - heardNanos >= probeAfter.toNanos()) {
            probedNanos = now;
            w.requestProgress();
        }
    }

    private synchronized void heard(long fromGeneration) {
        if (fromGeneration == generation) {
            heardNanos = System.nanoTime();
            probedNanos = 0;
        }
    }

    private void open() {
        if (finished) {
            return;
        }
        boolean fromNow = generation == 0 && rangeEnd == null;
        long myGeneration = ++generation;
        heardNanos = System.nanoTime();
        probedNanos = 0;
        // The "created" answer tells that the stream is live, for resumed streams too.
        WatchOption.Builder option =
                WatchOption.builder().withRequireLeader(true).withCreateNotify(true);
        if (!fromNow) {
            option.withRevision(lastDelivered + 1);
        }
        if (rangeEnd != null) {
            option.withRange(rangeEnd);
        }
        io.etcd.jetcd.Watch.Watcher opened = client.watch(key, option.build(), new io.etcd.jetcd.Watch.Listener() {
            @Override
            public void onNext(WatchResponse response) {
                heard(myGeneration);
                if (response.isProgressNotify()) {
                    return;
                }
                if (response.isCreatedNotify()) {
                    if (fromNow) {
                        checkGap(myGeneration, response.getHeader().getRevision());
                    }
                    return;
                }
                deliver(myGeneration, response);
            }

            @Override
            public void onError(Throwable error) {
                failed(myGeneration, error);
            }

            @Override
            public void onCompleted() {
                // Only our own close() completes a watcher; an end of stream from the server arrives as onError.
            }
        });
        // The stream may have failed (or the watch been closed) on this thread before watch() returned.
        if (finished || generation != myGeneration || failedGeneration == myGeneration) {
            opened.close();
        } else {
            current = opened;
        }
    }

    private synchronized void deliver(long fromGeneration, WatchResponse response) {
        if (finished || fromGeneration != generation) {
            return;
        }
        List<WatchEvent> events = new ArrayList<>();
        long highest = lastDelivered;
        for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
            KeyValue kv = event.getKeyValue();
            long revision = kv.getModRevision();
            if (revision <= lastDelivered) {
                continue; // replayed after a resumption
            }
            String spiKey = keys.spiKey(kv.getKey());
            switch (event.getEventType()) {
                case PUT:
                    events.add(new WatchEvent(
                            WatchEvent.Type.PUT,
                            spiKey,
                            new Entry(
                                    spiKey,
                                    kv.getValue().getBytes(),
                                    kv.getModRevision(),
                                    kv.getCreateRevision(),
                                    kv.getLease()),
                            revision));
                    break;
                case DELETE:
                    events.add(new WatchEvent(WatchEvent.Type.DELETE, spiKey, null, revision));
                    break;
                default:
                    continue; // UNRECOGNIZED: nothing the SPI knows; its revision still counts as seen below
            }
            highest = Math.max(highest, revision);
        }
        failingSinceNanos = 0;
        retryDelay = FIRST_RETRY;
        lastDelivered = highest;
        for (WatchEvent event : events) {
            listener.onEvent(event);
        }
    }

    /**
     * Checks the revisions a from-now stream did not cover, {@code afterRevision + 1 .. start}: reads the key at {@code
     * start} and resets the watch if it was deleted or written after {@code afterRevision}. A stream that broke
     * meanwhile was resumed from {@code lastDelivered + 1} and covers them itself, so its answer is ignored.
     */
    private void checkGap(long fromGeneration, long start) {
        if (start <= afterRevision) {
            checked = true;
            return; // nothing happened between the caller's revision and the watch's start
        }
        // Bounded like a probe: a read stuck on a stopped member must not leave the gap unchecked for good.
        kv.get(key, GetOption.builder().withRevision(start).build())
                .orTimeout(probeAfter.toNanos() * 2, TimeUnit.NANOSECONDS)
                .whenComplete((response, error) -> {
                    synchronized (this) {
                        if (finished || fromGeneration != generation) {
                            return;
                        }
                        if (error != null) {
                            closeCurrent();
                            reset("could not check the key " + describedKey + " at revision " + start
                                    + " for changes after " + afterRevision + ": " + EtcdCalls.unwrap(error));
                            return;
                        }
                        List<KeyValue> kvs = response.getKvs();
                        if (kvs.isEmpty() || kvs.get(0).getModRevision() > afterRevision) {
                            closeCurrent();
                            reset("the key " + describedKey + " changed between revision " + afterRevision
                                    + " and the start of its watch at " + start);
                        } else {
                            checked = true;
                        }
                    }
                });
    }

    private synchronized void failed(long fromGeneration, Throwable error) {
        if (finished || fromGeneration != generation) {
            return;
        }
        // Closing the failed watcher stops jetcd from resuming it on its own; a fresh one continues below.
        failedGeneration = fromGeneration;
        closeCurrent();
        Throwable cause = EtcdCalls.unwrap(error);
        if (cause instanceof CompactedException) {
            reset("etcd compacted its history past revision " + (lastDelivered + 1) + " of the watch on " + describedKey
                    + " (" + cause.getMessage() + ")");
            return;
        }
        long now = System.nanoTime();
        if (failingSinceNanos == 0) {
            failingSinceNanos = now;
        } else if (now - failingSinceNanos > giveUpAfter.toNanos()) {
            reset("the watch on " + describedKey + " could not be resumed for " + giveUpAfter + ": " + cause);
            return;
        }
        log.debug(
                "watch on {} broke after revision {} ({}); resuming in {}",
                describedKey,
                lastDelivered,
                cause.toString(),
                retryDelay);
        Duration delay = retryDelay;
        retryDelay = retryDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryDelay.multipliedBy(2);
        long expected = generation;
        try {
            scheduler.schedule(
                    () -> {
                        synchronized (this) {
                            if (!finished && generation == expected) {
                                open();
                            }
                        }
                    },
                    delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            reset("the etcd backend was closed while the watch on " + describedKey + " was resuming");
        }
    }

    private void reset(String why) {
        finished = true;
        if (prober != null) {
            prober.cancel(false);
        }
        log.debug("watch reset: {}", why);
        listener.onReset(why);
    }

    private void closeCurrent() {
        io.etcd.jetcd.Watch.Watcher w = current;
        current = null;
        if (w != null) {
            try {
                w.close();
            } catch (RuntimeException e) {
                log.debug("closing a jetcd watcher failed: {}", e.toString());
            }
        }
    }

    /**
     * Whether the first stream of a key watch has started and nothing was missed before its start (always false for
     * a prefix watch, which starts from {@code afterRevision + 1} and needs no check). For tests and diagnostics.
     *
     * @return whether the start was checked
     */
    public boolean startChecked() {
        return checked;
    }

    /**
     * Resets the watch from outside, as when the backend is closed: the listener is not called.
     */
    public synchronized void stop() {
        finished = true;
        if (prober != null) {
            prober.cancel(false);
        }
        closeCurrent();
    }

    /** Stops delivery; idempotent. */
    @Override
    public void close() {
        stop();
    }
}
