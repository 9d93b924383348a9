package dev.argon.wal;

/**
 * Versioned reads at a {@link ReadView}: what the live {@link Wal} and the offline {@link WalInspector} both offer,
 * so that the engine reads documents and indexes through one reader whichever is open.
 */
public interface VersionSource {
    /** The visible payload of userKey in view, or null if absent or deleted. */
    byte[] get(ReadView view, byte[] userKey);

    /** Visible live keys under prefix in key order, starting at startUserKey (inclusive) if given. Close it. */
    VersionScan scan(ReadView view, byte[] prefix, byte[] startUserKey);

    /**
     * Visible live keys under prefix in descending key order, starting at the last key below beforeUserKey
     * (exclusive; null: the prefix's last key; no user key may be a proper prefix of it). The same keys and payloads
     * as {@link #scan}, reversed. Close it.
     */
    VersionScan scanBackward(ReadView view, byte[] prefix, byte[] beforeUserKey);

    /**
     * True when no branch holds any entry, live or tombstone, for a user key between {@code fromUserKey} and
     * {@code toUserKey} (both inclusive): then no view sees any of them. False says nothing. It answers for every
     * view at once (one seek), so that a batch of new keys is checked once instead of read key by key.
     */
    default boolean noneBetween(byte[] fromUserKey, byte[] toUserKey) {
        return false;
    }
}
