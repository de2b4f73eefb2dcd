/**
 * Internals of the ZooKeeper backend: the node layout, the codec of the data the backend stores, the lease reaper and
 * the watches. Not for users; may change without notice.
 */
package dev.baton.zookeeper.internal;
