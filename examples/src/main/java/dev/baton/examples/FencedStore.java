package dev.baton.examples;

/**
 * A stand-in for the resource a lock protects (a database row, a file, a queue), which defends itself with fencing
 * tokens: it remembers the highest token it has accepted and rejects any write that carries a smaller one. That is
 * what stops a holder that was paused past its lease from overwriting the work of the holder after it; a lock alone
 * cannot.
 *
 * <p>Threadsafe.
 */
final class FencedStore {
    private long highestToken;
    private String value = "";

    /**
     * Writes {@code value} if {@code token} is not older than the newest token seen.
     *
     * @return whether the write was accepted
     */
    synchronized boolean write(long token, String value) {
        if (token < highestToken) {
            return false;
        }
        highestToken = token;
        this.value = value;
        return true;
    }

    synchronized long highestToken() {
        return highestToken;
    }

    synchronized String value() {
        return value;
    }
}
