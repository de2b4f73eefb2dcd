package dev.baton.consul.internal;

/**
 * A session as listed by Consul.
 *
 * @param id the session id (a UUID)
 * @param name the session's name
 */
public record SessionInfo(String id, String name) {}
