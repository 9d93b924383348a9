package dev.argon.engine.store;

import java.util.Iterator;

/**
 * Raw access to the visible versioned keys: the WAL's view of a branch, or that view with a write's own
 * pending changes laid over it. Not thread-safe.
 */
public interface KeyReader {
    /** The visible payload of userKey, or null if absent or deleted. */
    byte[] get(byte[] userKey);

    /** Visible live keys under prefix in key order, from startUserKey (inclusive) if not null. */
    Scan scan(byte[] prefix, byte[] startUserKey);

    /**
     * Visible live keys under prefix in descending key order, from the last one below beforeUserKey (exclusive;
     * null for the prefix's last key): {@link #scan}'s keys reversed, for a sort opposite to the stored order.
     */
    Scan scanBackward(byte[] prefix, byte[] beforeUserKey);

    /**
     * True when no key between {@code from} and {@code to} (both inclusive, unsigned byte order) is visible, nor
     * hidden by a pending change; false says nothing. Lets a batch of new keys skip a read per key.
     */
    default boolean noneBetween(byte[] from, byte[] to) {
        return false;
    }

    /** A closeable iterator of (userKey, payload). */
    interface Scan extends Iterator<Entry>, AutoCloseable {
        @Override
        void close();
    }

    /** One visible key. */
    record Entry(byte[] key, byte[] payload) {}
}
