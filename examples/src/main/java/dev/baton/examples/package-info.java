/**
 * A runnable demo of Baton on the embedded in-memory backend: an election with a singleton task, workers passing a
 * mutex with fencing tokens, a TTL lock, a lease, and a leader cut off from the cluster. Run {@link
 * dev.baton.examples.Demo#main(String[])}.
 */
package dev.baton.examples;
