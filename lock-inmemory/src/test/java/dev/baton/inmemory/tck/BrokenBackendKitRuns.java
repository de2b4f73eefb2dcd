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
import dev.baton.lock.tck.CoordinatorConformanceSuite;
import dev.baton.lock.tck.TckEnvironment;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The conformance kit over each {@link BrokenBackends broken backend}, on a manual clock. Run only through {@link
 * BrokenBackendsAreCaughtTest} (the names do not end in {@code Test}, so surefire leaves them alone): these runs are
 * meant to fail.
 */
final class BrokenBackendKitRuns {
    private BrokenBackendKitRuns() {}

    /** The kit over a broken in-memory backend; waits are short, since with a manual clock nothing lags. */
    abstract static class BrokenKitRun extends CoordinatorConformanceSuite {
        private final UnaryOperator<CoordinationBackend> breakage;

        BrokenKitRun(UnaryOperator<CoordinationBackend> breakage) {
            this.breakage = breakage;
        }

        @Override
        protected TckEnvironment newEnvironment() {
            return InMemoryTckEnvironment.onManualClock(breakage);
        }

        @Override
        protected Duration awaitTimeout() {
            return Duration.ofSeconds(2);
        }
    }

    static final class CasIgnoresVersionKitRun extends BrokenKitRun {
        CasIgnoresVersionKitRun() {
            super(BrokenBackends.CasIgnoresVersion::new);
        }
    }

    static final class LeasesNeverExpireKitRun extends BrokenKitRun {
        LeasesNeverExpireKitRun() {
            super(BrokenBackends.LeasesNeverExpire::new);
        }
    }

    static final class LeasesExpireEarlyKitRun extends BrokenKitRun {
        LeasesExpireEarlyKitRun() {
            super(BrokenBackends.LeasesExpireEarly::new);
        }
    }

    static final class ListNewestFirstKitRun extends BrokenKitRun {
        ListNewestFirstKitRun() {
            super(BrokenBackends.ListNewestFirst::new);
        }
    }

    static final class SequenceRunsBackwardsKitRun extends BrokenKitRun {
        SequenceRunsBackwardsKitRun() {
            super(BrokenBackends.SequenceRunsBackwards::new);
        }
    }

    static final class WatchesDropDeletesKitRun extends BrokenKitRun {
        WatchesDropDeletesKitRun() {
            super(BrokenBackends.WatchesDropDeletes::new);
        }
    }

    static final class KeyWatchesFireOnSiblingsKitRun extends BrokenKitRun {
        KeyWatchesFireOnSiblingsKitRun() {
            super(BrokenBackends.KeyWatchesFireOnSiblings::new);
        }
    }

    static final class DeleteKeepsKeyKitRun extends BrokenKitRun {
        DeleteKeepsKeyKitRun() {
            super(BrokenBackends.DeleteKeepsKey::new);
        }
    }

    static final class KeysCheckedForSlashesOnlyKitRun extends BrokenKitRun {
        KeysCheckedForSlashesOnlyKitRun() {
            super(BrokenBackends.KeysCheckedForSlashesOnly::new);
        }
    }

    static final class ListingsHideWritersKitRun extends BrokenKitRun {
        ListingsHideWritersKitRun() {
            super(BrokenBackends.ListingsHideWriters::new);
        }
    }

    static final class ListingsCountOnePermitKitRun extends BrokenKitRun {
        ListingsCountOnePermitKitRun() {
            super(BrokenBackends.ListingsCountOnePermit::new);
        }
    }

    /** The unbroken backend through the same plumbing: the control that shows the selected tests can pass. */
    static final class UnbrokenKitRun extends BrokenKitRun {
        UnbrokenKitRun() {
            super(UnaryOperator.identity());
        }
    }

    /** The sound backend, read by the kit through {@link LaggingReadsEnvironment}: these runs are meant to pass. */
    static final class LaggingReadsKitRun extends CoordinatorConformanceSuite {
        @Override
        protected TckEnvironment newEnvironment() {
            return new LaggingReadsEnvironment(InMemoryTckEnvironment.onManualClock());
        }

        @Override
        protected Duration awaitTimeout() {
            return Duration.ofSeconds(2);
        }
    }
}
