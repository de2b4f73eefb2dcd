/**
 * The conformance kit (TCK): one abstract JUnit 5 suite, {@link dev.baton.lock.tck.CoordinatorConformanceSuite},
 * that every backend runs against its own server through a {@link dev.baton.lock.tck.TckEnvironment}, plus the
 * tools it is built from: the {@link dev.baton.lock.tck.HistoryChecker} that judges recorded lock histories, and the
 * {@link dev.baton.lock.tck.FaultInjectingBackend} that cuts a client off or loses acknowledgements.
 *
 * <p>A backend module runs the kit by extending the suite in its tests and returning a fresh environment from
 * {@code newEnvironment()}. Every test is named after the rule it checks.
 */
package dev.baton.lock.tck;
