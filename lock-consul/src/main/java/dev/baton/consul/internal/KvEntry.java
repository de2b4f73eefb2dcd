package dev.baton.consul.internal;

/**
 * One key as Consul returns it. Immutable (the value array is not copied: callers treat it as read-only).
 *
 * @param key the full Consul key
 * @param value the decoded value, never null
 * @param flags the opaque flags
 * @param createIndex the Raft index that created the key
 * @param modifyIndex the Raft index of the last write of the key
 * @param lockIndex how many times the key was acquired
 * @param session the session holding the lock, or null
 */
public record KvEntry(
        String key, byte[] value, long flags, long createIndex, long modifyIndex, long lockIndex, String session) {}
