package dev.baton.lock.spi;

import java.util.List;

/**
 * The keys under a prefix as of one revision, ordered by creation sequence.
 *
 * <p>Immutable and threadsafe.
 */
public final class Listing {
    private final List<Entry> entries;
    private final long revision;

    /**
     * Creates a listing.
     *
     * @param entries the entries, ordered by {@link Entry#createSequence()}
     * @param revision the revision the entries were read at; a watch started after it misses no change
     */
    public Listing(List<Entry> entries, long revision) {
        this.entries = List.copyOf(entries);
        this.revision = revision;
    }

    /**
     * Returns the entries, ordered by creation sequence.
     *
     * @return an unmodifiable list
     */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * Returns the revision the listing was read at.
     *
     * @return the revision
     */
    public long revision() {
        return revision;
    }

    @Override
    public String toString() {
        return "Listing{revision=" + revision + ", entries=" + entries + "}";
    }
}
