package dev.argon.engine.gc;

/**
 * How history is compacted into the tier (docs/ARCHITECTURE.md, "History compaction and the tier"): the hot window
 * (history younger than it stays in RocksDB), how often the background pass runs (0: never; the
 * {@code compactHistory} command still works) and the segment cache's budget in bytes. Immutable.
 */
public record TierSettings(long hotWindowMillis, long intervalMillis, long cacheBytes) {
    /** A one-hour hot window (issue 12), a pass every 10 minutes, a 256 MiB cache. */
    public static final TierSettings DEFAULTS = new TierSettings(3_600_000L, 10 * 60_000L,
            dev.argon.wal.tier.SegmentCache.DEFAULT_BYTES);

    public TierSettings {
        if (hotWindowMillis < 0 || intervalMillis < 0 || cacheBytes < 0) {
            throw new IllegalArgumentException("the hot window, compaction interval and cache size must not be negative");
        }
    }

    /** No background pass (a read-only node: its directory stays as the restore made it). */
    public TierSettings withoutBackground() {
        return new TierSettings(hotWindowMillis, 0, cacheBytes);
    }
}
