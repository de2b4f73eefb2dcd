package dev.baton.consul;

import dev.baton.lock.LockException;

/**
 * Thrown when Consul refuses a request with HTTP 403: the ACL token is missing, unknown ({@code ACL not found}) or
 * lacks a permission ({@code Permission denied}). The message says which call was refused and what the token needs;
 * it never contains the token.
 *
 * <p>Immutable and threadsafe.
 */
public class ConsulAccessDeniedException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what was refused and what to change
     */
    public ConsulAccessDeniedException(String message) {
        super(null, message, null);
    }
}
