package dev.baton.lock;

/**
 * Told when this candidate is elected and when its leadership ends.
 *
 * <p>Called on the coordinator's callback executor, {@code onElected} before the matching {@code onRevoked}.
 * Exceptions are logged and ignored.
 */
public interface ElectionListener {
    /**
     * Called when this candidate became leader.
     *
     * @param leadership the new term
     */
    void onElected(Leadership leadership);

    /**
     * Called when a term of this candidate ended, for any reason including resignation.
     *
     * @param leadership the term that ended
     * @param reason why it ended
     */
    void onRevoked(Leadership leadership, LossReason reason);
}
