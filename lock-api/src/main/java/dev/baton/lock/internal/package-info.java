/**
 * Implementation of the API: the coordinator, the session keeper and the recipes written once over the SPI. Not for
 * users; may change in any release.
 */
package dev.baton.lock.internal;
