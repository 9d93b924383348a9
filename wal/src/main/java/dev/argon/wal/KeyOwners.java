package dev.argon.wal;

import java.util.function.LongConsumer;

/**
 * What the engine tells the GC about its user keys, so that the wal can reclaim dropped collections and indexes
 * without knowing documents: catalog keys (all under one prefix, sorted before the keys they own) name owner ids
 * in their payload; other keys may belong to an owner. A key whose owner no kept catalog version names can be
 * read by no view, so all its versions go. Implementations are stateless and thread-safe.
 */
public interface KeyOwners {
    /** Owns nothing: only the version rules apply. */
    KeyOwners NONE = new KeyOwners() {
        @Override
        public byte[] catalogPrefix() {
            return null;
        }

        @Override
        public void owners(byte[] catalogPayload, LongConsumer sink) {}

        @Override
        public long owner(byte[] userKey) {
            return -1;
        }
    };

    /** The prefix of every catalog key, or null when there is no catalog. */
    byte[] catalogPrefix();

    /** The owner ids a live catalog payload keeps readable (a collection id, its index ids). */
    void owners(byte[] catalogPayload, LongConsumer sink);

    /** The owner id a key belongs to, or -1 when it has none (it is kept by the version rules alone). */
    long owner(byte[] userKey);
}
