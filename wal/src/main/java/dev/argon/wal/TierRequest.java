package dev.argon.wal;

/**
 * One history compaction pass ({@link VersionStore#compactHistory}).
 *
 * @param hotWindowMillis history younger than this stays in RocksDB (0: everything not protected may move)
 * @param nowMillis       the pass's clock
 * @param keepLocal       user-key prefix never moved (the catalog keys: GC reads their owners from every
 *                        kept version, and they are few), or null
 * @param segmentBytes    entries per segment before it is cut (about; a key's group is never split)
 */
public record TierRequest(long hotWindowMillis, long nowMillis, byte[] keepLocal, long segmentBytes) {
    /** About 64 MiB of versions per segment, as the backup's segments: few objects, ranged reads inside. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    public TierRequest(long hotWindowMillis, long nowMillis, byte[] keepLocal) {
        this(hotWindowMillis, nowMillis, keepLocal, DEFAULT_SEGMENT_BYTES);
    }
}
